import { DuckDBListType, DuckDBTypeId, type DuckDBType, type Json } from '@duckdb/node-api';
import { Dialect, transpile } from '@polyglot-sql/sdk';
import { Database } from '../../../functions/adapters/duckdb/database.js';
import { replaceParams } from '../../../functions/core/sql/scan.js';
import type { Field, ResultSet } from '../../sql/fake-bigquery-query.js';

/**
 * Executes the GoogleSQL a query job carries on an in-memory DuckDB holding the tables of
 * schemas/bigquery (created by the local Database), through Polyglot's BigQuery -> DuckDB
 * translation. So an adapter's MERGE, transaction and SELECTs really run against the
 * schema's columns, instead of a hand model of them. Not modelled: BigQuery's concurrency
 * (one statement at a time here) and anything Polyglot translates differently (see
 * functions/adapters/sql/transpile.ts).
 */
export interface RestParam {
  name: string;
  parameterType: RestType;
  parameterValue?: RestValue;
}
interface RestType {
  type: string;
  arrayType?: RestType;
  structTypes?: { name: string; type: RestType }[];
}
interface RestValue {
  value?: unknown;
  arrayValues?: RestValue[];
  structValues?: Record<string, RestValue>;
}

const DUCK: Record<string, string> = { STRING: 'VARCHAR', INT64: 'BIGINT', FLOAT64: 'DOUBLE', BOOL: 'BOOLEAN', TIMESTAMP: 'TIMESTAMPTZ', JSON: 'JSON' };
const SENTINEL = '__fake_param_';

function duckType(t: RestType): string {
  const d = DUCK[t.type];
  if (!d) throw new Error(`fake BigQuery: parameter type ${t.type} not modelled`);
  return d;
}

/** An ARRAY<STRUCT> parameter as JSON text, read back typed by from_json's structure. */
function structure(t: RestType): unknown {
  if (t.type === 'ARRAY' && t.arrayType) return [structure(t.arrayType)];
  if (t.type === 'STRUCT') return Object.fromEntries((t.structTypes ?? []).map((f) => [f.name, structure(f.type)]));
  return duckType(t);
}

function plain(t: RestType, v: RestValue | undefined): unknown {
  if (t.type === 'ARRAY' && t.arrayType) return (v?.arrayValues ?? []).map((x) => plain(t.arrayType as RestType, x));
  if (t.type === 'STRUCT') return Object.fromEntries((t.structTypes ?? []).map((f) => [f.name, plain(f.type, v?.structValues?.[f.name])]));
  const value = v?.value ?? null;
  return value !== null && t.type === 'INT64' ? Number(value) : value;
}

function bind(p: RestParam): { sql: string; value: string | null } {
  const t = p.parameterType;
  if (t.type === 'ARRAY') return { sql: `from_json(($${p.name}), '${JSON.stringify(structure(t))}')`, value: JSON.stringify(plain(t, p.parameterValue)) };
  const value = p.parameterValue?.value;
  return { sql: `CAST(($${p.name}) AS ${duckType(t)})`, value: value === undefined || value === null ? null : String(value) };
}

/** GoogleSQL (one statement or a script) -> DuckDB statements, params bound by name. */
export function toDuckDbStatements(query: string, params: readonly RestParam[]): { statements: string[]; values: Record<string, string | null> } {
  // The tables live in DuckDB's main schema: drop the `project.dataset` qualifier.
  const unqualified = query.replace(/`[^`]+`\./g, '');
  const result = transpile(replaceParams(unqualified, (n) => `${SENTINEL}${n}`), Dialect.BigQuery, Dialect.DuckDB, { unsupportedLevel: 'raise' });
  if (!result.success || !result.sql) throw new Error(`fake BigQuery: cannot translate: ${result.error ?? 'no output'}`);
  const bound = new Map(params.map((p) => [p.name, bind(p)]));
  const statements = result.sql.map((s) =>
    s
      // BigQuery's `UNNEST(a) AS s` names the element; DuckDB's names the table unless given a column
      .replace(/(UNNEST\([^()]*\)) AS (\w+)\b(?!\s*\()/gi, '$1 AS _u($2)')
      .replace(new RegExp(`${SENTINEL}([A-Za-z0-9_]+)`, 'g'), (_m, n: string) => bound.get(n)?.sql ?? `($${n})`),
  );
  return { statements, values: Object.fromEntries([...bound].map(([n, b]) => [n, b.value])) };
}

const REST_TYPES: Partial<Record<DuckDBTypeId, string>> = {
  [DuckDBTypeId.VARCHAR]: 'STRING', [DuckDBTypeId.BIGINT]: 'INTEGER', [DuckDBTypeId.INTEGER]: 'INTEGER',
  [DuckDBTypeId.DOUBLE]: 'FLOAT', [DuckDBTypeId.BOOLEAN]: 'BOOLEAN',
};

/** A LIST column is a REPEATED field whose cell is an array of cells, as BigQuery's REST answer has it. */
function restResult(names: string[], types: DuckDBType[], rows: Json[][]): ResultSet {
  const list = types.map((t) => t instanceof DuckDBListType);
  const restType = (t: DuckDBType): string => REST_TYPES[(t instanceof DuckDBListType ? t.valueType : t).typeId] ?? 'STRING';
  const fields: Field[] = names.map((name, i) => ({ name, type: restType(types[i] as DuckDBType), ...(list[i] ? { mode: 'REPEATED' as const } : {}) }));
  const cell = (v: Json) => ({ v: v === null ? null : String(v) });
  return { fields, rows: rows.map((r) => ({ f: r.map((v, i) => (list[i] ? { v: ((v ?? []) as Json[]).map(cell) } : cell(v))) })) };
}

export class FakeSqlTables {
  private db: Promise<Database> | null = null;

  constructor(readonly tables: RegExp = /\b(issues|issue_links|failure_events)\b/) {}

  handles(query: string): boolean {
    return this.tables.test(query);
  }

  private database(): Promise<Database> {
    this.db ??= Database.open(':memory:');
    return this.db;
  }

  /** Rows of a table as DuckDB stores them (for assertions). */
  async rows(table: string): Promise<Record<string, unknown>[]> {
    return (await this.database()).tableRows(table);
  }

  /** Seeds a table: each row's values cast to the column types by DuckDB (a JSON column takes JSON text). */
  async insert(table: string, rows: readonly Record<string, string | number | boolean | null>[]): Promise<void> {
    const db = await this.database();
    for (const row of rows) {
      const names = Object.keys(row);
      await db.all(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_n, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
    }
  }

  async execute(query: string, params: readonly RestParam[]): Promise<ResultSet> {
    const { statements, values } = toDuckDbStatements(query, params);
    const db = await this.database();
    return db.exclusive(async (c) => {
      let last: ResultSet = { fields: [], rows: [] };
      try {
        for (const sql of statements) {
          const used = Object.fromEntries(Object.entries(values).filter(([n]) => sql.includes(`$${n}`)));
          const reader = await c.runAndReadAll(sql, used);
          last = restResult(reader.columnNames(), reader.columnTypes(), reader.getRowsJson());
        }
      } catch (err) {
        // a failed script leaves nothing behind, as BigQuery's transaction would
        await c.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      return last;
    });
  }

  async close(): Promise<void> {
    if (this.db) await (await this.db).close();
    this.db = null;
  }
}
