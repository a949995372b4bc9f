/**
 * Generates realistic Cloud Logging entries for benchmarks: text lines, JSON payloads and
 * 10-40 line tracebacks from Cloud Run, GKE and Cloud Functions workloads. Deterministic
 * for a seed, so runs are comparable.
 */

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const hex = (r: Rand, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

const SERVICES = ['api', 'billing', 'checkout', 'search', 'notifier', 'auth', 'worker', 'gateway'];

const TEXT_LINES: ((r: Rand) => string)[] = [
  (r) => `INFO:     169.254.1.${Math.floor(r() * 255)}:0 - "GET /healthz HTTP/1.1" 200 OK`,
  (r) => `INFO:     10.0.${Math.floor(r() * 255)}.4:51234 - "POST /v1/orders/${hex(r, 8)} HTTP/1.1" 201 Created`,
  () => 'INFO:     Started server process [1]',
  () => 'INFO:     Waiting for application startup.',
  () => 'INFO:     Application startup complete.',
  () => 'INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)',
  (r) => `Phase 3 database initialization timeout after ${pick(r, ['8.0', '20.0', '25.0'])}s`,
  () => "ModuleNotFoundError: No module named 'app.monitoring'",
  () => 'Container called exit(3).',
  () => 'Default STARTUP TCP probe failed 1 time consecutively for container "api-1" on port 8080. The instance was not started.',
  (r) => `[2026-03-0${1 + Math.floor(r() * 9)} 10:00:00 +0000] [1] [INFO] Booting worker with pid: ${Math.floor(r() * 1000)}`,
  (r) => `Memory limit of 512 MiB exceeded with ${512 + Math.floor(r() * 64)} MiB used. Consider increasing the memory limit.`,
  (r) => `user ${hex(r, 6)} logged in from 10.2.${Math.floor(r() * 255)}.9 in ${Math.floor(r() * 900)}ms`,
  (r) => `cache miss for key product:${Math.floor(r() * 1e6)} ttl=300s`,
  (r) => `Database connection attempt ${1 + Math.floor(r() * 5)}/5 failed: timeout after 10.0s`,
  () => 'psycopg2.OperationalError: connection to server at "10.20.0.3", port 5432 failed: Connection timed out',
  () => 'The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout.',
];

const JSON_MESSAGES: ((r: Rand) => Record<string, unknown>)[] = [
  (r) => ({ message: `request completed`, path: `/v1/items/${Math.floor(r() * 1e5)}`, latency_ms: Math.floor(r() * 300), status: 200 }),
  (r) => ({ severity: 'ERROR', message: `Phase 3 database initialization timeout after ${pick(r, ['20.0', '25.0'])}s`, phase: 3 }),
  (r) => ({ msg: `sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00`, pid: Math.floor(r() * 100) }),
  (r) => ({ event: 'order.created', order_id: hex(r, 12), amount_cents: Math.floor(r() * 10000) }),
  () => ({ message: 'Startup phase 2 (cache) completed', elapsed_s: 1.2 }),
];

function traceback(r: Rand): string {
  const depth = 4 + Math.floor(r() * 16);
  const frames: string[] = [];
  for (let i = 0; i < depth; i++) {
    const mod = pick(r, ['starlette/routing.py', 'uvicorn/lifespan/on.py', 'app/startup.py', 'app/db/session.py', 'asyncpg/pool.py']);
    frames.push(`  File "/usr/local/lib/python3.11/site-packages/${mod}", line ${Math.floor(r() * 900)}, in ${pick(r, ['startup', 'lifespan', 'connect', '_async__init__', 'wait_for'])}`);
    frames.push(`    ${pick(r, ['await self._startup()', 'return await fut', 'await pool', 'raise exc'])}`);
  }
  const final = pick(r, [
    'RuntimeError: Phase 3 database initialization timeout after 20.0s',
    "ModuleNotFoundError: No module named 'app.monitoring'",
    'asyncpg.exceptions.TooManyConnectionsError: sorry, too many clients already',
    `KeyError: '${pick(r, ['DATABASE_URL', 'REDIS_URL'])}'`,
  ]);
  return ['Traceback (most recent call last):', ...frames, final].join('\n');
}

function resource(r: Rand, service: string) {
  return {
    type: 'cloud_run_revision',
    labels: { project_id: 'acme-prod', service_name: service, revision_name: `${service}-000${Math.floor(r() * 9)}-${hex(r, 3)}`, location: 'europe-west1', configuration_name: service },
  };
}

/** One LogEntry as it arrives from `gcloud logging read` or a sink. */
export function generateEntry(r: Rand, i: number, baseMs = Date.UTC(2026, 2, 1)): Record<string, unknown> {
  const service = pick(r, SERVICES);
  const base = {
    insertId: `${hex(r, 12)}${i}`,
    logName: `projects/acme-prod/logs/run.googleapis.com%2F${r() < 0.5 ? 'stdout' : 'stderr'}`,
    resource: resource(r, service),
    timestamp: new Date(baseMs + i * 37).toISOString(),
    receiveTimestamp: new Date(baseMs + i * 37 + 120).toISOString(),
    labels: { instanceId: `00${hex(r, 30)}` },
    severity: pick(r, ['INFO', 'DEFAULT', 'ERROR', 'WARNING']),
  };
  const kind = r();
  if (kind < 0.6) return { ...base, textPayload: pick(r, TEXT_LINES)(r) };
  if (kind < 0.9) return { ...base, jsonPayload: pick(r, JSON_MESSAGES)(r) };
  return { ...base, severity: 'ERROR', textPayload: traceback(r) };
}

/** NDJSON lines of entries, lazily, so a million entries never sit in memory at once. */
export function* generateNdjson(count: number, seed = 42): Generator<string> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) yield JSON.stringify(generateEntry(r, i));
}
