-- Failure signatures that first appeared once @revision started: what a deploy brought.
--
-- "Did this deploy break something?" The revision's first entry is the reference time; a
-- signature of the same service first seen at or after it is listed, with in_revision
-- telling whether the revision itself logged it first (rather than an older revision still
-- running, or a later one). Progress, success and unrelated lines are left out unless they
-- look like failures.
--
-- @param revision STRING the revision, e.g. orders-api-00041-xab
-- @column signature_id STRING the signature
-- @column category STRING taxonomy category
-- @column template STRING masked message template of its first entry
-- @column first_seen TIMESTAMP first entry
-- @column seconds_after_revision_start FLOAT64 first_seen minus the revision's first entry
-- @column introduced_in_revision STRING revision of the first entry
-- @column in_revision BOOL introduced_in_revision is @revision
-- @column entries INT64 entries so far
-- @column last_seen TIMESTAMP last entry
WITH deploy AS (
  SELECT service, MIN(event_timestamp) AS revision_first_seen
  FROM ${dataset}.events
  WHERE revision = @revision
  GROUP BY service
)
SELECT
  i.signature_id, i.category, i.template, i.first_seen,
  TIMESTAMP_DIFF(i.first_seen, d.revision_first_seen, MICROSECOND) / 1000000 AS seconds_after_revision_start,
  i.introduced_in_revision,
  COALESCE(i.introduced_in_revision = @revision, FALSE) AS in_revision,
  i.entries, i.last_seen
FROM ${dataset}.revision_introductions AS i
JOIN deploy AS d ON d.service = i.service
WHERE i.first_seen >= d.revision_first_seen
  AND (i.category NOT IN ('startup_progress', 'startup_success', 'not_startup_related') OR i.looks_like_failure)
ORDER BY i.first_seen, i.signature_id
