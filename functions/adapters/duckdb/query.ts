import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  TIMESTAMPTZ,
  VARCHAR,
  dateValue,
  timestampTZValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { viewOrder, type SqlFile, type SqlLibrary } from '../../core/sql/library.js';
import { timestampMicros, type BoundParam } from '../../core/sql/params.js';
import type { ScalarType } from '../../core/sql/types.js';
import type { QueryEngine, RawResult } from '../../ports/saved-query.js';
import { toDuckDb } from '../sql/transpile.js';
import type { Database } from './database.js';

/**
 * Runs the SQL library on the local DuckDB file: the views a query reads are created first,
 * in dependency order, from the same BigQuery SQL as production (transpiled), then the query
 * runs with typed parameters. Views are TEMP by default, so a read-only database works and
 * the file is never changed by a query.
 */
export class SqlTranslationError extends Error {
  override name = 'SqlTranslationError';
}

function duckDbSql(file: SqlFile): string {
  const t = toDuckDb(file);
  if (!t.ok) throw new SqlTranslationError(`${file.path}: ${t.error}`);
  return t.sql;
}

export interface CreateViewsOptions {
  /** TEMP views live as long as the connection and work on a read-only file (default true) */
  temporary?: boolean;
  /** only the views these files need (default: every view) */
  for?: readonly SqlFile[];
  /** views this connection already has (from this library): skipped, and the new ones added */
  existing?: Set<string>;
}

/**
 * Session settings that give DuckDB BigQuery's semantics where the SQL leaves them implicit:
 * UTC for DATE() and TIMESTAMP_TRUNC, and NULLs first in ascending order, last in
 * descending order (Polyglot adds NULLS FIRST to some ORDER BYs, not to all).
 */
export async function prepareConnection(c: DuckDBConnection): Promise<void> {
  await c.run("SET TimeZone = 'UTC'");
  await c.run("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
}

/** Creates (or replaces) the library's views in DuckDB, each after the views it reads. */
export async function createViews(c: DuckDBConnection, lib: SqlLibrary, options: CreateViewsOptions = {}): Promise<string[]> {
  const views = options.for ? viewOrder(lib, options.for) : viewOrder(lib);
  const kind = options.temporary === false ? 'VIEW' : 'TEMP VIEW';
  const skip = options.existing ?? new Set<string>();
  for (const v of views) {
    if (skip.has(v.name)) continue;
    await c.run(`CREATE OR REPLACE ${kind} ${v.name} AS\n${duckDbSql(v)}`);
    skip.add(v.name);
  }
  return views.map((v) => v.name);
}

const TYPES: Partial<Record<ScalarType, DuckDBType>> = {
  STRING: VARCHAR,
  INT64: BIGINT,
  FLOAT64: DOUBLE,
  NUMERIC: DOUBLE,
  BOOL: BOOLEAN,
  TIMESTAMP: TIMESTAMPTZ,
  DATE: DATE,
};

const DAY_MS = 86_400_000;

function duckDbValue(p: BoundParam): DuckDBValue {
  if (p.value === null) return null;
  if (p.type === 'TIMESTAMP') return timestampTZValue(timestampMicros(String(p.value)));
  if (p.type === 'DATE') return dateValue(Math.round(Date.parse(`${String(p.value)}T00:00:00Z`) / DAY_MS));
  if (p.type === 'INT64') return BigInt(p.value as number);
  return p.value;
}

/** Values and types of the params the SQL uses (DuckDB refuses a value for an absent `$name`). */
export function duckDbParams(params: readonly BoundParam[], used: readonly string[]): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const p of params) {
    if (!used.includes(p.name)) continue;
    const type = TYPES[p.type];
    if (!type) throw new SqlTranslationError(`param ${p.name}: ${p.type} params are not supported locally`);
    values[p.name] = duckDbValue(p);
    types[p.name] = type;
  }
  return { values, types };
}

export interface DuckDbEngineOptions {
  /**
   * The connection also serves other work (a replay, the local alerts, their reports): the
   * BigQuery NULL order is set for each query and reset after it, so their ORDER BYs keep
   * DuckDB's own. (TimeZone is UTC on every connection the Database opens.)
   */
  shared?: boolean;
}

async function runFile(c: DuckDBConnection, file: SqlFile, params: readonly BoundParam[]): Promise<RawResult> {
  const sql = file.kind === 'view' ? `SELECT * FROM ${file.name}` : duckDbSql(file);
  const { values, types } = duckDbParams(params, file.kind === 'view' ? [] : file.uses);
  const reader = Object.keys(values).length > 0 ? await c.runAndReadAll(sql, values, types) : await c.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() };
}

/** The QueryEngine over an open local database (the caller opens and closes it). */
export function duckDbQueryEngine(db: Database, options: DuckDbEngineOptions = {}): QueryEngine {
  // TEMP views live as long as the connection: create each once per engine and library.
  const created = new WeakMap<SqlLibrary, Set<string>>();
  return {
    name: `duckdb:${db.path}`,
    run: (lib, file, params) =>
      db.exclusive(async (c): Promise<RawResult> => {
        if (options.shared || !created.has(lib)) await prepareConnection(c);
        if (!created.has(lib)) created.set(lib, new Set());
        try {
          await createViews(c, lib, { for: [file], existing: created.get(lib) });
          return await runFile(c, file, params);
        } finally {
          if (options.shared) await c.run('RESET default_null_order');
        }
      }),
    close: () => db.close(),
  };
}
