-- Entries per signature, service and hour since @since: the input of spike alerts.
--
-- evaluateAlerts (Cloud Scheduler, through Pub/Sub) runs it every few minutes and compares
-- each hour with the signature's trailing hours, so @since reaches back over the baseline.
-- The partition filter on failure_events comes BEFORE the de-duplication (the same rule as
-- the events view: first row written per event_id wins), so a run reads only the
-- partitions of its window. Progress, success and unrelated entries that do not look like
-- failures never alert, so they are not counted.
--
-- @param since TIMESTAMP entries at or after this instant (RFC 3339)
-- @column hour TIMESTAMP start of the hour (UTC)
-- @column service STRING workload
-- @column signature_id STRING the signature
-- @column category STRING taxonomy category (any one, for a signature that has several)
-- @column count INT64 entries of the signature in the hour
WITH recent AS (
  SELECT *
  FROM ${dataset}.failure_events
  WHERE event_timestamp >= @since
  QUALIFY ROW_NUMBER() OVER (PARTITION BY event_timestamp, event_id ORDER BY ingest_time, message_id) = 1
)
SELECT
  TIMESTAMP_TRUNC(event_timestamp, HOUR) AS hour,
  service,
  signature_id,
  ANY_VALUE(category) AS category,
  COUNT(*) AS count
FROM recent
WHERE signature_id IS NOT NULL
  AND category NOT IN ('startup_progress', 'startup_success')
  AND (category <> 'not_startup_related' OR looks_like_failure)
GROUP BY hour, service, signature_id
ORDER BY hour, service, signature_id
