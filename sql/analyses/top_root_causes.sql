-- Top root causes of failed start attempts over the last @days days (default: this week).
--
-- The window is the @days days before @until (default: now).
--
-- "What is failing most this week?" counted in failed start attempts, each attributed to
-- its root cause (start_attempts): an import error that made a container exit with code 3
-- and fail its probe counts once, as the import error.
--
-- @param days INT64 = 7 length of the window, in days
-- @param until TIMESTAMP = NULL end of the window (exclusive); NULL for now
-- @param service STRING = NULL only this workload; NULL for all
-- @param top INT64 = 10 at most this many root causes
-- @column rank INT64 1 for the most frequent
-- @column root_cause_signature_id STRING signature of the root cause
-- @column service STRING workload
-- @column root_cause_category STRING its category
-- @column root_cause_template STRING its template
-- @column failed_attempts INT64 failed attempts it caused in the window
-- @column share_of_failures FLOAT64 failed_attempts / all failed attempts in the window (of the service filter)
-- @column revisions ARRAY<STRING> revisions where it happened, sorted
-- @column first_failure TIMESTAMP first such attempt in the window
-- @column last_failure TIMESTAMP last such attempt in the window
WITH window_attempts AS (
  SELECT *
  FROM ${dataset}.start_attempts
  WHERE outcome = 'failure'
    AND first_timestamp >= TIMESTAMP_SUB(COALESCE(@until, CURRENT_TIMESTAMP()), INTERVAL @days DAY)
    AND first_timestamp < COALESCE(@until, CURRENT_TIMESTAMP())
    AND (@service IS NULL OR service = @service)
),
causes AS (
  SELECT
    root_cause_signature_id,
    service,
    MIN(root_cause_category) AS root_cause_category,
    MIN(root_cause_template) AS root_cause_template,
    COUNT(*) AS failed_attempts,
    ARRAY_AGG(DISTINCT revision IGNORE NULLS ORDER BY revision) AS revisions,
    MIN(first_timestamp) AS first_failure,
    MAX(first_timestamp) AS last_failure
  FROM window_attempts
  GROUP BY root_cause_signature_id, service
)
SELECT
  ROW_NUMBER() OVER (ORDER BY failed_attempts DESC, root_cause_signature_id, service) AS rank,
  root_cause_signature_id, service, root_cause_category, root_cause_template, failed_attempts,
  failed_attempts / SUM(failed_attempts) OVER () AS share_of_failures,
  revisions, first_failure, last_failure
FROM causes
ORDER BY rank
LIMIT @top
