-- Data check: entries timestamped in the future.
--
-- More than 5 minutes (clock skew) ahead of now, by the entry's own clock (event_timestamp)
-- or Cloud Logging's (receive_timestamp). A bad clock on an instance puts its failures on
-- the wrong day of every trend. Zero rows is a pass.
--
-- @column event_id STRING the entry
-- @column service STRING workload
-- @column instance_id STRING instance, the usual suspect for a bad clock
-- @column event_timestamp TIMESTAMP when the entry says it happened
-- @column receive_timestamp TIMESTAMP when Cloud Logging received it
WITH horizon AS (
  SELECT TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 5 MINUTE) AS latest_plausible
)
SELECT e.event_id, e.service, e.instance_id, e.event_timestamp, e.receive_timestamp
FROM ${dataset}.events AS e
CROSS JOIN horizon AS h
WHERE e.event_timestamp > h.latest_plausible
  OR e.receive_timestamp > h.latest_plausible
ORDER BY e.event_timestamp, e.event_id
