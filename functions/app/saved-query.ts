import type { ColumnDecl } from '../core/sql/header.js';
import { findFile, outputColumns, type SqlFile, type SqlLibrary } from '../core/sql/library.js';
import { bindParams, type BoundParam } from '../core/sql/params.js';
import { normalizeRow, type ResultRow } from '../core/sql/values.js';
import type { QueryEngine } from '../ports/saved-query.js';

/**
 * The use case behind `faultline query NAME`: find the saved question, bind its params
 * from the user's strings, run it on an engine (DuckDB locally, BigQuery in production)
 * and give its rows one shape whichever engine ran it.
 */
export interface QueryAnswer {
  file: SqlFile;
  params: BoundParam[];
  columns: ColumnDecl[];
  rows: ResultRow[];
}

export type QueryOutcome = { ok: true; answer: QueryAnswer } | { ok: false; error: string };

/** The file named `name`, or an error that lists close names. */
export function resolveQuery(lib: SqlLibrary, name: string): { ok: true; file: SqlFile } | { ok: false; error: string } {
  const file = findFile(lib, name);
  if (file) return { ok: true, file };
  const near = lib.files.filter((f) => f.name.includes(name) || name.includes(f.name)).map((f) => f.name);
  const hint = near.length > 0 ? ` Did you mean ${near.join(', ')}?` : '';
  return { ok: false, error: `no saved query named "${name}".${hint} \`faultline query --list\` lists them.` };
}

/**
 * Declared and returned columns must agree: the analyzer test pins the BigQuery side, this
 * catches a transpiled query that renamed or dropped a column.
 */
function checkColumns(file: SqlFile, declared: readonly ColumnDecl[], returned: readonly string[]): void {
  const want = declared.map((c) => c.name).join(', ');
  const got = returned.join(', ');
  if (want !== got) throw new Error(`${file.path}: the engine returned columns (${got}), the header declares (${want})`);
}

export async function runSavedQuery(engine: QueryEngine, lib: SqlLibrary, name: string, given: Readonly<Record<string, string>>): Promise<QueryOutcome> {
  const found = resolveQuery(lib, name);
  if (!found.ok) return found;
  const bound = bindParams(found.file.params, given);
  if (!bound.ok) return { ok: false, error: `${name}: ${bound.error}` };
  const raw = await engine.run(lib, found.file, bound.params);
  const columns = outputColumns(lib, found.file);
  checkColumns(found.file, columns, raw.columns);
  return { ok: true, answer: { file: found.file, params: bound.params, columns, rows: raw.rows.map((r) => normalizeRow(columns, r)) } };
}
