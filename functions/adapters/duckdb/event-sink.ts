import type { DuckDBConnection } from '@duckdb/node-api';
import type { FailureEventRow, RejectedEntryRow } from '../../core/rows.js';
import type { EventSink, RowFailure } from '../../ports/event-sink.js';
import { Database, duckDbType, type TableSpec } from './database.js';

type Row = Readonly<Record<string, string | number | boolean | null>>;

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** ES2024 string methods (Node 20 has them; the ES2023 lib does not declare them). */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * A lone UTF-16 surrogate (JSON text may carry one as an escape) has no UTF-8 form: DuckDB
 * would refuse the whole batch, so it becomes U+FFFD, as any UTF-8 store would make it.
 */
function wellFormed(row: Row): Row {
  let copy: Record<string, string | number | boolean | null> | null = null;
  for (const key in row) {
    const v = row[key];
    if (typeof v === 'string' && !(v as unknown as WellFormedString).isWellFormed()) {
      copy ??= { ...row };
      copy[key] = (v as unknown as WellFormedString).toWellFormed();
    }
  }
  return copy ?? row;
}

/**
 * Writes one table with one statement per batch: the rows travel as a single NDJSON string
 * parameter, DuckDB splits and parses it (json_transform) on its own threads and
 * `INSERT … ON CONFLICT DO NOTHING` drops the keys it already holds.
 *
 * Why not the appender: it costs one synchronous native call per value on the JS thread
 * (about 13 µs a row, plus a synchronous flush) where JSON.stringify costs about 6 µs, and
 * the JS thread is the one classifying. bench:replay and the README give the figures.
 *
 * Crash safety: that statement is the only write and DuckDB commits it atomically (WAL), so
 * a kill leaves each batch fully stored or absent, and re-running the replay fills the gaps
 * without duplicating anything.
 */
class JsonBatchTable {
  private readonly insertSql: string;
  private readonly source: string;

  constructor(
    private readonly db: Database,
    private readonly spec: TableSpec,
  ) {
    const names = spec.columns.map((c) => c.name);
    // Every column is read as text and cast by DuckDB, exactly as the strings were written.
    const struct = JSON.stringify(Object.fromEntries(names.map((n) => [n, 'VARCHAR'])));
    this.source = `(SELECT idx, unnest(json_transform(j, ${quote(struct)})) FROM (SELECT generate_subscripts(l, 1) - 1 AS idx, unnest(l) AS j FROM (SELECT string_split($rows, chr(10)) AS l)))`;
    const casts = spec.columns.map((c) => (c.type === 'STRING' ? c.name : `CAST(${c.name} AS ${duckDbType(c)})`));
    this.insertSql = `INSERT INTO ${spec.name} (${names.join(', ')}) SELECT ${casts.join(', ')} FROM ${this.source} WHERE NOT list_contains($skip, idx) ON CONFLICT DO NOTHING`;
  }

  write(rows: readonly Row[]): Promise<RowFailure[]> {
    if (rows.length === 0) return Promise.resolve([]);
    // JSON.stringify escapes newlines inside values, so one line is one row.
    const text = rows.map((r) => JSON.stringify(wellFormed(r))).join('\n');
    return this.db.exclusive((c) => this.insert(c, text));
  }

  /**
   * The fast path assumes every row is valid. When the statement fails, the rows at fault
   * are found, reported as permanent failures and the others written; a second failure is
   * not about rows and fails the batch.
   */
  private async insert(c: DuckDBConnection, text: string): Promise<RowFailure[]> {
    try {
      await this.run(c, text, []);
      return [];
    } catch (err) {
      const failures = await this.findBadRows(c, text);
      if (failures.length === 0) throw err;
      await this.run(c, text, failures.map((f) => f.index));
      return failures;
    }
  }

  private run(c: DuckDBConnection, text: string, skip: number[]): Promise<unknown> {
    return c.run(this.insertSql.replace('$skip', `[${skip.join(', ')}]::BIGINT[]`), { rows: text });
  }

  private async findBadRows(c: DuckDBConnection, text: string): Promise<RowFailure[]> {
    const checks = this.spec.columns.flatMap((col) => {
      const out: string[] = [];
      if (col.mode === 'REQUIRED') out.push(`CASE WHEN ${col.name} IS NULL THEN 'missing required ${col.name}' END`);
      if (col.type !== 'STRING') out.push(`CASE WHEN ${col.name} IS NOT NULL AND TRY_CAST(${col.name} AS ${duckDbType(col)}) IS NULL THEN 'bad ${col.type} in ${col.name}' END`);
      return out;
    });
    const sql = `SELECT idx, concat_ws('; ', ${checks.join(', ')}) AS why FROM ${this.source} WHERE why <> '' ORDER BY idx`;
    const reader = await c.runAndReadAll(sql, { rows: text });
    return reader.getRowObjectsJson().map((r) => ({ index: Number(r.idx), reason: String(r.why), transient: false }));
  }
}

export interface DuckDbSink {
  sink: EventSink;
  close(): Promise<void>;
}

/** The local EventSink: a DuckDB file at `path`, created with its tables when missing. */
export async function openDuckDbSink(path: string): Promise<DuckDbSink> {
  const db = await Database.open(path);
  const table = (name: string) => {
    const spec = db.tables.find((t) => t.name === name);
    if (!spec) throw new Error(`schema of table ${name} not found`);
    return new JsonBatchTable(db, spec);
  };
  const events = table('failure_events');
  const rejected = table('rejected_entries');
  return {
    sink: {
      writeEvents: (rows: readonly FailureEventRow[]) => events.write(rows),
      writeRejected: (rows: readonly RejectedEntryRow[]) => rejected.write(rows),
    },
    close: () => db.close(),
  };
}
