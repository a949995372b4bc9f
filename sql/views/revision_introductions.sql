-- Which revision first showed each signature, and how soon after it started: deploy correlation.
--
-- A signature first seen a minute after a revision started logging was most likely brought
-- by that deploy (previous_revision is what ran before it); one first seen days into a
-- revision's life came from elsewhere (load, a dependency). Signatures are scoped to one
-- workload, so each has one service.
--
-- @column signature_id STRING the signature
-- @column service STRING workload
-- @column category STRING taxonomy category
-- @column template STRING masked message template of the first entry
-- @column rule_id STRING rule that classified the first entry; null for unknown templates
-- @column looks_like_failure BOOL an entry of the signature looked like a failure no rule knows
-- @column first_seen TIMESTAMP the signature's first entry
-- @column last_seen TIMESTAMP the signature's last entry
-- @column entries INT64 entries of the signature
-- @column revisions INT64 distinct revisions that logged it
-- @column introduced_in_revision STRING revision of the first entry
-- @column revision_first_seen TIMESTAMP that revision's first entry (any signature)
-- @column seconds_after_revision_start FLOAT64 first_seen minus revision_first_seen
-- @column previous_revision STRING the revision of the service that first logged before introduced_in_revision
WITH firsts AS (
  SELECT signature_id, service, category, template, rule_id, revision, event_timestamp
  FROM ${dataset}.events
  WHERE signature_id IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (PARTITION BY signature_id ORDER BY event_timestamp, event_id) = 1
),
totals AS (
  SELECT
    signature_id,
    LOGICAL_OR(COALESCE(looks_like_failure, FALSE)) AS looks_like_failure,
    MAX(event_timestamp) AS last_seen,
    COUNT(*) AS entries,
    COUNT(DISTINCT revision) AS revisions
  FROM ${dataset}.events
  WHERE signature_id IS NOT NULL
  GROUP BY signature_id
),
revision_starts AS (
  SELECT service, revision, MIN(event_timestamp) AS revision_first_seen
  FROM ${dataset}.events
  WHERE revision IS NOT NULL AND service IS NOT NULL
  GROUP BY service, revision
),
revision_order AS (
  SELECT
    *,
    LAG(revision) OVER (PARTITION BY service ORDER BY revision_first_seen, revision) AS previous_revision
  FROM revision_starts
)
SELECT
  f.signature_id, f.service, f.category, f.template, f.rule_id,
  t.looks_like_failure,
  f.event_timestamp AS first_seen,
  t.last_seen, t.entries, t.revisions,
  f.revision AS introduced_in_revision,
  r.revision_first_seen,
  TIMESTAMP_DIFF(f.event_timestamp, r.revision_first_seen, MICROSECOND) / 1000000 AS seconds_after_revision_start,
  r.previous_revision
FROM firsts AS f
JOIN totals AS t ON t.signature_id = f.signature_id
LEFT JOIN revision_order AS r ON r.service = f.service AND r.revision = f.revision
