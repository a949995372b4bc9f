-- How specific each taxonomy category is as the cause of a failed start (higher wins).
--
-- The classification engine's category priorities (functions/core/classify/compile.ts):
-- a database, import, configuration or permission failure (300) explains the failed probe,
-- the restart back-off or the worker timeout it leads to (200), which explain the exit code
-- (150), which explains a generic "application startup failed" or crash (100). The test
-- suite checks that this list and the engine's agree.
--
-- @column category STRING taxonomy category (shared/spec/taxonomy.md)
-- @column specificity INT64 300 root causes, 200 platform symptoms, 150 exit codes, 100 generic crashes, 50 progress and success, 10 unrelated
WITH categories AS (
  SELECT 'db_init_timeout' AS category, 300 AS specificity
  UNION ALL SELECT 'init_timeout', 300
  UNION ALL SELECT 'db_connect_timeout', 300
  UNION ALL SELECT 'connection_refused', 300
  UNION ALL SELECT 'db_pool_exhausted', 300
  UNION ALL SELECT 'db_too_many_connections', 300
  UNION ALL SELECT 'db_auth_failed', 300
  UNION ALL SELECT 'cloudsql_connector', 300
  UNION ALL SELECT 'vpc_connector', 300
  UNION ALL SELECT 'import_error', 300
  UNION ALL SELECT 'config_missing', 300
  UNION ALL SELECT 'permission_denied', 300
  UNION ALL SELECT 'dns', 300
  UNION ALL SELECT 'port_in_use', 300
  UNION ALL SELECT 'oom', 300
  UNION ALL SELECT 'port_not_listening', 200
  UNION ALL SELECT 'startup_probe_failed', 200
  UNION ALL SELECT 'restart_backoff', 200
  UNION ALL SELECT 'worker_timeout', 200
  UNION ALL SELECT 'exit_code', 150
  UNION ALL SELECT 'app_startup_failed', 100
  UNION ALL SELECT 'unhandled_exception', 100
  UNION ALL SELECT 'startup_progress', 50
  UNION ALL SELECT 'startup_success', 50
  UNION ALL SELECT 'not_startup_related', 10
)
SELECT category, specificity
FROM categories
