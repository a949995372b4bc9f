-- Per service and hour (UTC): start attempts, successes, failures and the success rate.
--
-- Attempts count in the hour they began (start_attempts.first_timestamp). The rate is the
-- taxonomy's: successes / (successes + failures); attempts whose outcome is unknown (they
-- logged only progress) are counted apart and left out of the rate. Hours without any
-- attempt are absent, not zero: no start is not a failed start.
--
-- @column service STRING workload
-- @column hour TIMESTAMP start of the hour (UTC)
-- @column attempts INT64 attempts that began in the hour
-- @column successes INT64 of which succeeded
-- @column failures INT64 of which failed
-- @column unknown INT64 of which logged no outcome
-- @column success_rate FLOAT64 successes / (successes + failures); null when both are 0
WITH attempts AS (
  SELECT service, TIMESTAMP_TRUNC(first_timestamp, HOUR) AS hour, outcome
  FROM ${dataset}.start_attempts
)
SELECT
  service,
  hour,
  COUNT(*) AS attempts,
  COUNTIF(outcome = 'success') AS successes,
  COUNTIF(outcome = 'failure') AS failures,
  COUNTIF(outcome = 'unknown') AS unknown,
  SAFE_DIVIDE(COUNTIF(outcome = 'success'), COUNTIF(outcome IN ('success', 'failure'))) AS success_rate
FROM attempts
GROUP BY service, hour
