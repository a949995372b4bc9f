import { listValue, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import type { FailureEventRow, RejectedEntryRow } from '../../core/rows.js';
import type { EventSink, RowFailure } from '../../ports/event-sink.js';
import { Database, duckDbType, type TableSpec } from './database.js';
import { KeyFilter } from './key-filter.js';

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
 * Writes one table, keeping its key unique without an index:
 *
 * - Each batch is one statement straight into the table: the rows travel as a single NDJSON
 *   string parameter, DuckDB splits, parses (json_transform) and casts it on its own threads.
 *   Committed, the rows are durable: the write resolves.
 * - Before that, the batch's keys are checked against a Bloom filter of every key the table
 *   holds (KeyFilter, built when the file is opened, grown as rows are written): a new key is
 *   "certainly absent" and costs no query. Only the few keys the filter flags (a re-run, a
 *   duplicate export, a false positive at 1 in 100,000) are looked up in the table, with one
 *   semi-join per batch, and those found are not written again. Repeats inside a batch are
 *   written once.
 *
 * Uniqueness: writes are serialised (one connection, `exclusive`; DuckDB's file lock keeps
 * other writing processes out), and every key a committed write stored was added to the filter
 * before the next write is checked. Re-running a replay therefore adds nothing, and rows
 * already stored keep their values (their ingest_time included).
 *
 * Crash safety: a batch is committed whole or not at all; a killed run's rows are in the file,
 * the next open reads their keys into the filter, and re-running the replay fills the gaps.
 *
 * Why not an ART index (PRIMARY KEY): it grew memory by ~230 bytes a row for good. Why not a
 * staging table merged by an anti-join (the design before this one): every row was written
 * twice, and the merges blocked the writes behind them (about a third of replay time).
 * Why not the appender: it costs one synchronous native call per value on the JS thread
 * (about 13-30 µs a row measured) where JSON.stringify costs about 6 µs, and the JS thread is
 * the one classifying.
 */
class KeyedTable {
  private readonly insertSql: string;
  private readonly source: string;
  private readonly filter = new KeyFilter();
  private prepared: DuckDBPreparedStatement | null = null;

  constructor(
    private readonly db: Database,
    private readonly spec: TableSpec,
  ) {
    const names = spec.columns.map((c) => c.name);
    // Every column is read as text and cast by DuckDB, exactly as the strings were written.
    const struct = JSON.stringify(Object.fromEntries(names.map((n) => [n, 'VARCHAR'])));
    this.source = `(SELECT idx, unnest(json_transform(j, ${quote(struct)})) FROM (SELECT generate_subscripts(l, 1) - 1 AS idx, unnest(l) AS j FROM (SELECT string_split($rows, chr(10)) AS l)))`;
    const casts = spec.columns.map((c) => (c.type === 'STRING' ? c.name : `CAST(${c.name} AS ${duckDbType(c)})`));
    this.insertSql = `INSERT INTO ${spec.name} (${names.join(', ')}) SELECT ${casts.join(', ')} FROM ${this.source} WHERE NOT list_contains($skip, idx)`;
  }

  /** Merges what a staging table of the former design holds, then reads the keys into the filter. */
  async open(): Promise<void> {
    await this.db.exclusive(async (c) => {
      await mergeLegacyStaging(c, this.spec);
      const result = await c.stream(`SELECT ${this.spec.key} FROM ${this.spec.name}`);
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        for (const key of chunk.getColumnValues(0)) this.filter.add(String(key));
      }
    });
  }

  write(rows: readonly Row[]): Promise<RowFailure[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return this.db.exclusive((c) => this.insert(c, rows));
  }

  /** Indices of the rows to write: first of their key in the batch, and not in the table. */
  private async fresh(c: DuckDBConnection, rows: readonly Row[]): Promise<number[]> {
    const key = this.spec.key;
    const seen = new Set<string>();
    const flagged: string[] = [];
    const picked: number[] = [];
    rows.forEach((r, i) => {
      const k = String(r[key]);
      if (seen.has(k)) return;
      seen.add(k);
      if (this.filter.mightContain(k)) flagged.push(k);
      picked.push(i);
    });
    if (flagged.length === 0) return picked;
    const found = await c.runAndReadAll(`SELECT t.${key} AS k FROM ${this.spec.name} t SEMI JOIN (SELECT unnest($keys) AS k) s ON t.${key} = s.k`, {
      keys: listValue(flagged),
    });
    const stored = new Set(found.getRowObjectsJson().map((r) => String(r.k)));
    return stored.size === 0 ? picked : picked.filter((i) => !stored.has(String((rows[i] as Row)[key])));
  }

  /**
   * The fast path assumes every row is valid. When the statement fails, the rows at fault
   * are found, reported as permanent failures and the others written; a second failure is
   * not about rows and fails the batch.
   */
  private async insert(c: DuckDBConnection, rows: readonly Row[]): Promise<RowFailure[]> {
    const picked = await this.fresh(c, rows);
    if (picked.length === 0) return [];
    // JSON.stringify escapes newlines inside values, so one line is one row.
    let text = picked.map((i) => JSON.stringify(rows[i])).join('\n');
    // It writes a lone surrogate as a `\udXXX` escape (pairs stay raw): one scan of the batch
    // finds any, instead of a check of every value of every row (a false alarm costs the check).
    if (SURROGATE_ESCAPE.test(text)) text = picked.map((i) => JSON.stringify(wellFormed(rows[i] as Row))).join('\n');
    let failures: RowFailure[] = [];
    try {
      await this.run(c, text, []);
    } catch (err) {
      failures = await this.findBadRows(c, text);
      if (failures.length === 0) throw err;
      await this.run(c, text, failures.map((f) => f.index));
    }
    const failed = new Set(failures.map((f) => f.index));
    picked.forEach((rowIndex, at) => {
      if (!failed.has(at)) this.filter.add(String((rows[rowIndex] as Row)[this.spec.key]));
    });
    // failures are positions in the text: report them as indices of the caller's rows
    return failures.map((f) => ({ ...f, index: picked[f.index] as number }));
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

/**
 * Files written before this design kept new rows in `<table>__staging` until a merge; a
 * killed run could leave some there. They are moved into the table (keys it lacks, once
 * each) and the staging table dropped, in one transaction.
 */
async function mergeLegacyStaging(c: DuckDBConnection, spec: TableSpec): Promise<void> {
  const staging = `${spec.name}__staging`;
  const exists = await c.runAndReadAll('SELECT 1 FROM duckdb_tables() WHERE table_name = $name AND schema_name = current_schema()', { name: staging });
  if (exists.currentRowCount === 0) return;
  const cols = spec.columns.map((col) => col.name).join(', ');
  const k = spec.key;
  const sql = [
    'BEGIN',
    `INSERT INTO ${spec.name} (${cols}) SELECT ${cols} FROM (SELECT DISTINCT ON (${k}) ${cols} FROM ${staging}) s WHERE NOT EXISTS (SELECT 1 FROM ${spec.name} t WHERE t.${k} = s.${k})`,
    `DROP TABLE ${staging}`,
    'COMMIT',
  ].join(';\n');
  try {
    await c.run(sql);
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export interface DuckDbSink {
  sink: EventSink;
  /** the open file, for other local adapters (alert keys, issues) that share its one connection */
  database: Database;
  close(): Promise<void>;
}

/** The local EventSink: a DuckDB file at `path`, created with its tables when missing. */
export async function openDuckDbSink(path: string): Promise<DuckDbSink> {
  const db = await Database.open(path);
  const table = async (name: string) => {
    const spec = db.tables.find((t) => t.name === name);
    if (!spec) throw new Error(`schema of table ${name} not found`);
    const t = new KeyedTable(db, spec);
    await t.open();
    return t;
  };
  let events: KeyedTable, rejected: KeyedTable;
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
