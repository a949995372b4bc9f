import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { FailureEventRow, RejectedEntryRow } from '../../core/rows.js';
import type { EventSink, RowFailure } from '../../ports/event-sink.js';
import { createTableSql, Database, duckDbType, type TableSpec } from './database.js';

type Row = Readonly<Record<string, string | number | boolean | null>>;

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** ES2024 string methods (Node 20 has them; the ES2023 lib does not declare them). */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

const SURROGATE_ESCAPE = /\\ud[89a-f]/;

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
 * Writes one table in two steps, so the per-batch work is small and the key check is
 * set-based:
 *
 * 1. Each batch is one statement into `<table>__staging` (same columns, no key): the rows
 *    travel as a single NDJSON string parameter, DuckDB splits, parses (json_transform) and
 *    casts it on its own threads. Committed, the rows are durable: the write resolves.
 * 2. Every `mergeRows` staged rows (and before any read through the Database, and on open
 *    and close), one transaction inserts the staged rows whose key the table does not hold
 *    (DISTINCT ON the key, then an anti-join on it: DuckDB builds the hash table on the
 *    staged rows and streams the table's key column) and empties the staging table.
 *
 * Uniqueness of the key without a PRIMARY KEY: rows reach the table only through that merge;
 * merges are serialised (one connection, `exclusive`; DuckDB's file lock keeps other
 * writing processes out) and each one inserts only keys absent from the table and distinct
 * among themselves. Re-running a replay therefore adds nothing, and rows already stored keep
 * their values (their ingest_time included).
 *
 * Crash safety: a batch is committed to staging whole or not at all; a merge moves its rows
 * and clears staging in one transaction. A kill leaves staged rows that the next open
 * merges first, and re-running the replay fills the gaps without duplicating anything.
 *
 * Why not the appender: it costs one synchronous native call per value on the JS thread
 * (about 13-30 µs a row measured, plus a synchronous flush) where JSON.stringify costs
 * about 6 µs, and the JS thread is the one classifying.
 */
class StagedTable {
  private readonly insertSql: string;
  private readonly mergeSql: string;
  private readonly source: string;
  private readonly staging: string;
  /** rows written to staging since the last merge (after a crash: unknown, hence `dirty`) */
  private staged = 0;
  private dirty = true;
  private background: Promise<void> | null = null;
  private mergeConnection: DuckDBConnection | null = null;
  private failure: unknown = null;
  private prepared: DuckDBPreparedStatement | null = null;

  constructor(
    private readonly db: Database,
    private readonly spec: TableSpec,
    private readonly mergeRows: number,
  ) {
    const names = spec.columns.map((c) => c.name);
    this.staging = `${spec.name}__staging`;
    // Every column is read as text and cast by DuckDB, exactly as the strings were written.
    const struct = JSON.stringify(Object.fromEntries(names.map((n) => [n, 'VARCHAR'])));
    this.source = `(SELECT idx, unnest(json_transform(j, ${quote(struct)})) FROM (SELECT generate_subscripts(l, 1) - 1 AS idx, unnest(l) AS j FROM (SELECT string_split($rows, chr(10)) AS l)))`;
    const casts = spec.columns.map((c) => (c.type === 'STRING' ? c.name : `CAST(${c.name} AS ${duckDbType(c)})`));
    const cols = names.join(', ');
    this.insertSql = `INSERT INTO ${this.staging} (${cols}) SELECT ${casts.join(', ')} FROM ${this.source} WHERE NOT list_contains($skip, idx)`;
    const key = spec.key;
    this.mergeSql = [
      'BEGIN',
      `INSERT INTO ${spec.name} (${cols}) SELECT ${cols} FROM (SELECT DISTINCT ON (${key}) ${cols} FROM ${this.staging}) s WHERE NOT EXISTS (SELECT 1 FROM ${spec.name} t WHERE t.${key} = s.${key})`,
      `DELETE FROM ${this.staging}`,
      'COMMIT',
    ].join(';\n');
  }

  /** Creates the staging table and merges what a killed run left in it. */
  async open(): Promise<void> {
    await this.db.exclusive(async (c) => {
      await c.run(createTableSql(this.spec, this.staging, false));
      await this.merge(c);
    });
    this.db.addBeforeRead((c) => this.merge(c));
  }

  /**
   * Moves every staged row into the table (see the class comment), after any background
   * merge; a no-op when none wait. Runs in the caller's turn on the main connection.
   */
  async merge(c: DuckDBConnection): Promise<void> {
    if (this.background) await this.background;
    this.rethrow();
    if (!this.dirty && this.staged === 0) return;
    const staged = this.staged;
    await this.runMerge(c);
    this.staged -= staged;
    this.dirty = false;
  }

  /**
   * Starts a merge on a connection of its own, so the writes of the next batches (and the
   * classification feeding them) do not wait for it: it sees the rows committed when it
   * began (snapshot isolation) and deletes only those; rows staged meanwhile wait for the
   * next merge. Merges never overlap. A failure is raised by the next write.
   */
  private mergeInBackground(): void {
    if (this.background) return;
    const staged = this.staged;
    this.background = (async () => {
      try {
        this.mergeConnection ??= await this.db.connect();
        await this.runMerge(this.mergeConnection);
        this.staged -= staged;
      } catch (err) {
        this.failure ??= err;
        this.dirty = true;
      } finally {
        this.background = null;
      }
    })();
  }

  private async runMerge(c: DuckDBConnection): Promise<void> {
    try {
      await c.run(this.mergeSql);
    } catch (err) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  private rethrow(): void {
    if (this.failure === null) return;
    const err = this.failure;
    this.failure = null;
    throw err;
  }

  write(rows: readonly Row[]): Promise<RowFailure[]> {
    if (rows.length === 0) return Promise.resolve([]);
    // JSON.stringify escapes newlines inside values, so one line is one row.
    let text = rows.map((r) => JSON.stringify(r)).join('\n');
    // It writes a lone surrogate as a `\udXXX` escape (pairs stay raw): one scan of the batch
    // finds any, instead of a check of every value of every row (a false alarm costs the check).
    if (SURROGATE_ESCAPE.test(text)) text = rows.map((r) => JSON.stringify(wellFormed(r))).join('\n');
    return this.db.exclusive((c) => this.insert(c, text, rows.length));
  }

  /**
   * The fast path assumes every row is valid. When the statement fails, the rows at fault
   * are found, reported as permanent failures and the others written; a second failure is
   * not about rows and fails the batch.
   */
  private async insert(c: DuckDBConnection, text: string, rows: number): Promise<RowFailure[]> {
    this.rethrow();
    let failures: RowFailure[] = [];
    try {
      await this.run(c, text, []);
    } catch (err) {
      failures = await this.findBadRows(c, text);
      if (failures.length === 0) throw err;
      await this.run(c, text, failures.map((f) => f.index));
    }
    this.staged += rows - failures.length;
    if (this.staged >= this.mergeRows) this.mergeInBackground();
    return failures;
  }

  private async run(c: DuckDBConnection, text: string, skip: number[]): Promise<unknown> {
    if (skip.length > 0) return c.run(this.insertSql.replace('$skip', `[${skip.join(', ')}]::BIGINT[]`), { rows: text });
    // The common statement is prepared once: parsing and planning it per batch cost ~2 µs a row.
    this.prepared ??= await c.prepare(this.insertSql.replace('$skip', '[]::BIGINT[]'));
    this.prepared.bindVarchar(this.prepared.parameterIndex('rows'), text);
    return this.prepared.run();
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
  /** the open file, for other local adapters (alert keys, issues) that share its one connection */
  database: Database;
  close(): Promise<void>;
}

/**
 * Staged rows merged into the table at a time: large enough that the anti-join's scan of the
 * table's key column is amortised, small enough that its hash table stays a few tens of MB.
 */
export const MERGE_ROWS = 65_536;

/** The local EventSink: a DuckDB file at `path`, created with its tables when missing. */
export async function openDuckDbSink(path: string, options: { mergeRows?: number } = {}): Promise<DuckDbSink> {
  const db = await Database.open(path);
  const table = async (name: string) => {
    const spec = db.tables.find((t) => t.name === name);
    if (!spec) throw new Error(`schema of table ${name} not found`);
    const t = new StagedTable(db, spec, options.mergeRows ?? (Number(process.env.FAULTLINE_DUCKDB_MERGE_ROWS) || MERGE_ROWS));
    await t.open();
    return t;
  };
  let events: StagedTable, rejected: StagedTable;
  try {
    events = await table('failure_events');
    rejected = await table('rejected_entries');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return {
    sink: {
      writeEvents: (rows: readonly FailureEventRow[]) => events.write(rows),
      writeRejected: (rows: readonly RejectedEntryRow[]) => rejected.write(rows),
    },
    database: db,
    close: () => db.close(),
  };
}
