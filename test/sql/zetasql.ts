import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { ZetaSQLClient, TypeKind } from '@fivetrandevelopers/zetasql';
import type { ColumnDecl } from '../../functions/core/sql/header.js';
import type { TableSchema } from '../../functions/core/sql/library.js';
import { scalar, type SqlType } from '../../functions/core/sql/types.js';

/**
 * The GoogleSQL (ZetaSQL) analyzer, BigQuery's own front end, run as the local gRPC server
 * that @fivetrandevelopers/zetasql ships (lib/zetasql/remote_server.so, Linux x86-64),
 * with a catalog built from our table schemas and BigQuery's language features. It resolves
 * names and types exactly as BigQuery would, without a project or credentials.
 */
export const DATASET = 'faultline';

/**
 * The language BigQuery speaks, as ZetaSQL features: external product mode (FLOAT64, no
 * DOUBLE or INT32), QUALIFY, JSON, aggregate modifiers, SAFE_ functions, PIVOT, ... and
 * nothing BigQuery lacks (bare `arr[0]` indexing, protos, TIMESTAMP nanos, SQL macros).
 */
export const BIGQUERY_FEATURES = [
  'FEATURE_ANALYTIC_FUNCTIONS',
  'FEATURE_NAMED_ARGUMENTS',
  'FEATURE_NUMERIC_TYPE',
  'FEATURE_BIGNUMERIC_TYPE',
  'FEATURE_JSON_TYPE',
  'FEATURE_JSON_VALUE_EXTRACTION_FUNCTIONS',
  'FEATURE_JSON_LAX_VALUE_EXTRACTION_FUNCTIONS',
  'FEATURE_JSON_ARRAY_FUNCTIONS',
  'FEATURE_JSON_CONSTRUCTOR_FUNCTIONS',
  'FEATURE_INTERVAL_TYPE',
  'FEATURE_GEOGRAPHY',
  'FEATURE_TABLESAMPLE',
  'FEATURE_GROUP_BY_ROLLUP',
  'FEATURE_V_1_1_ORDER_BY_IN_AGGREGATE',
  'FEATURE_V_1_1_LIMIT_IN_AGGREGATE',
  'FEATURE_V_1_1_HAVING_IN_AGGREGATE',
  'FEATURE_V_1_1_NULL_HANDLING_MODIFIER_IN_AGGREGATE',
  'FEATURE_V_1_1_NULL_HANDLING_MODIFIER_IN_ANALYTIC',
  'FEATURE_V_1_1_SELECT_STAR_EXCEPT_REPLACE',
  'FEATURE_V_1_1_WITH_ON_SUBQUERY',
  'FEATURE_V_1_1_ARRAY_EQUALITY',
  'FEATURE_V_1_2_CIVIL_TIME',
  'FEATURE_V_1_2_SAFE_FUNCTION_CALL',
  'FEATURE_V_1_2_WEEK_WITH_WEEKDAY',
  'FEATURE_V_1_3_QUALIFY',
  'FEATURE_V_1_3_NULLS_FIRST_LAST_IN_ORDER_BY',
  'FEATURE_V_1_3_ALLOW_DASHES_IN_TABLE_NAME',
  'FEATURE_V_1_3_IS_DISTINCT',
  'FEATURE_V_1_3_PIVOT',
  'FEATURE_V_1_3_UNPIVOT',
  'FEATURE_V_1_3_DATE_ARITHMETICS',
  'FEATURE_V_1_3_EXTENDED_DATE_TIME_SIGNATURES',
  'FEATURE_V_1_3_ADDITIONAL_STRING_FUNCTIONS',
  'FEATURE_V_1_3_WITH_RECURSIVE',
  'FEATURE_V_1_3_CONCAT_MIXED_TYPES',
  'FEATURE_V_1_3_FORMAT_IN_CAST',
  'FEATURE_V_1_3_DECIMAL_ALIAS',
  'FEATURE_V_1_3_LIKE_ANY_SOME_ALL',
  'FEATURE_V_1_3_INLINE_LAMBDA_ARGUMENT',
  'FEATURE_V_1_3_DATE_TIME_CONSTRUCTORS',
  'FEATURE_V_1_3_ALLOW_REGEXP_EXTRACT_OPTIONALS',
  'FEATURE_V_1_4_GROUPING_SETS',
  'FEATURE_V_1_4_GROUPING_BUILTIN',
] as const;

const LANGUAGE = {
  productMode: 'PRODUCT_EXTERNAL',
  nameResolutionMode: 'NAME_RESOLUTION_DEFAULT',
  enabledLanguageFeatures: [...BIGQUERY_FEATURES],
  supportedStatementKinds: ['RESOLVED_QUERY_STMT', 'RESOLVED_CREATE_VIEW_STMT'],
};

/** The statements the adapters send: queries, DML, and a script's transaction bounds. */
const STATEMENT_LANGUAGE = {
  ...LANGUAGE,
  supportedStatementKinds: [
    'RESOLVED_QUERY_STMT',
    'RESOLVED_INSERT_STMT',
    'RESOLVED_UPDATE_STMT',
    'RESOLVED_DELETE_STMT',
    'RESOLVED_MERGE_STMT',
    'RESOLVED_BEGIN_STMT',
    'RESOLVED_COMMIT_STMT',
  ],
};

// TypeKind values by name and back (the client sends names, answers numbers).
const KIND_NAME = new Map(Object.entries(TypeKind).map(([k, v]) => [v as number, k]));
const SCALAR_KIND: Record<string, string> = {
  STRING: 'TYPE_STRING',
  INT64: 'TYPE_INT64',
  FLOAT64: 'TYPE_DOUBLE',
  NUMERIC: 'TYPE_NUMERIC',
  BOOL: 'TYPE_BOOL',
  TIMESTAMP: 'TYPE_TIMESTAMP',
  DATE: 'TYPE_DATE',
  DATETIME: 'TYPE_DATETIME',
  JSON: 'TYPE_JSON',
  BYTES: 'TYPE_BYTES',
};

export interface TypeProto {
  typeKind: string | number;
  arrayType?: { elementType: TypeProto } | null;
  structType?: { field: { fieldName: string; fieldType: TypeProto }[] } | null;
}

export function toProto(t: SqlType): TypeProto {
  if (t.kind === 'array') return { typeKind: 'TYPE_ARRAY', arrayType: { elementType: toProto(t.element) } };
  if (t.kind === 'struct') return { typeKind: 'TYPE_STRUCT', structType: { field: t.fields.map((f) => ({ fieldName: f.name, fieldType: toProto(f.type) })) } };
  return { typeKind: SCALAR_KIND[t.name] as string };
}

export function fromProto(p: TypeProto): SqlType {
  const kind = typeof p.typeKind === 'number' ? (KIND_NAME.get(p.typeKind) ?? String(p.typeKind)) : p.typeKind;
  if (kind === 'TYPE_ARRAY') return { kind: 'array', element: fromProto((p.arrayType as { elementType: TypeProto }).elementType) };
  if (kind === 'TYPE_STRUCT') return { kind: 'struct', fields: (p.structType?.field ?? []).map((f) => ({ name: f.fieldName, type: fromProto(f.fieldType) })) };
  const name = Object.entries(SCALAR_KIND).find(([, v]) => v === kind)?.[0];
  const t = name ? scalar(name) : null;
  if (!t) throw new Error(`the analyzer answered a type this library does not use: ${kind}`);
  return t;
}

export interface Analyzed {
  columns: ColumnDecl[];
}

/** The parts of a resolved statement this harness reads (a query, or a view's definition). */
interface Resolved {
  resolvedQueryStmtNode?: { outputColumnList: OutputColumn[] };
  resolvedCreateStatementNode?: { resolvedCreateViewBaseNode?: { resolvedCreateViewStmtNode?: { parent: { outputColumnList: OutputColumn[] } } } };
}

interface OutputColumn {
  name: string;
  column: { type: TypeProto };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One analyzer server for a test file; `stop` kills the process it started. */
export class Analyzer {
  private tables: { name: string; column: { name: string; type: TypeProto }[] }[] = [];

  /**
   * `dataset`: the catalog's one dataset name, as the SQL names it. A project-qualified
   * `` `project.dataset` `` is a single quoted identifier to the analyzer, so the adapters'
   * tables are found under the name `project.dataset`.
   */
  private constructor(
    private readonly child: ChildProcess,
    private readonly dataset: string,
  ) {}

  static async start(dataset: string = DATASET): Promise<Analyzer> {
    const require = createRequire(import.meta.url);
    const binary = require.resolve('@fivetrandevelopers/zetasql').replace(/index\.js$/, 'zetasql/remote_server.so');
    const port = await freePort();
    const child = spawn(binary, ['localhost', String(port)], { stdio: 'ignore' });
    ZetaSQLClient.init(port);
    if (!(await ZetaSQLClient.getInstance().testConnection())) {
      child.kill('SIGKILL');
      throw new Error(`the ZetaSQL analyzer (${binary}) did not answer on port ${port}`);
    }
    return new Analyzer(child, dataset);
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }

  /** Adds a table (or a view's output columns) to the dataset of the catalog. */
  addTable(t: TableSchema): void {
    this.tables = this.tables.filter((x) => x.name !== t.name);
    this.tables.push({ name: t.name, column: t.columns.map((c) => ({ name: c.name, type: toProto(c.type) })) });
  }

  private request(target: { sqlStatement: string } | { parseResumeLocation: { input: string; bytePosition: number; allowResume: true } }, language: typeof LANGUAGE, params: readonly Param[]) {
    return {
      ...target,
      simpleCatalog: { name: 'catalog', catalog: [{ name: this.dataset, table: this.tables }], builtinFunctionOptions: { languageOptions: language } },
      options: {
        languageOptions: language,
        errorMessageMode: 'ERROR_MESSAGE_ONE_LINE',
        parameterMode: 'PARAMETER_NAMED',
        queryParameters: params.map((p) => ({ name: p.name, type: toProto(p.type) })),
      },
    } as never;
  }

  /** Resolves one statement; a name, type or syntax error is thrown with the analyzer's message. */
  async analyze(sql: string, params: readonly Param[] = []): Promise<Analyzed> {
    const response = await ZetaSQLClient.getInstance().analyze(this.request({ sqlStatement: sql }, LANGUAGE, params));
    const resolved = (response as { resolvedStatement?: Resolved } | undefined)?.resolvedStatement;
    const stmt = resolved?.resolvedQueryStmtNode ?? resolved?.resolvedCreateStatementNode?.resolvedCreateViewBaseNode?.resolvedCreateViewStmtNode?.parent;
    if (!stmt) throw new Error('not a query or CREATE VIEW statement');
    return { columns: stmt.outputColumnList.map((o) => ({ name: o.name, type: fromProto(o.column.type), description: '' })) };
  }

  /**
   * Resolves every statement of `sql` (one statement, or a multi-statement script such as
   * BEGIN TRANSACTION; ...; COMMIT TRANSACTION), of any kind the adapters send: query,
   * INSERT, UPDATE, DELETE, MERGE, BEGIN, COMMIT. The analyzer itself splits the script
   * (ParseResumeLocation: each answer says where the next statement starts), so no
   * hand-written splitter decides what a statement is. Answers each statement's kind, in
   * order (e.g. `['BEGIN', 'DELETE', 'INSERT', 'COMMIT']`); the first statement that fails
   * is thrown with the analyzer's message.
   */
  async analyzeStatements(sql: string, params: readonly Param[] = []): Promise<string[]> {
    const bytes = Buffer.from(sql, 'utf8');
    const kinds: string[] = [];
    let position = 0;
    while (bytes.subarray(position).toString('utf8').trim() !== '') {
      const target = { parseResumeLocation: { input: sql, bytePosition: position, allowResume: true as const } };
      const response = (await ZetaSQLClient.getInstance().analyze(this.request(target, STATEMENT_LANGUAGE, params))) as
        | { resolvedStatement?: Record<string, unknown> | null; resumeBytePosition?: number }
        | undefined;
      const node = Object.entries(response?.resolvedStatement ?? {}).find(([k, v]) => /^resolved\w+Node$/.test(k) && v)?.[0];
      if (!node) throw new Error(`no resolved statement at byte ${position}`);
      kinds.push(node.replace(/^resolved/, '').replace(/(Stmt|Statement)Node$/, '').toUpperCase());
      const next = Number(response?.resumeBytePosition);
      if (!(next > position)) throw new Error(`the analyzer did not advance past byte ${position}`);
      position = next;
    }
    return kinds;
  }
}

type Param = { name: string; type: SqlType };

/** The analyzer's error text (gRPC INVALID_ARGUMENT details), or the message. */
export function analyzerMessage(err: unknown): string {
  return (err as { details?: string }).details ?? (err as Error).message;
}
