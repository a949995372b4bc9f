// Writes the bundled sample incident's entries.ndjson: Cloud Logging LogEntries, as
// `gcloud logging read --order=asc --format=json` exports them, one per line.
// Deterministic: the same file on every run. (issues.json, the tracker issues, is written
// by hand.)
//
//   node samples/incident/generate.mjs
//
// The story and its timeline are in README.md next to this file; the PHASES table below is
// that timeline in code.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const PROJECT = 'acme-shop-prod';
const REGION = 'europe-west1';
const DAY0 = Date.UTC(2026, 2, 2); // Monday 2 March 2026, 00:00 UTC
const HOUR = 3_600_000;
const MIN = 60_000;
const at = (day, hh, mm = 0) => DAY0 + day * 24 * HOUR + hh * HOUR + mm * MIN;
const END = at(3, 0);

// mulberry32: small, fast, deterministic
let seed = 0x5eed1263;
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const between = (lo, hi) => lo + rand() * (hi - lo);

/** RFC 3339 with microseconds, as Cloud Logging writes them. */
function iso(ms) {
  const whole = Math.floor(ms);
  const micros = String(Math.floor((ms - whole) * 1000)).padStart(3, '0');
  return new Date(whole).toISOString().replace('Z', `${micros}Z`);
}

const entries = [];

/** Keys in alphabetical order, as gcloud prints them. */
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

function emit(ctx, tMs, log, body) {
  entries.push(sorted({
    ...body,
    insertId: hex(24),
    labels: { instanceId: ctx.instanceId },
    logName: `projects/${PROJECT}/logs/run.googleapis.com%2F${log}`,
    receiveTimestamp: iso(tMs + between(40, 400)),
    resource: {
      labels: { configuration_name: ctx.service, location: REGION, project_id: PROJECT, revision_name: ctx.revision, service_name: ctx.service },
      type: 'cloud_run_revision',
    },
    timestamp: iso(tMs),
  }));
}
const text = (ctx, t, log, textPayload, severity) => emit(ctx, t, log, severity ? { severity, textPayload } : { textPayload });
const json = (ctx, t, severity, payload) => emit(ctx, t, 'stdout', { jsonPayload: payload, severity });
const system = (ctx, t, severity, line) => text(ctx, t, 'varlog%2Fsystem', line, severity);

const uvicornStart = (ctx, t) => {
  text(ctx, t, 'stderr', 'INFO:     Started server process [1]');
  text(ctx, t + 4, 'stderr', 'INFO:     Waiting for application startup.');
};
const phase = (ctx, t, n, name, s) => json(ctx, t, 'INFO', { message: `Phase ${n} (${name}) completed in ${s.toFixed(2)}s`, logger: 'app.boot', phase: n });
const DB_TARGET = `Cloud SQL ${PROJECT}:${REGION}:orders-pg at 10.20.0.3:5432 through VPC connector run-to-sql`;

function probe(ctx, t, ok) {
  const c = `"${ctx.service}-1"`;
  if (ok) system(ctx, t, 'INFO', `Default STARTUP TCP probe succeeded after 1 attempt for container ${c} on port 8080.`);
  else system(ctx, t, 'ERROR', `Default STARTUP TCP probe failed 1 time consecutively for container ${c} on port 8080. The instance was not started.`);
}

/** A Python (uvicorn) start that works: progress lines, then the success lines and the probe. */
function pythonSuccess(ctx, t0) {
  uvicornStart(ctx, t0);
  let t = t0 + between(80, 200);
  phase(ctx, t, 1, 'config', between(0.08, 0.2));
  t += between(500, 1200);
  phase(ctx, t, 2, 'cache', between(0.4, 1.1));
  if (ctx.service === 'orders-api') {
    json(ctx, t + 5, 'INFO', { message: `Phase 3 (database) started: connecting to ${DB_TARGET}`, logger: 'app.boot', phase: 3 });
    t += between(1500, 3500);
    phase(ctx, t, 3, 'database', (t - t0) / 1000 - 1.3);
  }
  text(ctx, t + 20, 'stderr', 'INFO:     Application startup complete.');
  text(ctx, t + 22, 'stderr', 'INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)');
  probe(ctx, t + between(300, 900), true);
  return t + 1000;
}

function nodeSuccess(ctx, t0) {
  text(ctx, t0, 'stdout', '> catalog-web@3.8.1 start');
  text(ctx, t0 + 2, 'stdout', '> node dist/server.js');
  json(ctx, t0 + between(600, 1200), 'INFO', { message: `Loaded ${1800 + Math.floor(rand() * 90)} products into cache in ${Math.floor(between(300, 700))}ms` });
  text(ctx, t0 + 1400, 'stdout', 'Server listening on port 8080');
  probe(ctx, t0 + between(1600, 2200), true);
  return t0 + 2500;
}

const IMPORT_TRACE = [
  'ERROR:    Traceback (most recent call last):',
  '  File "/usr/local/lib/python3.12/site-packages/starlette/routing.py", line 732, in lifespan',
  '    async with self.lifespan_context(app) as maybe_state:',
  '  File "/usr/local/lib/python3.12/contextlib.py", line 210, in __aenter__',
  '    return await anext(self.gen)',
  '  File "/app/app/main.py", line 31, in lifespan',
  '    from app.monitoring import setup_monitoring',
  "ModuleNotFoundError: No module named 'app.monitoring'",
];

/** Revision 00041: app.monitoring was left out of the image; lifespan startup imports it. */
function importErrorStart(ctx, t0) {
  uvicornStart(ctx, t0);
  phase(ctx, t0 + 150, 1, 'config', between(0.08, 0.2));
  const t = t0 + between(900, 1400);
  // About one start in three has its traceback split into one entry per line, as Cloud Run
  // does when the app writes it in pieces.
  if (rand() < 0.33) IMPORT_TRACE.forEach((line, i) => text(ctx, t + i * 0.3, 'stderr', line));
  else text(ctx, t, 'stderr', IMPORT_TRACE.join('\n'));
  return crash(ctx, t + 10);
}

function crash(ctx, t) {
  text(ctx, t, 'stderr', 'ERROR:    Application startup failed. Exiting.');
  system(ctx, t + between(200, 600), 'WARNING', 'Container called exit(3).');
  probe(ctx, t + between(700, 1500), false);
  return t + 2000;
}

const ASYNCPG_TRACE = [
  'ERROR:    Traceback (most recent call last):',
  '  File "/usr/local/lib/python3.12/site-packages/starlette/routing.py", line 732, in lifespan',
  '    async with self.lifespan_context(app) as maybe_state:',
  '  File "/app/app/main.py", line 38, in lifespan',
  '    await db.init(timeout_s=settings.db_init_timeout_s)',
  '  File "/app/app/db.py", line 57, in init',
  '    self.pool = await asyncpg.create_pool(dsn=self.dsn, min_size=2, max_size=10, timeout=5)',
  '  File "/usr/local/lib/python3.12/site-packages/asyncpg/pool.py", line 403, in _async__init__',
  '    await self._initialize()',
  '  File "/usr/local/lib/python3.12/site-packages/asyncpg/connection.py", line 2329, in connect',
  '    async with compat.timeout(timeout):',
  '  File "/usr/local/lib/python3.12/asyncio/timeouts.py", line 115, in __aexit__',
  '    raise TimeoutError from exc_val',
  'TimeoutError',
].join('\n');

/**
 * Phase 3 cannot reach Cloud SQL through the saturated VPC connector: 5 s connect attempts
 * time out until the phase's own deadline (timeoutS) is hit, and uvicorn exits with 3.
 */
function dbTimeoutStart(ctx, t0, timeoutS, tooMany) {
  uvicornStart(ctx, t0);
  let t = t0 + between(80, 200);
  phase(ctx, t, 1, 'config', between(0.08, 0.2));
  t += between(500, 1200);
  phase(ctx, t, 2, 'cache', between(0.4, 1.1));
  const p3 = t + 5;
  json(ctx, p3, 'INFO', { message: `Phase 3 (database) started: connecting to ${DB_TARGET}`, logger: 'app.boot', phase: 3 });
  for (let a = 1; a * 5 < timeoutS; a++) {
    if (tooMany && a === 1) text(ctx, p3 + 900, 'stderr', 'asyncpg.exceptions.TooManyConnectionsError: sorry, too many clients already');
    else json(ctx, p3 + a * 5000, 'WARNING', { message: `Database connection attempt ${a}/5 to 10.20.0.3:5432 failed: timeout after 5.0s`, logger: 'app.db' });
  }
  const end = p3 + timeoutS * 1000;
  text(ctx, end + 2, 'stderr', ASYNCPG_TRACE);
  json(ctx, end + 4, 'ERROR', { message: `Phase 3 database initialization timeout after ${timeoutS.toFixed(1)}s`, logger: 'app.boot', phase: 3 });
  return crash(ctx, end + 8);
}

const CUSTOMERS = ['203.0.113.24', '198.51.100.7', '203.0.113.81', '192.0.2.145', '198.51.100.62'];

/** While an instance serves: request logs, uvicorn access lines, health checks, business events. */
function serve(ctx, from, to, poolTrouble) {
  const url = `https://${ctx.service}-7x2kq3abcd-ew.a.run.app`;
  for (let t = from + between(20_000, 120_000); t < to; t += between(6, 18) * MIN) {
    const order = hex(10);
    const [method, path, status] = ctx.service === 'catalog-web'
      ? ['GET', `/products/${Math.floor(rand() * 2000)}`, 200]
      : ctx.service === 'payments-api' ? ['POST', '/v1/payments', 201] : ['POST', '/v1/orders', 201];
    const failed = poolTrouble(t) && rand() < 0.5;
    emit(ctx, t, 'requests', {
      httpRequest: {
        latency: `${failed ? between(30, 31).toFixed(6) : between(0.02, 0.3).toFixed(6)}s`,
        protocol: 'HTTP/1.1',
        remoteIp: pick(CUSTOMERS),
        requestMethod: method,
        requestSize: String(300 + Math.floor(rand() * 400)),
        requestUrl: `${url}${path}`,
        responseSize: String(failed ? 21 : 150 + Math.floor(rand() * 300)),
        serverIp: '216.239.36.53',
        status: failed ? 500 : status,
        userAgent: pick(['acme-web/4.2.0', 'acme-ios/7.1 (iPhone; iOS 19.2)', 'okhttp/4.12.0']),
      },
      severity: failed ? 'ERROR' : 'INFO',
      trace: `projects/${PROJECT}/traces/${hex(32)}`,
    });
    if (ctx.service === 'catalog-web') continue;
    text(ctx, t + 3, 'stderr', `INFO:     169.254.1.1:${20000 + Math.floor(rand() * 40000)} - "${method} ${path} HTTP/1.1" ${failed ? '500 Internal Server Error' : (status === 201 ? '201 Created' : '200 OK')}`);
    if (failed) {
      text(ctx, t + 2, 'stderr', 'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)');
    } else if (ctx.service === 'orders-api') {
      json(ctx, t + 4, 'INFO', { message: 'order created', order_id: `ord_${order}`, amount_cents: 500 + Math.floor(rand() * 20000), logger: 'app.orders' });
    } else {
      json(ctx, t + 4, 'INFO', { message: 'payment authorised', payment_id: `pay_${order}`, logger: 'app.payments' });
    }
    if (rand() < 0.3) text(ctx, t + 40_000, 'stderr', 'INFO:     169.254.1.1:0 - "GET /healthz HTTP/1.1" 200 OK');
  }
  text(ctx, to, 'stderr', 'INFO:     Shutting down');
  text(ctx, to + 3, 'stderr', 'INFO:     Finished server process [1]');
}

// The incident as data: from `from` on, orders-api runs `revision`; a start fails with `fail`
// with probability `p`, and `rate` start attempts happen per hour (crash loops add retries).
const PHASES = [
  { from: at(0, 0), revision: 'orders-api-00040-kex', rate: 1.2, p: 0, fail: null },
  { from: at(0, 9, 42), revision: 'orders-api-00041-xab', rate: 14, p: 1, fail: 'import' },
  { from: at(0, 10, 58), revision: 'orders-api-00042-mop', rate: 2, p: 0, fail: null },
  { from: at(0, 13, 50), revision: 'orders-api-00042-mop', rate: 7, p: 0.75, fail: 8 },
  { from: at(0, 18, 12), revision: 'orders-api-00043-tip', rate: 3, p: 0.3, fail: 20 },
  { from: at(0, 22, 0), revision: 'orders-api-00043-tip', rate: 1, p: 0.05, fail: 20 },
  { from: at(1, 7, 30), revision: 'orders-api-00043-tip', rate: 4, p: 0.4, fail: 20 },
  { from: at(1, 10, 0), revision: 'orders-api-00043-tip', rate: 1.5, p: 0, fail: null },
  { from: at(1, 18, 30), revision: 'orders-api-00043-tip', rate: 6, p: 0.6, fail: 20, tooMany: 0.3 },
  { from: at(1, 21, 34), revision: 'orders-api-00044-vel', rate: 2, p: 0.2, fail: 25 },
  { from: at(2, 7, 30), revision: 'orders-api-00044-vel', rate: 5, p: 0.5, fail: 25 },
  { from: at(2, 10, 40), revision: 'orders-api-00044-vel', rate: 1.5, p: 0, fail: null },
];
/** During the busiest hours of day 2 running instances run out of pooled connections. */
const poolTrouble = (t) => (t >= at(1, 10) && t < at(1, 13, 30)) || (t >= at(2, 8) && t < at(2, 10, 30));

const phaseAt = (t) => PHASES.filter((p) => p.from <= t).at(-1);
const instanceId = () => `00${hex(8)}${hex(8)}${hex(8)}${hex(8)}${hex(8)}${hex(8)}${hex(6)}`;

function ordersApi() {
  const old = PHASES[0];
  for (let t = at(0, 0, 3); t < END; ) {
    const ph = phaseAt(t);
    // the bad revision never serves, so the previous one keeps scaling in the meantime
    if (ph.fail === 'import' && rand() < 0.12) {
      const ctx = { service: 'orders-api', revision: old.revision, instanceId: instanceId() };
      serve(ctx, pythonSuccess(ctx, t + 20_000), t + between(20, 50) * MIN, poolTrouble);
    }
    const ctx = { service: 'orders-api', revision: ph.revision, instanceId: instanceId() };
    if (rand() < ph.p) {
      if (ph.fail === 'import') importErrorStart(ctx, t);
      else dbTimeoutStart(ctx, t, ph.fail, rand() < (ph.tooMany ?? 0));
    } else {
      const up = pythonSuccess(ctx, t);
      serve(ctx, up, Math.min(END - MIN, up + between(15, 70) * MIN), poolTrouble);
    }
    const next = t + (HOUR / ph.rate) * between(0.5, 1.5);
    // a deploy (or the load changing) starts new instances right away
    const boundary = PHASES.find((p) => p.from > t && p.from <= next);
    t = boundary ? boundary.from + between(30_000, 90_000) : next;
  }
}

function neighbour(service, revision, everyHours, start) {
  for (let t = at(0, 0, 17); t < END; t += everyHours * HOUR * between(0.6, 1.4)) {
    const ctx = { service, revision, instanceId: instanceId() };
    const up = start(ctx, t);
    serve(ctx, up, Math.min(END - MIN, up + between(20, 90) * MIN), () => false);
  }
}

function main() {
  ordersApi();
  neighbour('payments-api', 'payments-api-00113-lur', 2, pythonSuccess);
  neighbour('catalog-web', 'catalog-web-00078-dap', 3, nodeSuccess);
  entries.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const here = (name) => fileURLToPath(new URL(name, import.meta.url));
  writeFileSync(here('entries.ndjson'), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  process.stdout.write(`wrote ${entries.length} entries to samples/incident/entries.ndjson\n`);
}

main();
