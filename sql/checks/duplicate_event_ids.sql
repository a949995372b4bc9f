-- Data check: event ids the events view returns more than once.
--
-- The events view promises one row per event_id; a duplicate here means its
-- de-duplication broke. Zero rows is a pass.
--
-- @column event_id STRING the duplicated id
-- @column copies INT64 rows with that id
SELECT event_id, COUNT(*) AS copies
FROM ${dataset}.events
GROUP BY event_id
HAVING COUNT(*) > 1
ORDER BY event_id
