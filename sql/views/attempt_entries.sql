-- One row per entry that is part of a start attempt, with the attempt it belongs to.
--
-- A start attempt is one boot of one container instance. Its entries are the ones that say
-- something about starting: progress, success and every failure category. Unrelated lines
-- (request logs, business events) and the bare lines of a split traceback (fragments, which
-- have no signature) are left out.
--
-- The attempt is keyed by the instance id (Cloud Run labels.instanceId, the GKE pod name).
-- Fallback for entries without one (Cloud Functions 1st gen, some exports): the entries of
-- one service and revision form one attempt until the service logs nothing about starting
-- for 120 seconds; the attempt id is then `service/revision@first-entry-time` and
-- attempt_source is 'session'.
--
-- @column attempt_id STRING the instance id, or `service/revision@RFC3339` for a session
-- @column attempt_source STRING 'instance_id', or 'session' for the fallback
-- @column event_id STRING the entry (events.event_id)
-- @column event_timestamp TIMESTAMP when the entry happened
-- @column project STRING project of the monitored resource
-- @column service STRING workload
-- @column revision STRING revision, when the platform has one
-- @column instance_id STRING instance id, null in a session
-- @column category STRING taxonomy category of the entry
-- @column signature_id STRING signature of the entry
-- @column template STRING masked message template of the entry
-- @column position INT64 1 for the attempt's first entry, then 2, 3, ... in time order
-- @column repeats_previous BOOL the previous entry of the attempt had the same signature
WITH startup AS (
  SELECT event_id, event_timestamp, project, service, revision, instance_id, category, signature_id, template
  FROM ${dataset}.events
  WHERE category != 'not_startup_related'
    AND signature_id IS NOT NULL
),
gaps AS (
  SELECT
    *,
    LAG(event_timestamp) OVER (PARTITION BY service, revision, instance_id ORDER BY event_timestamp, event_id) AS previous_timestamp
  FROM startup
),
sessions AS (
  SELECT
    *,
    -- the start of the session this entry belongs to (entries without an instance id only)
    MAX(IF(previous_timestamp IS NULL OR event_timestamp > TIMESTAMP_ADD(previous_timestamp, INTERVAL 120 SECOND), event_timestamp, NULL))
      OVER (PARTITION BY service, revision, instance_id ORDER BY event_timestamp, event_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_start
  FROM gaps
),
keyed AS (
  SELECT
    IF(
      instance_id IS NOT NULL,
      instance_id,
      COALESCE(service, '-') || '/' || COALESCE(revision, '-') || '@' || FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', session_start)
    ) AS attempt_id,
    IF(instance_id IS NOT NULL, 'instance_id', 'session') AS attempt_source,
    event_id, event_timestamp, project, service, revision, instance_id, category, signature_id, template
  FROM sessions
)
SELECT
  attempt_id, attempt_source, event_id, event_timestamp, project, service, revision, instance_id, category, signature_id, template,
  ROW_NUMBER() OVER attempt AS position,
  COALESCE(LAG(signature_id) OVER attempt = signature_id, FALSE) AS repeats_previous
FROM keyed
WINDOW attempt AS (PARTITION BY attempt_id, service, revision ORDER BY event_timestamp, event_id)
