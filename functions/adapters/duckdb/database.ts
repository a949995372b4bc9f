import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue, type Json } from '@duckdb/node-api';

/**
 * The local database: one DuckDB file whose tables are created from schemas/bigquery/*.json,
 * so local and BigQuery tables have the same columns. Each table's key column
 * (schemas/tables.json) is unique: by a PRIMARY KEY, except in the tables of
 * UNINDEXED_TABLES, kept unique by the EventSink's merge (event-sink.ts).
 */
export interface ColumnSpec {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  description?: string;
}

export interface TableSpec {
  name: string;
  key: string;
  description: string;
  columns: ColumnSpec[];
}

const DUCKDB_TYPES: Record<string, string> = {
  STRING: 'VARCHAR',
  TIMESTAMP: 'TIMESTAMPTZ',
  INT64: 'BIGINT',
  INTEGER: 'BIGINT',
  FLOAT64: 'DOUBLE',
  FLOAT: 'DOUBLE',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  JSON: 'JSON',
};

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** The schemas folder, both from the sources (vitest) and from the compiled dist/ tree. */
export function schemasRoot(): string {
  for (const rel of ['../../../schemas/', '../../../../schemas/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}/tables.json`)) return dir;
  }
  throw new SchemaError(`schemas folder not found next to ${fileURLToPath(import.meta.url)}`);
}

export function duckDbType(column: ColumnSpec): string {
  const base = DUCKDB_TYPES[column.type];
  if (base === undefined) throw new SchemaError(`column ${column.name}: BigQuery type ${column.type} has no DuckDB mapping`);
  return column.mode === 'REPEATED' ? `${base}[]` : base;
}

/** Every table of schemas/tables.json with its columns, in a stable order. */
export function loadTableSpecs(root: string = schemasRoot()): TableSpec[] {
  const tables = JSON.parse(readFileSync(`${root}/tables.json`, 'utf8')) as Record<string, { key: string; description?: string }>;
  return Object.entries(tables).map(([name, t]) => {
    const columns = JSON.parse(readFileSync(`${root}/bigquery/${name}.json`, 'utf8')) as ColumnSpec[];
    if (!columns.some((c) => c.name === t.key)) throw new SchemaError(`table ${name}: key column ${t.key} is not in its schema`);
    return { name, key: t.key, description: t.description ?? '', columns };
  });
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Tables written only by the EventSink (event-sink.ts): their key is kept unique by its
 * writes (a Bloom filter of the stored keys, a lookup of the keys it flags, one writer per
 * file), not by a PRIMARY KEY, whose ART index costs ~230 bytes a row of memory for good and
 * slows every insert. Files created before keep their key: the writes work the same on them.
 */
export const UNINDEXED_TABLES: ReadonlySet<string> = new Set(['failure_events', 'rejected_entries']);

/**
 * Values for rows that predate a column, set once when the column is added. Sent alerts
 * claimed before delivery was recorded count as delivered: their fate is unknown, and
 * re-sending a file's whole alert history at the next replay would flood the channels.
 */
const BACKFILL_ON_ADD: Readonly<Record<string, string>> = {
  'alert_keys.delivered_at': "UPDATE alert_keys SET delivered_at = claimed_at WHERE delivery = 'sent'",
};

export function createTableSql(spec: TableSpec, name: string = spec.name, primaryKey: boolean = !UNINDEXED_TABLES.has(spec.name)): string {
  const cols = spec.columns.map((c) => `  ${c.name} ${duckDbType(c)}${c.mode === 'REQUIRED' ? ' NOT NULL' : ''}`);
  const key = primaryKey ? `,\n  PRIMARY KEY (${spec.key})` : '';
  return `CREATE TABLE IF NOT EXISTS ${name} (\n${cols.join(',\n')}${key}\n)`;
}

/** Descriptions travel with the table, so `DESCRIBE`/`duckdb_columns()` explain the columns. */
function commentSql(spec: TableSpec): string[] {
  return [
    `COMMENT ON TABLE ${spec.name} IS ${quote(spec.description)}`,
    ...spec.columns.filter((c) => c.description).map((c) => `COMMENT ON COLUMN ${spec.name}.${c.name} IS ${quote(c.description ?? '')}`),
  ];
}

/** An SQL expression giving a column's value in its JSON row shape. */
export function readExpr(column: ColumnSpec): string {
  const n = column.name;
  if (column.type === 'TIMESTAMP') return `strftime(${n}, '%Y-%m-%dT%H:%M:%S.%fZ') AS ${n}`;
  if (column.type === 'INT64' || column.type === 'INTEGER') return `CAST(${n} AS DOUBLE) AS ${n}`;
  if (column.type === 'JSON') return `CAST(${n} AS VARCHAR) AS ${n}`;
  return n;
}

export const CHECKPOINT_THRESHOLD = '64MB';
export const MEMORY_LIMIT = '256MB';

export interface OpenOptions {
  readOnly?: boolean;
}

/** One open DuckDB file and its connection; queries run one at a time, in call order. */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
    readonly tables: TableSpec[],
  ) {}

  static async open(path: string, options: OpenOptions = {}): Promise<Database> {
    const settings: Record<string, string> = { preserve_insertion_order: 'false' };
    if (options.readOnly) settings.access_mode = 'READ_ONLY';
    else {
      // Fewer checkpoints than the default 16 MB of WAL: each checkpoint has a fixed cost.
      settings.checkpoint_threshold = CHECKPOINT_THRESHOLD;
      // DuckDB keeps every block it touched cached up to 80 % of RAM: a long replay's memory
      // would grow with the file. Capped, blocks of the file are evicted (and re-read) and
      // large intermediates spill to `<file>.tmp/`, so memory stays flat as input grows.
      // Measured with replays of 1M and 2M entries (alerts on, the end-of-run queries over every
      // row included): peak RSS 745 / 819 MiB at 256 MB, 876 / 1,155 MiB at 512 MB, and the
      // replay no slower (21-23k entries/s against 18k). 128 MB passed without alerts.
      settings.memory_limit = process.env.FAULTLINE_DUCKDB_MEMORY ?? MEMORY_LIMIT;
    }
    const instance = await DuckDBInstance.create(path, settings);
    const connection = await instance.connect();
    // Local wall-clock rendering must not depend on the machine's zone.
    await connection.run("SET TimeZone = 'UTC'");
    const db = new Database(instance, connection, path, loadTableSpecs());
    if (options.readOnly) await db.shadowStagedTables();
    else await db.ensureTables();
    return db;
  }

  /**
   * A read-only open cannot merge rows that a writer staged and committed but did not merge
   * yet (a `serve` stopped by a signal, a killed replay). Temporary views of the same names
   * show them anyway, de-duplicated by key as the merge would: readers see every durable row.
   */
  private async shadowStagedTables(): Promise<void> {
    const staged = (
      await this.connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_name LIKE '%\\_\\_staging' ESCAPE '\\'")
    ).getRowObjects().map((r) => String(r.table_name));
    if (staged.length === 0) return;
    const catalog = String((await this.connection.runAndReadAll('SELECT current_database() AS d')).getRowObjects()[0]?.d);
    const q = (name: string) => `"${catalog.replace(/"/g, '""')}".main.${name}`;
    for (const spec of this.tables.filter((t) => staged.includes(`${t.name}__staging`))) {
      const k = spec.key;
      await this.connection.run(
        `CREATE TEMP VIEW ${spec.name} AS SELECT * FROM ${q(spec.name)} UNION ALL BY NAME ` +
          `SELECT * FROM (SELECT DISTINCT ON (${k}) * FROM ${q(`${spec.name}__staging`)}) s WHERE NOT EXISTS (SELECT 1 FROM ${q(spec.name)} t WHERE t.${k} = s.${k})`,
      );
    }
  }

  /** Runs `work` after every earlier call has settled: one connection is not re-entrant. */
  exclusive<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => work(this.connection));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Rows as plain JSON values (BIGINTs as strings: cast in SQL where a number is wanted). */
  all(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<Record<string, Json>[]> {
    return this.exclusive(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJson());
  }

  /** A whole table as the row shapes of functions/core/rows.ts (timestamps as RFC 3339 UTC). */
  tableRows(table: string): Promise<Record<string, Json>[]> {
    const spec = this.tables.find((t) => t.name === table);
    if (!spec) throw new SchemaError(`unknown table ${table}`);
    return this.all(`SELECT ${spec.columns.map(readExpr).join(', ')} FROM ${spec.name} ORDER BY ${spec.key}`);
  }

  async close(): Promise<void> {
    // every write queued before close has finished
    await this.exclusive(() => Promise.resolve());
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async ensureTables(): Promise<void> {
    for (const spec of this.tables) {
      const exists = await this.all('SELECT 1 FROM duckdb_tables() WHERE table_name = $name AND schema_name = current_schema()', { name: spec.name });
      if (exists.length > 0) {
        await this.addMissingColumns(spec);
        continue;
      }
      // One transaction: a table is created with its comments or not at all.
      await this.connection.run(['BEGIN', createTableSql(spec), ...commentSql(spec), 'COMMIT'].join(';\n'));
    }
  }

  /** A column added to a schema file later is added to existing files as nullable. */
  private async addMissingColumns(spec: TableSpec): Promise<void> {
    const rows = await this.all('SELECT column_name FROM duckdb_columns() WHERE table_name = $name AND schema_name = current_schema()', { name: spec.name });
    const have = new Set(rows.map((r) => String(r.column_name)));
    for (const c of spec.columns.filter((x) => !have.has(x.name))) {
      const backfill = BACKFILL_ON_ADD[`${spec.name}.${c.name}`];
      const comment = c.description ? [`COMMENT ON COLUMN ${spec.name}.${c.name} IS ${quote(c.description)}`] : [];
      await this.connection.run(['BEGIN', `ALTER TABLE ${spec.name} ADD COLUMN ${c.name} ${duckDbType(c)}`, ...comment, ...(backfill ? [backfill] : []), 'COMMIT'].join(';\n'));
    }
  }
}
