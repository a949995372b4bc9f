/**
 * `npm run bench:ingest`: the functions-framework serving `ingestLogEntry` on localhost, a
 * local endpoint answering BigQuery's insertAll, autocannon sending Eventarc binary-mode
 * CloudEvents of realistic sink messages at concurrency 1, 10 and 100. An empty handler
 * under the same framework is the baseline. Prints figures; asserts nothing.
 * BENCH_SECONDS sets the duration per level, BENCH_WARMUP_SECONDS the warm-up before them; FAULTLINE_BATCH_* pass through to the function.
 */
import autocannon, { type Result } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateEntry, rng } from './generate.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const LEVELS = [1, 10, 100];
const POOL = 2_000;
const FRAMEWORK = fileURLToPath(new URL('../../node_modules/@google-cloud/functions-framework/build/src/main.js', import.meta.url));
const dist = (name: string) => fileURLToPath(new URL(name, import.meta.url));

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** Eventarc binary mode: the context in ce-* headers, the Pub/Sub envelope as the body. */
function deliveries(): Delivery[] {
  const r = rng(7);
  return Array.from({ length: POOL }, (_, i) => {
    const id = String(9_000_000_000_000 + i);
    const time = new Date(Date.UTC(2026, 2, 1) + i * 41).toISOString();
    const data = Buffer.from(JSON.stringify(generateEntry(r, i))).toString('base64');
    const message = { data, attributes: {}, messageId: id, message_id: id, publishTime: time, publish_time: time };
    return {
      headers: {
        'content-type': 'application/json',
        'ce-id': id,
        'ce-source': '//pubsub.googleapis.com/projects/acme-prod/topics/faultline-logs',
        'ce-specversion': '1.0',
        'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
        'ce-time': time,
      },
      body: JSON.stringify({ message, subscription: 'projects/acme-prod/subscriptions/faultline' }),
    };
  });
}

/** Answers insertAll at once, counting requests and rows. */
async function localBigQuery(): Promise<{ server: Server; endpoint: string; stats: { calls: number; rows: number } }> {
  const stats = { calls: 0, rows: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.calls += 1;
      stats.rows += (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { rows: unknown[] }).rows.length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"bigquery#tableDataInsertAllResponse"}');
    });
  });
  // Google's front ends keep idle connections far longer than Node's 5 s default.
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function serve(target: string, source: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const args = [FRAMEWORK, `--target=${target}`, '--signature-type=cloudevent', `--source=${source}`, `--port=${port}`];
  const child = spawn(process.execPath, args, { env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${target} exited with ${child.exitCode}`);
    if (await accepts(port)) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for the exit, so the endpoint outlives the writes still in flight. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function load(url: string, pool: Delivery[], connections: number, seconds: number): Promise<Result> {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const d = pool[next++ % pool.length] as Delivery;
          return { ...request, headers: d.headers, body: d.body };
        },
      },
    ],
  });
}

/**
 * CPU time of the server process (Linux /proc, 100 ticks/s): unlike events/s it does not
 * depend on what else the machine runs, so it is the figure to compare across runs.
 */
function cpuMs(pid: number | undefined): number | null {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return null;
  const fields = readFileSync(stat, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function line(name: string, connections: number, r: Result, cpu: number | null): string {
  const rate = Math.round(r['2xx'] / r.duration);
  const failed = r.non2xx + r.errors + r.timeouts;
  const perEvent = cpu === null || r['2xx'] === 0 ? '' : `   cpu ${(cpu / r['2xx']).toFixed(2)} ms/event`;
  return `${name.padEnd(14)} c=${String(connections).padEnd(4)} ${String(rate).padStart(6)} events/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms${perEvent}${failed ? `   failed ${failed}` : ''}`;
}

async function measure(name: string, url: string, pool: Delivery[], pid: number | undefined): Promise<Map<number, Result>> {
  // Warm-up: lazy composition, keep-alive sockets, and the JIT. One second left the first level
  // (c=1) measuring V8 still compiling on its helper threads: a third of the CPU in a 5 s run.
  await load(url, pool, 10, WARMUP_SECONDS);
  const results = new Map<number, Result>();
  for (const c of LEVELS) {
    const before = cpuMs(pid);
    const r = await load(url, pool, c, SECONDS);
    const after = cpuMs(pid);
    results.set(c, r);
    console.log(line(name, c, r, before === null || after === null ? null : after - before));
  }
  return results;
}

async function main(): Promise<void> {
  const pool = deliveries();
  const bq = await localBigQuery();
  const batch = `FAULTLINE_BATCH_MAX_ROWS=${process.env.FAULTLINE_BATCH_MAX_ROWS ?? 'default'} FAULTLINE_BATCH_MAX_DELAY_MS=${process.env.FAULTLINE_BATCH_MAX_DELAY_MS ?? 'default'}`;
  console.log(`bench:ingest: ${SECONDS}s per level, ${POOL} distinct sink messages, one functions-framework process (NODE_ENV=production), ${batch}`);
  const empty = await serve('emptyHandler', dist('./empty-function.js'), {});
  const base = await measure('empty handler', empty.url, pool, empty.child.pid);
  await stop(empty.child);
  const env = { FAULTLINE_PROJECT: 'bench', FAULTLINE_DATASET: 'faultline', FAULTLINE_SINK: 'bigquery', BIGQUERY_EMULATOR_HOST: bq.endpoint };
  const fn = await serve('ingestLogEntry', dist('../functions/index.js'), env);
  const before = { ...bq.stats };
  const ingest = await measure('ingestLogEntry', fn.url, pool, fn.child.pid);
  await stop(fn.child);
  bq.server.close();
  const calls = bq.stats.calls - before.calls;
  console.log(`insertAll: ${calls} requests, ${(calls ? (bq.stats.rows - before.rows) / calls : 0).toFixed(1)} rows per request on average`);
  for (const c of LEVELS) {
    const share = (ingest.get(c)?.['2xx'] ?? 0) / (ingest.get(c)?.duration ?? 1) / ((base.get(c)?.['2xx'] ?? 1) / (base.get(c)?.duration ?? 1));
    console.log(`c=${c}: ingestLogEntry serves ${(share * 100).toFixed(0)}% of the empty handler's events/s`);
  }
}

await main();
