import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { readTable } from '../helpers/duckdb.js';
import { runEntry } from '../helpers/entries.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-serve-'));
const db = join(dir, 'serve.duckdb');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');
const timeout = runEntry('Phase 3 database initialization timeout after 25.0s', { insertId: 'serve-1' });
const importError = runEntry("ModuleNotFoundError: No module named 'app.monitoring'", { insertId: 'serve-2' });

let server: ChildProcess;
let base = '';
let output = '';

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  server.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  // the functions-framework prints this once it listens
  while (!output.includes('Serving function')) {
    if (server.exitCode !== null) throw new Error(`serve exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);

afterAll(() => {
  if (server.exitCode === null) server.kill('SIGKILL');
});

const post = (path: string, body: unknown, contentType = 'application/json') =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body: JSON.stringify(body) });

describe('faultline serve (the production function on the functions-framework, writing DuckDB)', () => {
  it('acknowledges a structured CloudEvent, a Pub/Sub push body and a poison message, then stores them', async () => {
    const event = {
      specversion: '1.0',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: '//pubsub.googleapis.com/projects/acme-prod/topics/faultline',
      id: 'ce-1',
      datacontenttype: 'application/json',
      data: { subscription: 'projects/acme-prod/subscriptions/faultline', message: { messageId: 'ce-1', publishTime: '2026-03-01T10:00:01Z', data: b64(timeout) } },
    };
    expect((await post('/', event, 'application/cloudevents+json')).status).toBe(204);

    const push = { subscription: 'projects/acme-prod/subscriptions/faultline-push', message: { messageId: 'push-1', publishTime: '2026-03-01T10:00:02Z', data: b64(importError) } };
    expect((await post('/projects/acme-prod/topics/faultline', push)).status).toBe(204);

    const poison = { subscription: 'projects/acme-prod/subscriptions/faultline-push', message: { messageId: 'push-2', publishTime: '2026-03-01T10:00:03Z', data: b64('{"not a log entry": true}') } };
    expect((await post('/projects/acme-prod/topics/faultline', poison)).status).toBe(204);

    // a redelivery of the first message changes nothing
    expect((await post('/', event, 'application/cloudevents+json')).status).toBe(204);

    server.kill('SIGTERM');
    const [code] = (await once(server, 'close')) as [number | null];
    expect(code).toBe(0);

    const events = await readTable(db, 'failure_events');
    expect(events.map((e) => [e.message_id, e.category]).sort()).toEqual([
      ['ce-1', 'db_init_timeout'],
      ['push-1', 'import_error'],
    ]);
    expect(events.find((e) => e.message_id === 'ce-1')).toMatchObject({ publish_time: '2026-03-01T10:00:01.000000Z', service: 'api' });
    const rejected = await readTable(db, 'rejected_entries');
    expect(rejected).toMatchObject([{ message_id: 'push-2', reason: 'ENTRY.MISSING_FIELD', source: 'pubsub' }]);
  });

  it('explains itself with --help and refuses a bad port', async () => {
    const help = await runCli(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Functions Framework');
    expect(help.stdout).toContain('--port N');
    const bad = await runCli(['serve', '--port', 'eighty', '--db', join(dir, 'x.duckdb')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be an integer');
  });
});
