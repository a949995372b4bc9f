-- Signatures whose configured limit (a timeout) was raised, with the values in order.
--
-- The sequence of values in the order they first appeared ("timeout_s 8 -> 20 -> 25").
--
-- "We raised the timeout and it still fails": a limit that keeps rising while the failure
-- keeps coming back is a symptom being treated. From timeout_escalation; only signatures
-- whose limit took at least one higher value, with a value first seen at or after @since.
--
-- @param since TIMESTAMP = NULL only limits that changed at or after this instant; NULL for all time
-- @param service STRING = NULL only this workload; NULL for all
-- @column signature_id STRING the signature
-- @column service STRING workload
-- @column category STRING taxonomy category
-- @column param STRING the limit (timeout_s, pool_size, ...)
-- @column values_in_order ARRAY<FLOAT64> each value, in the order it first appeared
-- @column first_seen_in_order ARRAY<TIMESTAMP> when each of those values first appeared
-- @column first_value FLOAT64 the first value
-- @column current_value FLOAT64 the value that appeared last
-- @column raises INT64 how many times the value went up
-- @column last_change TIMESTAMP when the current value first appeared
-- @column entries INT64 entries with the limit
WITH values_seen AS (
  SELECT
    signature_id, param, value,
    MIN(service) AS service,
    MIN(category) AS category,
    MIN(value_first_seen) AS value_first_seen,
    MIN(change) AS change,
    SUM(entries) AS entries
  FROM ${dataset}.timeout_escalation
  WHERE @service IS NULL OR service = @service
  GROUP BY signature_id, param, value
),
histories AS (
  SELECT
    signature_id, param,
    MIN(service) AS service,
    MIN(category) AS category,
    ARRAY_AGG(value ORDER BY value_first_seen, value) AS values_in_order,
    ARRAY_AGG(value_first_seen ORDER BY value_first_seen, value) AS first_seen_in_order,
    COUNTIF(change = 'raised') AS raises,
    MAX(value_first_seen) AS last_change,
    SUM(entries) AS entries
  FROM values_seen
  GROUP BY signature_id, param
)
SELECT
  signature_id, service, category, param, values_in_order, first_seen_in_order,
  values_in_order[OFFSET(0)] AS first_value,
  values_in_order[ORDINAL(ARRAY_LENGTH(values_in_order))] AS current_value,
  raises, last_change, entries
FROM histories
WHERE raises > 0
  AND (@since IS NULL OR last_change >= @since)
ORDER BY last_change DESC, signature_id, param
