-- Configured limits (timeout_s, pool_size, ...) per signature and day, and when each value first appeared.
--
-- Each value a limit had per day, when the value first appeared and which value it
-- replaced.
--
-- A limit is not part of a signature (taxonomy): "Phase 3 database initialization timeout
-- after 20.0s" and "... after 25.0s" are one signature whose timeout_s changed, because
-- someone raised the timeout. This view makes that visible: the rows where value_is_new
-- is true, in value_first_seen order, are the history of the setting ("20 -> 25").
--
-- @column signature_id STRING the signature
-- @column service STRING workload
-- @column category STRING taxonomy category of the signature
-- @column param STRING the configured limit (event_params.configured_limit)
-- @column day DATE UTC day
-- @column value FLOAT64 a value the param had that day
-- @column entries INT64 entries with this value that day
-- @column value_first_seen TIMESTAMP when this value first appeared (any day)
-- @column value_last_seen TIMESTAMP when this value last appeared (any day)
-- @column value_is_new BOOL the value first appeared on this day
-- @column previous_value FLOAT64 the value that first appeared before this one; null for the first
-- @column change STRING 'first', 'raised' or 'lowered' (compared with previous_value)
WITH limits AS (
  SELECT signature_id, service, category, param, value, event_timestamp
  FROM ${dataset}.event_params
  WHERE configured_limit AND signature_id IS NOT NULL
),
value_history AS (
  SELECT
    signature_id, param, value,
    MIN(event_timestamp) AS value_first_seen,
    MAX(event_timestamp) AS value_last_seen
  FROM limits
  GROUP BY signature_id, param, value
),
ordered AS (
  SELECT
    *,
    LAG(value) OVER (PARTITION BY signature_id, param ORDER BY value_first_seen, value) AS previous_value
  FROM value_history
),
daily AS (
  SELECT
    signature_id, param, value, DATE(event_timestamp) AS day,
    MIN(service) AS service,
    MIN(category) AS category,
    COUNT(*) AS entries
  FROM limits
  GROUP BY signature_id, param, value, day
)
SELECT
  d.signature_id, d.service, d.category, d.param, d.day, d.value, d.entries,
  o.value_first_seen, o.value_last_seen,
  DATE(o.value_first_seen) = d.day AS value_is_new,
  o.previous_value,
  CASE
    WHEN o.previous_value IS NULL THEN 'first'
    WHEN o.value > o.previous_value THEN 'raised'
    ELSE 'lowered'
  END AS change
FROM daily AS d
JOIN ordered AS o ON o.signature_id = d.signature_id AND o.param = d.param AND o.value = d.value
