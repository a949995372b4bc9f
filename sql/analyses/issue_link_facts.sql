-- Failure signatures seen since @since, with what issue links match on: category, rule, params.
--
-- Issue links (table issue_links) are derived in code from these rows and the registry
-- (functions/app/relink.ts): explicit ids, faultline-signature markers and match predicates
-- on category, service, rule_id and params. Every evaluateAlerts tick runs it over its
-- lookback and adds what is new to the stored links; `faultline issues import/sync` run it
-- over the whole retention and replace them.
--
-- The window (@since) is required because failure_events is large in production and partitioned by day
-- on event_timestamp: the filter keeps a tick's scan to the partitions of its window. The
-- table is read without the events view's de-duplication, since a duplicate row adds no
-- signature and no param value. Progress, success and unrelated entries that do not look
-- like failures link to no issue. template and excerpt are left out: matching does not read
-- them, and the excerpt is the widest column of the table (BigQuery bills columns read).
--
-- @param since TIMESTAMP entries at or after this instant (RFC 3339)
-- @column signature_id STRING the signature
-- @column service STRING workload
-- @column category STRING taxonomy category (the least, for a signature stored with several)
-- @column rule_id STRING rule that matched (the least, for wordings of one signature); NULL for entries no rule knows
-- @column param_sets ARRAY<STRING> every distinct params object of the signature, as JSON text
WITH recent AS (
  SELECT signature_id, service, category, rule_id, TO_JSON_STRING(params) AS param_set
  FROM ${dataset}.failure_events
  WHERE event_timestamp >= @since
    AND signature_id IS NOT NULL
    AND category NOT IN ('startup_progress', 'startup_success')
    AND (category <> 'not_startup_related' OR looks_like_failure)
)
SELECT
  signature_id,
  service,
  MIN(category) AS category,
  MIN(rule_id) AS rule_id,
  ARRAY_AGG(DISTINCT param_set IGNORE NULLS ORDER BY param_set) AS param_sets
FROM recent
GROUP BY signature_id, service
ORDER BY signature_id, service
