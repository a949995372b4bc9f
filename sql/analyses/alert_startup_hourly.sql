-- Startup outcomes per service and hour since @since: the input of SLO alerts.
--
-- Each instance's first outcome, a success or any failure category, counted in the hour it
-- happened (the taxonomy's success rate; progress, unrelated entries and bare traceback
-- fragments are not outcomes). evaluateAlerts runs it every few minutes; the partition
-- filter on failure_events comes BEFORE the de-duplication by event_id, so a run reads
-- only the partitions of its window. An instance that started before @since is judged by
-- its first outcome inside the window.
--
-- @param since TIMESTAMP entries at or after this instant (RFC 3339)
-- @column hour TIMESTAMP start of the hour (UTC)
-- @column service STRING workload
-- @column successes INT64 instances whose first outcome was a success
-- @column failures INT64 instances whose first outcome was a failure
WITH recent AS (
  SELECT *
  FROM ${dataset}.failure_events
  WHERE event_timestamp >= @since
  QUALIFY ROW_NUMBER() OVER (PARTITION BY event_timestamp, event_id ORDER BY ingest_time, message_id) = 1
),
outcomes AS (
  SELECT service, event_timestamp, category
  FROM recent
  WHERE instance_id IS NOT NULL AND service IS NOT NULL
    AND category NOT IN ('startup_progress', 'not_startup_related')
    AND NOT (fragment IS NOT NULL AND signature_id IS NULL)
  QUALIFY ROW_NUMBER() OVER (PARTITION BY service, instance_id ORDER BY event_timestamp, event_id) = 1
)
SELECT
  TIMESTAMP_TRUNC(event_timestamp, HOUR) AS hour,
  service,
  COUNTIF(category = 'startup_success') AS successes,
  COUNTIF(category <> 'startup_success') AS failures
FROM outcomes
GROUP BY hour, service
ORDER BY hour, service
