import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ColumnDecl } from '../../core/sql/header.js';
import { buildLibrary, type BuildResult, type SqlKind, type SqlLibrary, type SqlSource, type TableSchema } from '../../core/sql/library.js';
import { scalar, type SqlType } from '../../core/sql/types.js';

/** Reads the SQL library from sql/ and the table schemas from schemas/bigquery/. */
export const SQL_DIRS: Record<SqlKind, string> = { view: 'views', analysis: 'analyses', check: 'checks' };

/** A folder at the repository root, both from the sources (vitest) and from the compiled dist/ tree. */
function repoFolder(name: string, probe: string): string {
  for (const rel of [`../../../${name}/`, `../../../../${name}/`]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}/${probe}`)) return dir.replace(/\/$/, '');
  }
  throw new Error(`${name} folder not found next to ${fileURLToPath(import.meta.url)}`);
}

export const sqlRoot = (): string => repoFolder('sql', 'views');
export const schemasDir = (): string => repoFolder('schemas', 'tables.json');

interface SchemaColumn {
  name: string;
  type: string;
  mode?: string;
  description?: string;
}

function columnType(c: SchemaColumn): SqlType {
  const base = scalar(c.type);
  if (!base) throw new Error(`schema column ${c.name}: type ${c.type} has no SQL type`);
  return c.mode === 'REPEATED' ? { kind: 'array', element: base } : base;
}

/** Every table of schemas/tables.json with the columns of its schemas/bigquery file. */
export function loadTableSchemas(root: string = schemasDir()): TableSchema[] {
  const tables = JSON.parse(readFileSync(`${root}/tables.json`, 'utf8')) as Record<string, unknown>;
  return Object.keys(tables).map((name) => {
    const cols = JSON.parse(readFileSync(`${root}/bigquery/${name}.json`, 'utf8')) as SchemaColumn[];
    return { name, columns: cols.map((c): ColumnDecl => ({ name: c.name, type: columnType(c), description: c.description ?? '' })) };
  });
}

export function readSqlSources(root: string = sqlRoot()): SqlSource[] {
  const sources: SqlSource[] = [];
  for (const [kind, dir] of Object.entries(SQL_DIRS) as [SqlKind, string][]) {
    const path = `${root}/${dir}`;
    if (!existsSync(path)) continue;
    const names = readdirSync(path).filter((f) => f.endsWith('.sql') && !f.endsWith('.duckdb.sql')).sort();
    for (const file of names) {
      const name = file.slice(0, -'.sql'.length);
      const override = `${path}/${name}.duckdb.sql`;
      sources.push({
        kind,
        name,
        path: `sql/${dir}/${file}`,
        text: readFileSync(`${path}/${file}`, 'utf8'),
        duckdbOverride: existsSync(override) ? readFileSync(override, 'utf8') : null,
      });
    }
  }
  return sources;
}

/** `NAME.duckdb.sql` files without their `NAME.sql`: an override of nothing. */
function orphanOverrides(root: string): string[] {
  return Object.values(SQL_DIRS).flatMap((dir) => {
    const path = `${root}/${dir}`;
    if (!existsSync(path)) return [];
    return readdirSync(path)
      .filter((f) => f.endsWith('.duckdb.sql') && !existsSync(`${path}/${f.slice(0, -'.duckdb.sql'.length)}.sql`))
      .map((f) => `sql/${dir}/${f}: a DuckDB override without its BigQuery file`);
  });
}

/** The library with its consistency problems (the test suite insists there are none). */
export function loadSqlLibrary(root: string = sqlRoot(), schemas: string = schemasDir()): BuildResult {
  const built = buildLibrary(readSqlSources(root), loadTableSchemas(schemas));
  return { library: built.library, errors: [...built.errors, ...orphanOverrides(root)] };
}

/** The library for a use case that runs saved SQL itself (relink, alert evaluation): any problem is a bug of the shipped files. */
export function requireSqlLibrary(): SqlLibrary {
  const { library, errors } = loadSqlLibrary();
  if (errors.length > 0) throw new Error(`SQL library: ${errors.join('; ')}`);
  return library;
}
