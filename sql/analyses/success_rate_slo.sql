-- Startup success rate per service against an SLO (@slo) over the last @days days.
--
-- "Are we starting reliably?" per workload: the rate over the window (successes /
-- (successes + failures), as in startup_success_hourly), whether it meets @slo, how many
-- hours fell below it, and the worst hour.
--
-- @param slo FLOAT64 = 0.95 target success rate, between 0 and 1
-- @param days INT64 = 7 length of the window, in days
-- @param until TIMESTAMP = NULL end of the window (exclusive); NULL for now
-- @param service STRING = NULL only this workload; NULL for all
-- @column service STRING workload
-- @column attempts INT64 attempts in the window
-- @column successes INT64 of which succeeded
-- @column failures INT64 of which failed
-- @column success_rate FLOAT64 successes / (successes + failures) over the window
-- @column slo FLOAT64 the target (@slo)
-- @column meets_slo BOOL success_rate >= slo; null without outcomes
-- @column hours INT64 hours with attempts
-- @column hours_below_slo INT64 hours whose rate was below the target
-- @column worst_hour TIMESTAMP the hour with the lowest rate (the earliest, on ties)
-- @column worst_hour_rate FLOAT64 its rate
WITH hours AS (
  SELECT *
  FROM ${dataset}.startup_success_hourly
  WHERE hour >= TIMESTAMP_SUB(COALESCE(@until, CURRENT_TIMESTAMP()), INTERVAL @days DAY)
    AND hour < COALESCE(@until, CURRENT_TIMESTAMP())
    AND (@service IS NULL OR service = @service)
),
worst AS (
  SELECT service, hour AS worst_hour, success_rate AS worst_hour_rate
  FROM hours
  WHERE success_rate IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (PARTITION BY service ORDER BY success_rate, hour) = 1
),
totals AS (
  SELECT
    service,
    SUM(attempts) AS attempts,
    SUM(successes) AS successes,
    SUM(failures) AS failures,
    SAFE_DIVIDE(SUM(successes), SUM(successes) + SUM(failures)) AS success_rate,
    COUNT(*) AS hours,
    COUNTIF(success_rate < @slo) AS hours_below_slo
  FROM hours
  GROUP BY service
)
SELECT
  t.service, t.attempts, t.successes, t.failures, t.success_rate,
  @slo AS slo,
  t.success_rate >= @slo AS meets_slo,
  t.hours, t.hours_below_slo,
  w.worst_hour, w.worst_hour_rate
FROM totals AS t
LEFT JOIN worst AS w ON w.service = t.service
ORDER BY t.success_rate, t.service
