import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBigQuery, startFakeBigQuery } from '../adapters/bigquery/fake-bigquery.js';
import { classified, runEntry } from '../helpers/entries.js';
import { binaryDelivery, deliver, entryMessage, sinkMessage, structuredDelivery } from './deliveries.js';

const FRAMEWORK = fileURLToPath(new URL('../../node_modules/@google-cloud/functions-framework/build/src/main.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('../../dist/functions/index.js', import.meta.url));

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** `functions-framework --target=ingestLogEntry` as Cloud Run starts it, on the built dist/ tree. */
function startFramework(port: number, env: Record<string, string>): Running {
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [FRAMEWORK, '--target=ingestLogEntry', '--signature-type=cloudevent', `--source=${SOURCE}`, `--port=${port}`], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function untilServing(r: Running): Promise<void> {
  while (!r.stdout().includes('Serving function')) {
    if (r.child.exitCode !== null) throw new Error(`framework exited: ${r.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the functions-framework CLI serving dist/functions/index.js (child process, real HTTP)', () => {
  let fake: FakeBigQuery;
  let endpoint: string;
  let served: Running;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run \`npm run build\` first (npm test does)`);
    ({ fake, endpoint } = await startFakeBigQuery());
    const port = await freePort();
    served = startFramework(port, { FAULTLINE_PROJECT: 'P', FAULTLINE_DATASET: 'D', FAULTLINE_SINK: 'bigquery', FAULTLINE_BATCH_MAX_DELAY_MS: '1', BIGQUERY_EMULATOR_HOST: endpoint });
    url = `http://127.0.0.1:${port}`;
    await untilServing(served);
  });
  afterAll(async () => {
    served.child.kill('SIGTERM');
    await served.exited;
    await fake.stop();
  });

  it('classifies a binary-mode event and a structured-mode poison message, answering 204 for both', async () => {
    const entry = runEntry('Phase 3 database initialization timeout after 20.0s');
    expect((await deliver(url, binaryDelivery(entryMessage(entry)))).status).toBe(204);
    expect((await deliver(url, structuredDelivery(sinkMessage('not a log entry')))).status).toBe(204);
    expect(fake.rows('failure_events').map((r) => r.event_id)).toEqual([classified(entry).event_id]);
    expect(fake.rows('rejected_entries').map((r) => r.reason)).toEqual(['INPUT.BAD_JSON']);
  });

  it('answers 500 while BigQuery fails', async () => {
    fake.plan = () => ({ status: 503 });
    expect((await deliver(url, binaryDelivery(entryMessage(runEntry('boot'))))).status).toBe(500);
    fake.plan = () => ({});
  });

  it('logs its own events as structured JSON lines labelled component=faultline', () => {
    const lines = served
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const names = new Set(lines.map((l) => l.event));
    expect([...names].filter((n) => ['IngestReady', 'BatchFlushed', 'EntryRejected', 'BigQueryInsertFailed'].includes(n as string)).sort()).toEqual(['BatchFlushed', 'BigQueryInsertFailed', 'EntryRejected', 'IngestReady']);
    expect(lines.every((l) => typeof l.severity === 'string' && (l['logging.googleapis.com/labels'] as { component?: string }).component === 'faultline')).toBe(true);
  });

  it('refuses to start with a bad configuration, saying what is wrong', async () => {
    const bad = startFramework(await freePort(), { FAULTLINE_PROJECT: 'P', FAULTLINE_BATCH_MAX_ROWS: 'lots', BIGQUERY_EMULATOR_HOST: endpoint });
    expect(await bad.exited).not.toBe(0);
    expect(bad.stderr()).toContain('invalid Faultline configuration');
    expect(bad.stderr()).toContain('FAULTLINE_BATCH_MAX_ROWS');
  });
});
