import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '../../functions/adapters/duckdb/database.js';
import { openDuckDbSink } from '../../functions/adapters/duckdb/event-sink.js';
import { duckDbQueryEngine } from '../../functions/adapters/duckdb/query.js';
import { loadSqlLibrary } from '../../functions/adapters/sql/load.js';
import { IngestService } from '../../functions/app/ingest.js';
import { DEFAULT_REPLAY_OPTIONS, replay, type ReplaySummary } from '../../functions/app/replay.js';
import { runSavedQuery, type QueryAnswer } from '../../functions/app/saved-query.js';
import { createEngine } from '../../functions/core/engine.js';
import type { SqlLibrary } from '../../functions/core/sql/library.js';
import { silentTelemetry } from '../../functions/ports/telemetry.js';
import { loadRules } from '../../functions/rules/load.js';

export const FIXTURE = fileURLToPath(new URL('../fixtures/sql/incident.ndjson', import.meta.url));
export const SAMPLE = fileURLToPath(new URL('../../samples/incident/entries.ndjson', import.meta.url));

/** The library from sql/, insisting it has no consistency problem. */
export function library(): SqlLibrary {
  const { library, errors } = loadSqlLibrary();
  if (errors.length > 0) throw new Error(`the SQL library has problems:\n${errors.join('\n')}`);
  return library;
}

/** ingest_time is part of every row: a fixed clock keeps the golden files stable. */
const FIXED_CLOCK = { nowIso: () => '2026-03-05T00:00:00.000Z' };

export interface FixtureDb {
  path: string;
  summary: ReplaySummary;
  remove(): void;
}

/**
 * Replays an NDJSON file through the real pipeline (decode, classify, IngestService, the
 * DuckDB sink and its tables from schemas/bigquery) into a fresh database file.
 */
export async function replayIntoNewDb(file: string): Promise<FixtureDb> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-sql-'));
  const path = join(dir, 'fixture.duckdb');
  const { rules, classifierVersion } = loadRules();
  const opened = await openDuckDbSink(path);
  const ingest = new IngestService(createEngine(rules, classifierVersion), opened.sink, FIXED_CLOCK, silentTelemetry, {
    batch: { maxRows: 500, maxDelayMs: 5 },
    storeUnrelated: true,
  });
  let summary: ReplaySummary;
  try {
    const text = readFileSync(file, 'utf8');
    summary = await replay([{ name: file, chunks: (async function* () { yield text; })() }], ingest, DEFAULT_REPLAY_OPTIONS);
  } finally {
    await opened.close();
  }
  return { path, summary, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs saved queries on a database file opened read-only, as `faultline query` does. */
export class LocalQueries {
  private readonly engine;

  private constructor(
    readonly db: Database,
    readonly lib: SqlLibrary,
  ) {
    this.engine = duckDbQueryEngine(db);
  }

  static async open(path: string, lib: SqlLibrary = library()): Promise<LocalQueries> {
    return new LocalQueries(await Database.open(path, { readOnly: true }), lib);
  }

  async run(name: string, params: Record<string, string> = {}): Promise<QueryAnswer> {
    const outcome = await runSavedQuery(this.engine, this.lib, name, params);
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.answer;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
