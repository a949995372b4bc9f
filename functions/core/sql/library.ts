import { parseHeader, splitHeader, type ColumnDecl, type Header } from './header.js';
import { datasetRefs, renderDataset, usedParams } from './scan.js';

/**
 * The SQL library (sql/views, sql/analyses, sql/checks) as data: every file with its
 * header, the tables and views it reads and the params it uses, checked for consistency.
 * One BigQuery source serves both engines; only the dataset qualifier differs.
 */
export type SqlKind = 'view' | 'analysis' | 'check';

export interface SqlSource {
  kind: SqlKind;
  name: string;
  /** for messages: sql/views/events.sql */
  path: string;
  text: string;
  /** an explicit DuckDB version of the file (NAME.duckdb.sql), when the transpiler cannot do it */
  duckdbOverride: string | null;
}

export interface SqlFile extends Header {
  kind: SqlKind;
  name: string;
  path: string;
  /** the whole file, header included */
  text: string;
  /** the SQL after the header */
  body: string;
  /** tables and views read through `${dataset}.` */
  reads: string[];
  /** named params used in the code */
  uses: string[];
  duckdbOverride: string | null;
}

export interface TableSchema {
  name: string;
  columns: ColumnDecl[];
}

export interface SqlLibrary {
  files: SqlFile[];
  tables: TableSchema[];
}

export interface BuildResult {
  library: SqlLibrary;
  /** one message per problem, prefixed with the file's path; the library keeps the good files */
  errors: string[];
}

const NAME = /^[a-z][a-z0-9_]*$/;

function checkFile(f: SqlFile, known: Set<string>): string[] {
  const errors: string[] = [];
  const declared = new Set(f.params.map((p) => p.name));
  for (const u of f.uses) if (!declared.has(u)) errors.push(`uses @${u}, which the header does not declare (@param)`);
  for (const d of declared) if (!f.uses.includes(d)) errors.push(`declares @param ${d} but never uses it`);
  if (f.kind === 'view' && f.params.length > 0) errors.push('a view cannot take params (BigQuery views have none)');
  for (const r of f.reads) if (!known.has(r)) errors.push(`reads \${dataset}.${r}: no such table or view`);
  if (f.allColumns !== null && (f.columns.length > 0 || f.reads.length !== 1)) errors.push('@column * needs one table read and no other @column');
  if (f.allColumns === null && f.columns.length === 0) errors.push('declares no output column (@column)');
  if (f.duckdbOverride !== null) {
    const uses = usedParams(f.duckdbOverride).sort().join();
    if (uses !== [...f.uses].sort().join()) errors.push('its .duckdb.sql override uses other params than the file');
  }
  return errors;
}

function toFile(s: SqlSource): SqlFile | string {
  if (!NAME.test(s.name)) return `name "${s.name}": lower-case letters, digits and underscores`;
  const parsed = parseHeader(s.text);
  if (!parsed.ok) return parsed.error;
  const { body } = splitHeader(s.text);
  return { ...parsed.header, kind: s.kind, name: s.name, path: s.path, text: s.text, body, reads: datasetRefs(body), uses: usedParams(body), duckdbOverride: s.duckdbOverride };
}

export function buildLibrary(sources: readonly SqlSource[], tables: readonly TableSchema[]): BuildResult {
  const errors: string[] = [];
  const files: SqlFile[] = [];
  const known = new Set(tables.map((t) => t.name));
  for (const s of sources) {
    const f = toFile(s);
    if (typeof f === 'string') errors.push(`${s.path}: ${f}`);
    else if (known.has(f.name) || files.some((g) => g.name === f.name)) errors.push(`${s.path}: the name ${f.name} is taken`);
    else files.push(f);
  }
  for (const f of files) if (f.kind === 'view') known.add(f.name);
  for (const f of files) errors.push(...checkFile(f, known).map((e) => `${f.path}: ${e}`));
  const library = { files, tables: [...tables] };
  const cycle = findCycle(library);
  if (cycle) errors.push(`views depend on each other in a cycle: ${cycle.join(' -> ')}`);
  return { library, errors };
}

export function findFile(lib: SqlLibrary, name: string): SqlFile | undefined {
  return lib.files.find((f) => f.name === name);
}

const viewsRead = (lib: SqlLibrary, f: SqlFile): SqlFile[] =>
  f.reads.map((r) => findFile(lib, r)).filter((v): v is SqlFile => v !== undefined && v.kind === 'view');

function findCycle(lib: SqlLibrary): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: SqlFile, path: string[]): string[] | null => {
    if (state.get(f.name) === 'done') return null;
    if (state.get(f.name) === 'open') return [...path.slice(path.indexOf(f.name)), f.name];
    state.set(f.name, 'open');
    for (const v of viewsRead(lib, f)) {
      const c = visit(v, [...path, f.name]);
      if (c) return c;
    }
    state.set(f.name, 'done');
    return null;
  };
  for (const f of lib.files) {
    const c = visit(f, []);
    if (c) return c;
  }
  return null;
}

/**
 * The views `files` need, each after the views it reads (depth first, in the order the
 * files read them). Without `files`: every view of the library.
 */
export function viewOrder(lib: SqlLibrary, files: readonly SqlFile[] = lib.files.filter((f) => f.kind === 'view')): SqlFile[] {
  const out: SqlFile[] = [];
  const seen = new Set<string>();
  const visit = (f: SqlFile, depth: number): void => {
    if (seen.has(f.name) || depth > lib.files.length) return;
    for (const v of viewsRead(lib, f)) visit(v, depth + 1);
    if (!seen.has(f.name) && f.kind === 'view') out.push(f);
    seen.add(f.name);
  };
  for (const f of files) visit(f, 0);
  return out;
}

/** The output columns of a file, with `@column *` resolved through the table or view read. */
export function outputColumns(lib: SqlLibrary, f: SqlFile, depth = 0): ColumnDecl[] {
  if (f.allColumns === null || depth > lib.files.length) return f.columns;
  const source = f.reads[0] as string;
  const table = lib.tables.find((t) => t.name === source);
  if (table) return table.columns;
  const view = findFile(lib, source);
  return view ? outputColumns(lib, view, depth + 1) : [];
}

/** A BigQuery project id (optionally domain-scoped) and dataset name, checked before use. */
const PROJECT = /^([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;

export type Located = { ok: true; qualifier: string } | { ok: false; error: string };

/** The qualifier `${dataset}` stands for in BigQuery: `` `project.dataset` `` or `` `dataset` ``. */
export function bigQueryQualifier(project: string | null, dataset: string): Located {
  if (!DATASET.test(dataset)) return { ok: false, error: `bad dataset name "${dataset}" (letters, digits, underscores)` };
  if (project !== null && !PROJECT.test(project)) return { ok: false, error: `bad project id "${project}"` };
  return { ok: true, qualifier: project === null ? `\`${dataset}\`` : `\`${project}.${dataset}\`` };
}

/** The file's SQL for BigQuery, reading the given qualifier's tables and views. */
export function renderBigQuery(f: SqlFile, qualifier: string): string {
  return renderDataset(f.text, qualifier);
}

/** `CREATE OR REPLACE VIEW` statements for every view, in dependency order (what a deploy runs). */
export function bigQueryViewDdl(lib: SqlLibrary, qualifier: string): string[] {
  return viewOrder(lib).map((v) => {
    const options = `OPTIONS (description = ${JSON.stringify(v.summary)})`;
    return `CREATE OR REPLACE VIEW ${qualifier.slice(0, -1)}.${v.name}\` ${options} AS\n${renderDataset(v.body, qualifier).trim()}`;
  });
}
