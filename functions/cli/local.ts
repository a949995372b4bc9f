import { existsSync } from 'node:fs';
import { Database } from '../adapters/duckdb/database.js';
import { openDuckDbSink } from '../adapters/duckdb/event-sink.js';
import type { AlertService } from '../app/alerts.js';
import { IngestService } from '../app/ingest.js';
import { createEngine } from '../core/engine.js';
import { systemClock } from '../ports/clock.js';
import { silentTelemetry } from '../ports/telemetry.js';
import { loadRules } from '../rules/load.js';
import { openLocalAlerts, type LocalAlertOptions } from './local-alerts.js';

/** Local mode's composition root: the same IngestService as the Cloud Function, on DuckDB. */
export const DEFAULT_DB_PATH = './faultline.duckdb';

export function defaultDbPath(env: Record<string, string | undefined> = process.env): string {
  return env.FAULTLINE_DUCKDB_PATH || DEFAULT_DB_PATH;
}

export const DB_HELP = `  --db PATH     the DuckDB file (default ./faultline.duckdb, or $FAULTLINE_DUCKDB_PATH)`;

/** A failure the user can fix (a missing or locked file): printed as one line, exit status 2. */
export class LocalError extends Error {
  override name = 'LocalError';
}

function describeOpenError(path: string, err: unknown): LocalError {
  const message = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(message)) return new LocalError(`cannot open ${path}: another process (a running \`faultline serve\`?) holds it`);
  return new LocalError(`cannot open ${path}: ${message.split('\n')[0]}`);
}

export interface LocalIngest {
  ingest: IngestService;
  classifierVersion: string;
  database: Database;
  /** alerting, when asked for (`openLocalIngest(..., alerts)`) */
  alerts: AlertService | null;
  close(): Promise<void>;
}

/** Batches as large as a replay group: fewer, larger DuckDB statements (see bench:replay). */
export async function openLocalIngest(dbPath: string, batchRows = 4096, alerting?: LocalAlertOptions): Promise<LocalIngest> {
  const { rules, classifierVersion } = loadRules();
  const engine = createEngine(rules, classifierVersion);
  let opened;
  try {
    opened = await openDuckDbSink(dbPath);
  } catch (err) {
    throw describeOpenError(dbPath, err);
  }
  let alerts: AlertService | null = null;
  try {
    alerts = alerting ? await openLocalAlerts(opened.database, alerting) : null;
  } catch (err) {
    await opened.close();
    throw err;
  }
  const ingest = new IngestService(engine, opened.sink, systemClock, silentTelemetry, {
    batch: { maxRows: batchRows, maxDelayMs: 50 },
    storeUnrelated: true,
    ...(alerts ? { observer: alerts.observe.bind(alerts) } : {}),
  });
  return { ingest, classifierVersion, database: opened.database, alerts, close: opened.close };
}

/** Opens an existing database for reading; a missing file is a usage error, not an empty result. */
export async function openLocalDatabase(dbPath: string): Promise<Database> {
  if (dbPath !== ':memory:' && !existsSync(dbPath)) {
    throw new LocalError(`no database at ${dbPath}: run \`faultline replay FILE...\` (or \`npm start\`) first, or pass --db`);
  }
  try {
    return await Database.open(dbPath, { readOnly: true });
  } catch (err) {
    throw describeOpenError(dbPath, err);
  }
}
