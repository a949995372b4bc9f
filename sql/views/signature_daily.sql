-- Per signature and day (UTC): entries, attempts, services, revisions, numeric param ranges.
--
-- The trend table: "is it getting worse?" is entries or attempts rising day by day; "did
-- the fix work?" is the last day a signature appears. Entries that are not part of a start
-- attempt (a pool exhausted while serving, unrelated lines) count in entries, not attempts.
--
-- @column signature_id STRING the signature
-- @column day DATE UTC day
-- @column category STRING taxonomy category of the signature
-- @column template STRING masked message template (the smallest, when wordings differ)
-- @column entries INT64 entries logged that day
-- @column attempts INT64 distinct start attempts that logged it that day
-- @column services ARRAY<STRING> workloads that logged it, sorted
-- @column revisions ARRAY<STRING> revisions that logged it, sorted
-- @column first_timestamp TIMESTAMP first entry of the day
-- @column last_timestamp TIMESTAMP last entry of the day
-- @column numeric_params ARRAY<STRUCT<param STRING, min_value FLOAT64, max_value FLOAT64>> per numeric param (event_params): its smallest and largest value that day, by name
WITH daily AS (
  SELECT
    e.signature_id,
    DATE(e.event_timestamp) AS day,
    MIN(e.category) AS category,
    MIN(e.template) AS template,
    COUNT(*) AS entries,
    COUNT(DISTINCT a.attempt_id) AS attempts,
    ARRAY_AGG(DISTINCT e.service IGNORE NULLS ORDER BY e.service) AS services,
    ARRAY_AGG(DISTINCT e.revision IGNORE NULLS ORDER BY e.revision) AS revisions,
    MIN(e.event_timestamp) AS first_timestamp,
    MAX(e.event_timestamp) AS last_timestamp
  FROM ${dataset}.events AS e
  LEFT JOIN ${dataset}.attempt_entries AS a ON a.event_id = e.event_id
  WHERE e.signature_id IS NOT NULL
  GROUP BY e.signature_id, day
),
param_ranges AS (
  SELECT signature_id, DATE(event_timestamp) AS day, param, MIN(value) AS min_value, MAX(value) AS max_value
  FROM ${dataset}.event_params
  WHERE signature_id IS NOT NULL
  GROUP BY signature_id, day, param
),
params AS (
  SELECT
    signature_id, day,
    ARRAY_AGG(STRUCT(param AS param, min_value AS min_value, max_value AS max_value) ORDER BY param) AS numeric_params
  FROM param_ranges
  GROUP BY signature_id, day
)
SELECT
  d.signature_id, d.day, d.category, d.template, d.entries, d.attempts, d.services, d.revisions,
  d.first_timestamp, d.last_timestamp,
  COALESCE(p.numeric_params, []) AS numeric_params
FROM daily AS d
LEFT JOIN params AS p ON p.signature_id = d.signature_id AND p.day = d.day
