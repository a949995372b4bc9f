-- One row per start attempt: what it logged, how it ended, and the root cause of a failure.
--
-- Attempts and their entries come from attempt_entries (keyed by instance id, with a
-- session fallback). The outcome is the taxonomy's: the attempt's first entry that is a
-- success or a failure decides it ('success' for startup_success, 'failure' for any failure
-- category, 'unknown' when the attempt logged only progress). A failed attempt's root cause
-- is its most specific failure (category_specificity): the ImportError or the database
-- timeout, not the exit code, the "Application startup failed" line or the failed probe it
-- caused. Between equally specific failures the later one wins: retry warnings (a connect
-- attempt timed out) come before the failure that ended the start (the phase timed out).
-- A successful attempt's chain goes on with the failures its instance logged while serving
-- (a pool exhausted under load); they do not change its outcome.
--
-- @column attempt_id STRING the instance id, or `service/revision@RFC3339` for a session
-- @column attempt_source STRING 'instance_id', or 'session' for the fallback
-- @column project STRING project of the monitored resource
-- @column service STRING workload
-- @column revision STRING revision the instance ran
-- @column instance_id STRING instance id, null in a session
-- @column first_timestamp TIMESTAMP the attempt's first entry
-- @column last_timestamp TIMESTAMP the attempt's last entry
-- @column entries INT64 entries of the attempt
-- @column outcome STRING success, failure or unknown
-- @column outcome_category STRING category of the entry that decided the outcome
-- @column outcome_timestamp TIMESTAMP when the outcome was logged
-- @column signature_chain ARRAY<STRING> signatures in time order, a repeated signature once
-- @column category_chain ARRAY<STRING> the categories of signature_chain, position by position
-- @column root_cause_signature_id STRING signature of the root cause (failures only)
-- @column root_cause_category STRING category of the root cause
-- @column root_cause_template STRING template of the root cause
-- @column root_cause_event_id STRING the entry that logged the root cause
WITH entries AS (
  SELECT
    *,
    attempt_id || '|' || COALESCE(service, '') || '|' || COALESCE(revision, '') AS attempt_key
  FROM ${dataset}.attempt_entries
),
attempts AS (
  SELECT
    attempt_key, attempt_id, attempt_source, service, revision,
    MIN(project) AS project,
    MIN(instance_id) AS instance_id,
    MIN(event_timestamp) AS first_timestamp,
    MAX(event_timestamp) AS last_timestamp,
    COUNT(*) AS entries,
    ARRAY_AGG(IF(repeats_previous, NULL, signature_id) IGNORE NULLS ORDER BY position) AS signature_chain,
    ARRAY_AGG(IF(repeats_previous, NULL, category) IGNORE NULLS ORDER BY position) AS category_chain
  FROM entries
  GROUP BY attempt_key, attempt_id, attempt_source, service, revision
),
outcomes AS (
  SELECT attempt_key, category AS outcome_category, event_timestamp AS outcome_timestamp
  FROM entries
  WHERE category != 'startup_progress'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY attempt_key ORDER BY position) = 1
),
root_causes AS (
  SELECT
    e.attempt_key,
    e.signature_id AS root_cause_signature_id,
    e.category AS root_cause_category,
    e.template AS root_cause_template,
    e.event_id AS root_cause_event_id
  FROM entries AS e
  JOIN ${dataset}.category_specificity AS c ON c.category = e.category
  WHERE e.category NOT IN ('startup_progress', 'startup_success')
  QUALIFY ROW_NUMBER() OVER (PARTITION BY e.attempt_key ORDER BY c.specificity DESC, e.position DESC) = 1
)
SELECT
  a.attempt_id, a.attempt_source, a.project, a.service, a.revision, a.instance_id,
  a.first_timestamp, a.last_timestamp, a.entries,
  CASE
    WHEN o.outcome_category IS NULL THEN 'unknown'
    WHEN o.outcome_category = 'startup_success' THEN 'success'
    ELSE 'failure'
  END AS outcome,
  o.outcome_category,
  o.outcome_timestamp,
  a.signature_chain,
  a.category_chain,
  IF(o.outcome_category != 'startup_success', r.root_cause_signature_id, NULL) AS root_cause_signature_id,
  IF(o.outcome_category != 'startup_success', r.root_cause_category, NULL) AS root_cause_category,
  IF(o.outcome_category != 'startup_success', r.root_cause_template, NULL) AS root_cause_template,
  IF(o.outcome_category != 'startup_success', r.root_cause_event_id, NULL) AS root_cause_event_id
FROM attempts AS a
LEFT JOIN outcomes AS o ON o.attempt_key = a.attempt_key
LEFT JOIN root_causes AS r ON r.attempt_key = a.attempt_key
