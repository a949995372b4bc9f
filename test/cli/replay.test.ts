import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readTable } from '../helpers/duckdb.js';
import { runEntry, withService } from '../helpers/entries.js';
import { generateNdjson } from '../../bench/generate.js';
import { Database } from '../../functions/adapters/duckdb/database.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-replay-'));
let n = 0;
const freshDb = () => join(dir, `db-${++n}.duckdb`);

const good = [
  runEntry('Phase 3 database initialization timeout after 20.0s', { timestamp: '2026-03-02T10:00:00.100000Z' }),
  runEntry("ModuleNotFoundError: No module named 'app.monitoring'", { timestamp: '2026-03-02T10:01:00Z' }),
  withService(runEntry('INFO:     Application startup complete.', { timestamp: '2026-03-02T10:02:00Z' }), 'payments'),
];
const ndjson = (lines: string[]) => lines.join('\n') + '\n';

describe('faultline replay (spawned CLI, real DuckDB file)', () => {
  it('stores every entry, counts and stores a broken record, and prints a summary table', async () => {
    const file = join(dir, 'mixed.ndjson');
    writeFileSync(file, ndjson([JSON.stringify(good[0]), '{"truncated": ', JSON.stringify(good[1]), JSON.stringify(good[2])]));
    const db = freshDb();
    const res = await runCli(['replay', file, '--db', db]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(''); // not a TTY: no progress bar
    expect(res.stdout).toMatch(/Replayed 4 entries into .*db-\d+\.duckdb/);
    expect(res.stdout).toMatch(/classified\s+3/);
    expect(res.stdout).toMatch(/rejected\s+1/);
    expect(res.stdout).toMatch(/db_init_timeout\s+1/);
    expect(res.stdout).toMatch(/rejected: INPUT\.BAD_JSON\s+1/);
    expect(res.stdout).toMatch(/\([\d,]+\/s\)/);

    const events = await readTable(db, 'failure_events');
    expect(events.map((e) => e.category).sort()).toEqual(['db_init_timeout', 'import_error', 'startup_success']);
    expect(events.find((e) => e.category === 'db_init_timeout')).toMatchObject({
      service: 'api',
      event_timestamp: '2026-03-02T10:00:00.100000Z',
      params: JSON.stringify({ phase: 3, timeout_s: 20 }),
    });
    const rejected = await readTable(db, 'rejected_entries');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ reason: 'INPUT.BAD_JSON', source: `replay:${file}:2`, payload: '{"truncated": ' });
  });

  it('prints one JSON summary with --format json and is idempotent when replayed again', async () => {
    const file = join(dir, 'good.ndjson');
    writeFileSync(file, ndjson(good.map((e) => JSON.stringify(e))));
    const db = freshDb();
    const first = await runCli(['replay', file, '--db', db, '--format', 'json']);
    const again = await runCli(['replay', file, '--db', db, '--format', 'json']);
    expect([first.code, again.code]).toEqual([0, 0]);
    for (const res of [first, again]) {
      const summary = JSON.parse(res.stdout) as Record<string, unknown>;
      expect(summary).toMatchObject({ database: db, inputs: [file], entries_read: 3, classified: 3, rejected: 0 });
      expect(summary.by_category).toEqual({ db_init_timeout: 1, import_error: 1, startup_success: 1 });
      expect(typeof summary.entries_per_s).toBe('number');
    }
    expect(await readTable(db, 'failure_events')).toHaveLength(3);
  });

  it('reads a gcloud --format=json array from stdin', async () => {
    const db = freshDb();
    const res = await runCli(['replay', '--db', db, '--format', 'json'], JSON.stringify(good, null, 2));
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ inputs: ['stdin'], entries_read: 3, classified: 3 });
    expect((await readTable(db, 'failure_events')).map((e) => e.service).sort()).toEqual(['api', 'api', 'payments']);
  });

  it('reads NDJSON of Pub/Sub messages with --input-format pubsub and keeps their message ids', async () => {
    const msgs = good.map((e, i) => JSON.stringify({ data: Buffer.from(JSON.stringify(e)).toString('base64'), messageId: `m${i}`, publishTime: '2026-03-02T10:05:00Z' }));
    msgs.push(JSON.stringify({ data: 'not base64!!', messageId: 'bad' }));
    const db = freshDb();
    const res = await runCli(['replay', '--input-format', 'pubsub', '--db', db, '--format', 'json'], msgs.join('\n'));
    expect(JSON.parse(res.stdout)).toMatchObject({ entries_read: 4, classified: 3, rejected: 1, rejected_by_reason: { 'PAYLOAD.BAD_BASE64': 1 } });
    expect((await readTable(db, 'failure_events')).map((e) => e.message_id).sort()).toEqual(['m0', 'm1', 'm2']);
    expect(await readTable(db, 'rejected_entries')).toMatchObject([{ message_id: 'bad', reason: 'PAYLOAD.BAD_BASE64' }]);
  });

  it('explains its options with --help and refuses wrong ones with status 2', async () => {
    const help = await runCli(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--input-format');
    expect(help.stdout).toContain('--db PATH');
    const badFormat = await runCli(['replay', '--format', 'yaml', '--db', freshDb()]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('unknown --format "yaml"');
    const badInput = await runCli(['replay', '--input-format', 'csv', '--db', freshDb()]);
    expect(badInput.code).toBe(2);
    const missing = await runCli(['replay', join(dir, 'nope.ndjson'), '--db', freshDb()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.ndjson: no such file/);
  });

  it('fails with status 2 and a clear message when the database cannot be created', async () => {
    const res = await runCli(['replay', '--db', join(dir, 'no', 'such', 'dir', 'x.duckdb')], JSON.stringify(good[0]));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/faultline replay: cannot open .*x\.duckdb/);
  });
  it('classifies on worker threads (--workers 2) and stores exactly what the main thread stores, alerts included', { timeout: 120_000 }, async () => {
    const file = join(dir, 'workers.ndjson');
    const lines = [...generateNdjson(3_000, 11)].map((l, i) => (i % 500 === 7 ? '{"cut": ' : l));
    writeFileSync(file, ndjson(lines));
    const runs = await Promise.all(['0', '2'].map(async (workers) => {
      const db = freshDb();
      const res = await runCli(['replay', file, '--db', db, '--workers', workers, '--format', 'json']);
      expect(res.code).toBe(0);
      const opened = await Database.open(db, { readOnly: true });
      try {
        return {
          summary: JSON.parse(res.stdout) as Record<string, unknown>,
          events: await opened.all('SELECT * EXCLUDE (ingest_time) FROM failure_events ORDER BY event_id'),
          rejected: await opened.all('SELECT * EXCLUDE (receive_time) FROM rejected_entries ORDER BY rejection_id'),
          alerts: await opened.all('SELECT alert_key, kind, delivery FROM alert_keys ORDER BY alert_key'),
        };
      } finally {
        await opened.close();
      }
    }));
    const [main, workers] = runs as [NonNullable<(typeof runs)[0]>, NonNullable<(typeof runs)[0]>];
    expect(main.events).toHaveLength(3_000 - 6);
    expect(main.rejected).toHaveLength(6);
    expect(main.alerts.length).toBeGreaterThan(0);
    expect(workers.events).toEqual(main.events);
    expect(workers.rejected).toEqual(main.rejected);
    expect(workers.alerts).toEqual(main.alerts);
    expect({ ...workers.summary, elapsed_s: 0, entries_per_s: 0, database: '' }).toEqual({ ...main.summary, elapsed_s: 0, entries_per_s: 0, database: '' });
  });

  it('refuses a --workers value that is not a count', async () => {
    const res = await runCli(['replay', '--workers', 'many', '--db', freshDb()], JSON.stringify(good[0]));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--workers takes a number from 0 to 64, or auto (got "many")');
  });
});
