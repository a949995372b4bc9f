-- Symptom signatures seen in the same start attempt as a cause signature since @since.
--
-- A symptom of a failed start (exit_code, startup_probe_failed, app_startup_failed,
-- restart_backoff: SYMPTOM_CATEGORIES in functions/core/issues/links.ts) takes the issue of
-- a cause logged by the same instance: these pairs are the symptom links of issue_links
-- (functions/app/relink.ts). The start attempt is the instance id; entries without one pair
-- with nothing.
--
-- The window (@since) is required because failure_events is large in production and partitioned by day
-- on event_timestamp: both sides of the self-join read only the partitions of the window.
-- The table is read without the events view's de-duplication, since a duplicate row adds no
-- pair.
--
-- @param since TIMESTAMP entries at or after this instant (RFC 3339)
-- @column service STRING workload
-- @column symptom STRING signature of the symptom
-- @column cause STRING signature of a cause in the same instance
WITH startup_failures AS (
  SELECT DISTINCT service, instance_id, signature_id, category IN ('exit_code', 'startup_probe_failed', 'app_startup_failed', 'restart_backoff') AS is_symptom
  FROM ${dataset}.failure_events
  WHERE event_timestamp >= @since
    AND instance_id IS NOT NULL
    AND signature_id IS NOT NULL
    AND category NOT IN ('startup_progress', 'startup_success', 'not_startup_related')
)
SELECT DISTINCT s.service, s.signature_id AS symptom, c.signature_id AS cause
FROM startup_failures AS s
JOIN startup_failures AS c
  ON s.instance_id = c.instance_id AND s.service IS NOT DISTINCT FROM c.service
WHERE s.is_symptom AND NOT c.is_symptom
ORDER BY service, symptom, cause
