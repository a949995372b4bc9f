import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateNdjson } from '../../../bench/generate.js';
import { BIN, runCli } from '../../helpers/cli.js';
import { Database } from '../../../functions/adapters/duckdb/database.js';
import { readTable, withoutWriteTimes } from '../../helpers/duckdb.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-crash-'));
const ENTRIES = 20_000;
const BAD_EVERY = 997;

/** Realistic entries with a broken record now and then, so both tables are exercised. */
async function writeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  let i = 0;
  for (const line of generateNdjson(ENTRIES, 7)) {
    i += 1;
    const text = i % BAD_EVERY === 0 ? `{"logName": "cut here` : line;
    if (!out.write(text + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a replay and SIGKILLs it once a first batch reached the file, i.e. partway
 * through; resolves with the signal that ended it.
 */
async function replayKilledPartway(input: string, db: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [BIN, 'replay', input, '--db', db], { stdio: 'ignore' });
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  // A batch of a few thousand rows puts megabytes in the WAL; creating the tables does not.
  const MiB = 1024 * 1024;
  while (child.exitCode === null && child.signalCode === null) {
    if (size(`${db}.wal`) > MiB || size(db) > 4 * MiB) {
      child.kill('SIGKILL');
      break;
    }
    await sleep(5);
  }
  const [, signal] = await closed;
  return signal;
}

/** What a killed run made durable: the rows its committed batches wrote (event-sink.ts). */
async function readDurable(path: string, table: string): Promise<Record<string, unknown>[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.tableRows(table);
  } finally {
    await db.close();
  }
}

const sortById = (rows: Record<string, unknown>[], key: string) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

describe('crash safety: a replay killed mid-run, then re-run, equals a clean run', () => {
  it('yields exactly the rows of a clean run, by key and content', { timeout: 300_000 }, async () => {
    const input = join(dir, 'input.ndjson');
    await writeInput(input);

    const clean = join(dir, 'clean.duckdb');
    expect((await runCli(['replay', input, '--db', clean])).code).toBe(0);

    const crashed = join(dir, 'crashed.duckdb');
    expect(await replayKilledPartway(input, crashed)).toBe('SIGKILL');
    const partial = await readDurable(crashed, 'failure_events');
    const cleanEvents = await readTable(clean, 'failure_events');
    // killed partway: some batches were durable, not all of them
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(cleanEvents.length);

    expect((await runCli(['replay', input, '--db', crashed])).code).toBe(0);
    const events = await readTable(crashed, 'failure_events');
    expect(events.length).toBe(cleanEvents.length);
    expect(withoutWriteTimes(sortById(events, 'event_id'))).toEqual(withoutWriteTimes(sortById(cleanEvents, 'event_id')));
    // the rows that survived the kill were kept, not rewritten
    const survivors = new Map(partial.map((r) => [r.event_id, r.ingest_time]));
    expect(events.filter((r) => survivors.has(r.event_id)).every((r) => survivors.get(r.event_id) === r.ingest_time)).toBe(true);

    const rejected = await readTable(crashed, 'rejected_entries');
    const cleanRejected = await readTable(clean, 'rejected_entries');
    expect(cleanRejected.length).toBe(Math.floor(ENTRIES / BAD_EVERY));
    expect(withoutWriteTimes(sortById(rejected, 'rejection_id'))).toEqual(withoutWriteTimes(sortById(cleanRejected, 'rejection_id')));
  });
});
