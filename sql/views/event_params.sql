-- One row per entry and numeric param (timeout_s, exit_code, ...), as FLOAT64.
--
-- params is JSON whose keys depend on the rule; this view lists the numeric ones (every
-- int or float param a rule in functions/rules declares: the test suite checks the list)
-- so that trends can aggregate them. configured_limit marks the params that are settings
-- rather than measurements (a timeout, a pool size, a memory limit): when one of those
-- changes, someone changed the configuration, which is what timeout_escalation follows.
--
-- @column event_id STRING the entry (events.event_id)
-- @column event_timestamp TIMESTAMP when the entry happened
-- @column service STRING workload
-- @column revision STRING revision
-- @column signature_id STRING signature of the entry
-- @column category STRING taxonomy category of the entry
-- @column param STRING param name, with its unit (timeout_s, memory_limit_mib, ...)
-- @column value FLOAT64 the param's value
-- @column configured_limit BOOL a setting (timeout_s, pool_size, ...) rather than a measurement
WITH numeric_params AS (
  SELECT
    e.event_id, e.event_timestamp, e.service, e.revision, e.signature_id, e.category,
    [
      STRUCT('timeout_s' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.timeout_s') AS FLOAT64) AS value, TRUE AS configured_limit),
      STRUCT('timeout_ms' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.timeout_ms') AS FLOAT64) AS value, TRUE AS configured_limit),
      STRUCT('pool_timeout_s' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.pool_timeout_s') AS FLOAT64) AS value, TRUE AS configured_limit),
      STRUCT('pool_size' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.pool_size') AS FLOAT64) AS value, TRUE AS configured_limit),
      STRUCT('max_overflow' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.max_overflow') AS FLOAT64) AS value, TRUE AS configured_limit),
      STRUCT('memory_limit_mib' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.memory_limit_mib') AS FLOAT64) AS value, TRUE AS configured_limit),
      STRUCT('memory_used_mib' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.memory_used_mib') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('elapsed_s' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.elapsed_s') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('phase' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.phase') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('attempt' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.attempt') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('port' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.port') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('total' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.total') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('active' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.active') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('idle' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.idle') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('waiting' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.waiting') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('errno' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.errno') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('http_status' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.http_status') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('failures' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.failures') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('exit_code' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.exit_code') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('signal' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.signal') AS FLOAT64) AS value, FALSE AS configured_limit),
      STRUCT('pid' AS param, SAFE_CAST(JSON_EXTRACT_SCALAR(e.params, '$.pid') AS FLOAT64) AS value, FALSE AS configured_limit)
    ] AS candidates
  FROM ${dataset}.events AS e
  WHERE e.params IS NOT NULL
)
SELECT n.event_id, n.event_timestamp, n.service, n.revision, n.signature_id, n.category, p.param, p.value, p.configured_limit
FROM numeric_params AS n
CROSS JOIN UNNEST(n.candidates) AS p
WHERE p.value IS NOT NULL
