/**
 * `npm run bench:replay-floor`: what a local replay cannot go below on this machine. Each stage
 * of a replay is timed alone, in CPU time of the whole process (DuckDB's threads included), on
 * the same generated entries as bench:replay:
 *
 *  - JSON.parse of each record, and the SHA-256 of its event id: work any replay must do;
 *  - decode + classify + fingerprint with the real engine (what bench:classify measures);
 *  - rows into DuckDB through the local EventSink (JSON rows, as a replay writes them);
 *  - DuckDB alone: the same rows copied from one table into another inside DuckDB, checkpoint
 *    included, so no JS and no parsing: the cost of storing them at all.
 *
 * It then prints the entries/s those stages allow on the machine's cores if they overlapped
 * perfectly with no other cost, which bounds what any design of the pipeline can reach.
 * BENCH_ENTRIES sets the count (default 200,000). Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbSink } from '../functions/adapters/duckdb/event-sink.js';
import { createEngine } from '../functions/core/engine.js';
import { eventId } from '../functions/core/hash.js';
import { toEventRow, type FailureEventRow } from '../functions/core/rows.js';
import { loadRules } from '../functions/rules/load.js';
import { generateNdjson } from './generate.js';

const COUNT = Number(process.env.BENCH_ENTRIES ?? 200_000);
const BATCH_ROWS = 4096;

/** CPU µs per item of `work` over `count` items, all threads of the process. */
async function cpuMicros(count: number, work: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

/** The best of `rounds` runs: the machine's other load only ever adds time. */
async function best(rounds: number, count: number, work: () => unknown): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < rounds; i++) min = Math.min(min, await cpuMicros(count, work));
  return min;
}

interface Parsed {
  logName: string;
  timestamp: string;
  insertId: string;
}

type Engine = ReturnType<typeof createEngine>;

/** A fresh engine (its memo of repeated lines empty, as at the start of a replay), built untimed. */
function freshEngine(): Engine {
  const { rules, classifierVersion } = loadRules();
  return createEngine(rules, classifierVersion);
}

/** Rows of every classified line; `keep` false drops them batch by batch, as a replay does. */
function classifyAll(engine: Engine, lines: readonly string[], keep: boolean): FailureEventRow[] {
  const now = new Date().toISOString();
  let rows: FailureEventRow[] = [];
  for (const line of lines) {
    const out = engine.classifyRecord(line);
    if (out.status === 'classified') rows.push(toEventRow(out, now));
    if (!keep && rows.length === BATCH_ROWS) rows = [];
  }
  return rows;
}

/** Runs `each` on every item without keeping its results (kept, they would burden the collector). */
function consume<T>(items: readonly T[], each: (item: T) => unknown): number {
  let n = 0;
  for (const item of items) if (each(item) !== undefined) n++;
  return n;
}

/**
 * µs per entry: through the EventSink (JSON rows), then DuckDB copying the stored rows alone.
 * `entries` counts every input record (a rejected one has no row here), so the figures add up
 * with the per-entry stages.
 */
async function storage(rows: readonly FailureEventRow[], entries: number): Promise<{ sink: number; alone: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-floor-'));
  try {
    const local = await openDuckDbSink(join(dir, 'floor.duckdb'));
    try {
      const sink = await cpuMicros(entries, async () => {
        for (let i = 0; i < rows.length; i += BATCH_ROWS) await local.sink.writeEvents(rows.slice(i, i + BATCH_ROWS));
        await local.database.exclusive((c) => c.run('CHECKPOINT'));
      });
      const alone = await local.database.exclusive(async (c) => {
        await c.run('CREATE TEMP TABLE source_rows AS SELECT * FROM failure_events');
        await c.run('CREATE TABLE copied AS SELECT * FROM failure_events LIMIT 0');
        return cpuMicros(entries, async () => {
          await c.run('INSERT INTO copied SELECT * FROM source_rows');
          await c.run('CHECKPOINT');
        });
      });
      return { sink, alone };
    } finally {
      await local.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const lines = [...generateNdjson(COUNT)];
  const cores = availableParallelism();
  console.log(`bench:replay-floor: ${COUNT.toLocaleString('en')} generated entries, ${cores} cores; CPU µs per entry, all threads, best of 3`);
  const parse = await best(3, lines.length, () => consume(lines, (l) => JSON.parse(l) as Parsed));
  const parsed = lines.map((l) => JSON.parse(l) as Parsed);
  const hash = await best(3, parsed.length, () => consume(parsed, (e) => eventId(e.logName, e.timestamp, e.insertId)));
  let classify = Infinity;
  for (let round = 0; round < 3; round++) {
    const engine = freshEngine();
    classify = Math.min(classify, await cpuMicros(lines.length, () => classifyAll(engine, lines, false)));
  }
  const rows = classifyAll(freshEngine(), lines, true);
  const { sink, alone } = await storage(rows, lines.length);
  const rate = (micros: number) => `${Math.round((cores * 1e6) / micros).toLocaleString('en')} entries/s on ${cores} cores`;
  const show = (name: string, micros: number) => console.log(`  ${name.padEnd(52)} ${micros.toFixed(1).padStart(6)} µs`);
  show('JSON.parse of the record', parse);
  show('SHA-256 event id', hash);
  show('decode + classify + fingerprint + row (the engine)', classify);
  show('rows into DuckDB through the EventSink', sink);
  show('DuckDB alone (table to table, checkpoint)', alone);
  show('  so, handing rows to DuckDB', sink - alone);
  console.log('perfect overlap of all cores, nothing else running:');
  console.log(`  parse + hash + DuckDB alone (no classification, free transfer): ${rate(parse + hash + alone)}`);
  console.log(`  the engine + DuckDB alone (free transfer):                      ${rate(classify + alone)}`);
  console.log(`  the engine + the EventSink (today's stages):                    ${rate(classify + sink)}`);
}

await main();
