import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEntry } from '../helpers/entries.js';
import { BIN, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
const lines = (s: string) => s.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('faultline classify (spawned CLI)', () => {
  const good = [
    runEntry('Phase 3 database initialization timeout after 20.0s'),
    runEntry("ModuleNotFoundError: No module named 'app.monitoring'"),
    runEntry('Container called exit(3).'),
  ];

  it('prints one result per NDJSON record, in order, with a rejection for a broken line', async () => {
    const file = join(dir, 'mixed.ndjson');
    const body = [JSON.stringify(good[0]), '{"truncated": ', JSON.stringify(good[1]), 'null', JSON.stringify(good[2])].join('\n');
    writeFileSync(file, body + '\n');
    const res = await runCli(['classify', file]);
    expect(res.code).toBe(0);
    const out = lines(res.stdout);
    expect(out.map((o) => o.status === 'classified' ? o.category : o.reason)).toEqual([
      'db_init_timeout',
      'INPUT.BAD_JSON',
      'import_error',
      'ENTRY.NOT_OBJECT',
      'exit_code',
    ]);
    expect(out[0]).toMatchObject({ params: { phase: 3, timeout_s: 20 }, service: 'api', timestamp: good[0]?.timestamp });
  });

  it('reads a gcloud --format=json array from stdin', async () => {
    const res = await runCli(['classify'], JSON.stringify(good, null, 2));
    expect(res.code).toBe(0);
    expect(lines(res.stdout).map((o) => o.category)).toEqual(['db_init_timeout', 'import_error', 'exit_code']);
  });

  it('reads NDJSON of Pub/Sub messages as a log sink publishes them', async () => {
    const msgs = good.map((e, i) => JSON.stringify({
      data: Buffer.from(JSON.stringify(e)).toString('base64'),
      attributes: { 'logging.googleapis.com/timestamp': e.timestamp },
      messageId: `m${i}`,
      publishTime: '2026-03-01T10:00:01Z',
    }));
    msgs.push(JSON.stringify({ data: 'not base64!!', messageId: 'bad' }));
    const res = await runCli(['classify', '--format', 'pubsub'], msgs.join('\n'));
    const out = lines(res.stdout);
    expect(out.map((o) => o.message_id)).toEqual(['m0', 'm1', 'm2', 'bad']);
    expect(out[3]).toMatchObject({ status: 'rejected', reason: 'PAYLOAD.BAD_BASE64' });
  });

  it('fails with a clear message and status 2 when a file cannot be read', async () => {
    const res = await runCli(['classify', join(dir, 'nope.json')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cannot read .*nope\.json: no such file/);
    expect(res.stdout).toBe('');
  });

  it('explains itself with --help and rejects unknown formats', async () => {
    const help = await runCli(['classify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: faultline classify');
    const bad = await runCli(['classify', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown --format "xml"');
  });

  it('lists the commands when called without one', async () => {
    const res = await runCli([]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Commands:[\s\S]*classify[\s\S]*fingerprint/);
  });
});

describe('faultline classify into a pipe its reader closes early (`| head`)', () => {
  it('stops quietly with status 0, no stack trace', async () => {
    const file = join(dir, 'many.ndjson');
    const line = JSON.stringify(runEntry('Phase 3 database initialization timeout after 20.0s'));
    writeFileSync(file, `${line}\n`.repeat(20_000));
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'classify', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
