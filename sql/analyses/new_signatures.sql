-- New failure signatures: those first seen at or after @since.
--
-- "What is failing that never failed before?" Failures of every category, and entries no
-- rule knows that look like failures (looks_like_failure); progress, success and unrelated
-- lines are left out. introduced_in_revision and seconds_after_revision_start tell whether
-- a deploy brought it.
--
-- @param since TIMESTAMP signatures first seen at or after this instant (RFC 3339)
-- @param service STRING = NULL only this workload; NULL for all
-- @column signature_id STRING the signature
-- @column service STRING workload
-- @column category STRING taxonomy category
-- @column template STRING masked message template of its first entry
-- @column first_seen TIMESTAMP first entry
-- @column last_seen TIMESTAMP last entry
-- @column entries INT64 entries so far
-- @column introduced_in_revision STRING revision of the first entry
-- @column seconds_after_revision_start FLOAT64 how long after that revision's first entry
WITH introductions AS (
  SELECT *
  FROM ${dataset}.revision_introductions
  WHERE first_seen >= @since
    AND (@service IS NULL OR service = @service)
)
SELECT
  signature_id, service, category, template, first_seen, last_seen, entries,
  introduced_in_revision, seconds_after_revision_start
FROM introductions
WHERE category NOT IN ('startup_progress', 'startup_success', 'not_startup_related')
  OR looks_like_failure
ORDER BY first_seen, signature_id
