import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTelemetryLine, TELEMETRY_LABELS } from '../../functions/adapters/telemetry/stdout.js';
import { REPO, flag, parsePrinted } from './harness.js';
import { compileFilter } from './log-filter.js';

type Entry = Record<string, unknown>;

/** The --log-filter deploy.sh gives the sink, from its dry run. */
function sinkFilter(extra: string[] = []): string {
  const run = spawnSync('bash', [join(REPO, 'deploy.sh'), '--project', 'p-filter', '--region', 'us-central1', '--dry-run', ...extra], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const create = parsePrinted(run.stdout).find((c) => c.slice(1, 4).join(' ') === 'logging sinks create');
  return flag(create ?? [], 'log-filter') ?? '';
}

const FILTER = sinkFilter();
const passes = compileFilter(FILTER);
const NOT_STARTUP = new Set(['not_startup_related', 'invalid']);

const corpus = readFileSync(join(REPO, 'test', 'fixtures', 'corpus', 'labelled.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; entry: unknown; expect: { category: string } });

function runEntry(service: string, fields: Entry): Entry {
  return {
    resource: { type: 'cloud_run_revision', labels: { service_name: service, revision_name: `${service}-00001-abc`, location: 'us-central1' } },
    logName: 'projects/p/logs/run.googleapis.com%2Fstdout',
    severity: 'DEFAULT',
    ...fields,
  };
}

describe('the log sink filter', () => {
  it('fits in a sink filter (at most 20,000 characters)', () => {
    expect(FILTER.length).toBeLessThanOrEqual(20_000);
  });

  it('keeps every labelled startup entry of the corpus: failures, successes and progress', () => {
    const startup = corpus.filter((c) => !NOT_STARTUP.has(c.expect.category) && typeof c.entry === 'object' && c.entry !== null);
    expect(startup.length).toBeGreaterThan(150);
    const dropped = startup.filter((c) => !passes(c.entry as Entry)).map((c) => c.id);
    expect(dropped).toEqual([]);
  });

  it('keeps every example of a startup rule even at INFO severity: the words alone let it through', () => {
    const dir = join(REPO, 'functions', 'rules', 'v1');
    const examples = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { rules: { id: string; category: string; examples?: { match?: unknown[] } }[] }).rules)
      .filter((r) => !NOT_STARTUP.has(r.category))
      .flatMap((r) => (r.examples?.match ?? []).map((m) => ({ rule: r.id, text: typeof m === 'string' ? m : String((m as { text: unknown }).text) })));
    expect(examples.length).toBeGreaterThan(300);
    const dropped = examples.filter((x) => !passes(runEntry('api', { severity: 'INFO', textPayload: x.text }))).map((x) => `${x.rule}: ${x.text}`);
    expect(dropped).toEqual([]);
  });

  it("drops Faultline's own telemetry, wherever it runs", () => {
    const line = JSON.parse(formatTelemetryLine('ERROR', 'BigQueryInsertFailed', { error: new Error('connect ETIMEDOUT'), rows: 3 })) as Entry;
    const { ['logging.googleapis.com/labels']: _labels, ...payload } = line;
    expect(passes(runEntry('some-service', { severity: 'ERROR', jsonPayload: payload }))).toBe(true);
    expect(passes(runEntry('some-service', { severity: 'ERROR', jsonPayload: payload, labels: { ...TELEMETRY_LABELS } }))).toBe(false);
  });

  it("drops every line of Faultline's own functions, labelled or not", () => {
    const crash = { severity: 'ERROR', textPayload: 'Error: insertAll failed: 503 Service Unavailable\n    at BigQuery.request (/workspace/node_modules/x.js:1:1)' };
    for (const service of ['faultline-ingest', 'faultline-evaluate-alerts']) {
      expect(passes(runEntry(service, crash))).toBe(false);
      expect(passes(runEntry(service, { severity: 'INFO', textPayload: 'Default STARTUP TCP probe succeeded after 1 attempt for container "worker" on port 8080.', logName: 'projects/p/logs/run.googleapis.com%2Fvarlog%2Fsystem' }))).toBe(false);
      expect(passes({ resource: { type: 'cloud_function', labels: { function_name: service } }, logName: 'projects/p/logs/cloudfunctions.googleapis.com%2Fcloud-functions', ...crash })).toBe(false);
    }
    expect(passes(runEntry('faultline-ingest-but-not-ours', crash))).toBe(true);
  });

  it('drops request logs, other resource types and ordinary INFO lines', () => {
    expect(passes(runEntry('api', { severity: 'ERROR', logName: 'projects/p/logs/run.googleapis.com%2Frequests', httpRequest: { status: 503 } }))).toBe(false);
    expect(passes({ resource: { type: 'gce_instance', labels: {} }, severity: 'ERROR', textPayload: 'Traceback (most recent call last):', logName: 'projects/p/logs/syslog' })).toBe(false);
    expect(passes(runEntry('api', { severity: 'INFO', jsonPayload: { message: 'order ord_8842 placed (total 45.99 EUR)' } }))).toBe(false);
    expect(passes(runEntry('api', { severity: 'INFO', jsonPayload: { message: 'Application startup complete.' } }))).toBe(true);
  });

  it("keeps GKE's events and its nodes' kubelet lines, which the kubelet rules classify, but no other node log", () => {
    const node = { type: 'k8s_node', labels: { project_id: 'p', location: 'europe-west1-b', cluster_name: 'prod', node_name: 'gke-prod-pool-1-abcd1234-xyz9' } };
    const sync =
      'E1130 08:04:01.123456    1834 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"api\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=api pod=api-7d9f8c6b5-xk2lp_prod(0f1e2d3c)\\""';
    expect(passes({ resource: node, logName: 'projects/p/logs/kubelet', severity: 'ERROR', textPayload: sync })).toBe(true);
    expect(passes({ resource: node, logName: 'projects/p/logs/events', severity: 'WARNING', jsonPayload: { message: 'Memory cgroup out of memory: Killed process 4242 (python)' } })).toBe(true);
    expect(passes({ resource: node, logName: 'projects/p/logs/container-runtime', severity: 'ERROR', textPayload: sync })).toBe(false);
    // as GKE stores them: journald's fields, the line in MESSAGE, probe failures at INFO
    const probe = 'I1129 12:00:05.000000    1834 prober.go:107] "Probe failed" probeType="Startup" pod="default/api-7d9f8c6b5-xk2lp" containerName="api"';
    expect(passes({ resource: node, logName: 'projects/p/logs/kubelet', severity: 'INFO', jsonPayload: { MESSAGE: probe, PRIORITY: '6' } })).toBe(true);
  });

  it("keeps startup lines of .NET's JSON console, Serilog's compact JSON and ECS layouts, whose keys other loggers do not use", () => {
    const keeps = [
      { Message: 'Hosting failed to start', Exception: 'System.IO.IOException: Failed to bind to address http://[::]:8080: address already in use.' },
      { Message: 'Now listening on: http://[::]:8080', LogLevel: 'Information' },
      { '@mt': 'Now listening on: {address}', address: 'http://[::]:8080' },
      { '@m': 'Application started. Press Ctrl+C to shut down.' },
      { '@mt': 'Unhandled error', '@x': 'Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.0.5:5432' },
      // ECS: the level is in log.level, not severity; the cause only in the error fields
      { message: 'Application stopped', 'log.level': 'ERROR', 'error.message': 'Connection to 10.0.0.5:5432 refused.' },
      { message: 'Application stopped', 'error.stack_trace': 'org.postgresql.util.PSQLException: Connection to 10.0.0.5:5432 refused.' },
      { message: 'Application stopped', error: { type: 'X', stack_trace: 'org.postgresql.util.PSQLException: Connection refused' } },
    ];
    for (const payload of keeps) expect({ payload, passes: passes(runEntry('api', { severity: 'DEFAULT', jsonPayload: payload })) }).toEqual({ payload, passes: true });
    expect(passes(runEntry('api', { severity: 'DEFAULT', jsonPayload: { Message: 'order ord_8842 placed', '@mt': 'order {id} placed' } }))).toBe(false);
  });

  it('narrows to the services of --service-filter', () => {
    const only = compileFilter(sinkFilter(['--service-filter', 'resource.labels.service_name=("orders-api" OR "ledger")']));
    const failure = { severity: 'ERROR', textPayload: 'ModuleNotFoundError: No module named asyncpg' };
    expect(only(runEntry('orders-api', failure))).toBe(true);
    expect(only(runEntry('ledger', failure))).toBe(true);
    expect(only(runEntry('checkout', failure))).toBe(false);
  });
});
