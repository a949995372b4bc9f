-- Data check: start attempts reported more than once (with two outcomes, or the same twice).
--
-- An attempt id must name one boot with one outcome: an instance id seen under two
-- services or two revisions breaks that. Zero rows is a pass.
--
-- @column attempt_id STRING the attempt
-- @column rows_reported INT64 rows of start_attempts with that id
-- @column outcomes ARRAY<STRING> their outcomes, sorted
-- @column services ARRAY<STRING> their services, sorted
-- @column revisions ARRAY<STRING> their revisions, sorted
SELECT
  attempt_id,
  COUNT(*) AS rows_reported,
  ARRAY_AGG(DISTINCT outcome ORDER BY outcome) AS outcomes,
  ARRAY_AGG(DISTINCT service IGNORE NULLS ORDER BY service) AS services,
  ARRAY_AGG(DISTINCT revision IGNORE NULLS ORDER BY revision) AS revisions
FROM ${dataset}.start_attempts
GROUP BY attempt_id
HAVING COUNT(*) > 1
ORDER BY attempt_id
