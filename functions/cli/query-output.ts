import type { QueryAnswer } from '../app/saved-query.js';
import type { ParamDecl } from '../core/sql/header.js';
import type { SqlFile, SqlKind, SqlLibrary } from '../core/sql/library.js';
import { outputColumns } from '../core/sql/library.js';
import { formatType } from '../core/sql/types.js';
import type { ResultValue } from '../core/sql/values.js';
import { formatTimestamp, renderTable, type ColumnDef } from './table.js';

/** The human and JSON output of `faultline query`. */
const KIND_ORDER: SqlKind[] = ['analysis', 'check', 'view'];
const KIND_TITLE: Record<SqlKind, string> = {
  analysis: 'Saved questions (sql/analyses)',
  check: 'Data checks: zero rows is a pass (sql/checks)',
  view: 'Views (sql/views)',
};

const TIMESTAMP_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** One cell: timestamps to the second, floats to 4 decimals, arrays joined, structs as k=v. */
export function formatCell(v: ResultValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return TIMESTAMP_VALUE.test(v) ? formatTimestamp(v) : v;
  if (Array.isArray(v)) return v.map(formatCell).join(v.some((x) => x !== null && typeof x === 'object') ? '; ' : ', ');
  return Object.entries(v)
    .map(([k, x]) => `${k}=${formatCell(x)}`)
    .join(' ');
}

export function paramUsage(p: ParamDecl): string {
  const dflt = p.default === undefined ? '' : ` = ${p.default === null ? 'NULL' : String(p.default)}`;
  return `@${p.name} ${formatType(p.type)}${dflt}`;
}

export function listTable(lib: SqlLibrary): string {
  const sections = KIND_ORDER.map((kind) => {
    const files = lib.files.filter((f) => f.kind === kind);
    const rows = files.map((f) => [f.name, f.params.map((p) => `${p.name}${p.default === undefined ? '' : '?'}`).join(', '), f.summary]);
    return `${KIND_TITLE[kind]}\n\n${renderTable([{ header: 'name' }, { header: 'params (? = optional)' }, { header: 'answers', maxWidth: 100 }], rows)}`;
  });
  return `${sections.join('\n\n')}\n\nRun one: faultline query NAME [--param name=value]...   Details: faultline query NAME --help`;
}

export function listJson(lib: SqlLibrary): unknown[] {
  return lib.files.map((f) => ({
    name: f.name,
    kind: f.kind,
    summary: f.summary,
    params: f.params.map((p) => ({ name: p.name, type: formatType(p.type), required: p.default === undefined, default: p.default ?? null, description: p.description })),
    columns: outputColumns(lib, f).map((c) => ({ name: c.name, type: formatType(c.type), description: c.description })),
  }));
}

/** `faultline query NAME --help`: what the file answers, its params and columns. */
export function describeFile(lib: SqlLibrary, f: SqlFile): string {
  const params = f.params.length === 0 ? ['  (none)'] : f.params.map((p) => `  --param ${p.name}=…   ${paramUsage(p)}: ${p.description}`);
  const columns = outputColumns(lib, f).map((c) => `  ${c.name} ${formatType(c.type)}${c.description ? `: ${c.description}` : ''}`);
  const example = f.params
    .filter((p) => p.default === undefined)
    .map((p) => ` --param ${p.name}=${p.type.kind === 'scalar' && p.type.name === 'TIMESTAMP' ? '2026-03-02T00:00:00Z' : '…'}`)
    .join('');
  return [
    `${f.name} (${f.kind}, ${f.path})`,
    '',
    f.summary,
    ...(f.description ? ['', f.description] : []),
    '',
    'Params:',
    ...params,
    '',
    'Columns:',
    ...columns,
    '',
    `Run: faultline query ${f.name}${example} [--format json] [--bigquery]`,
  ].join('\n');
}

const WIDE = new Set(['template', 'root_cause_template', 'signature_chain', 'category_chain']);

export function answerTable(answer: QueryAnswer): string {
  if (answer.rows.length === 0) return answer.file.kind === 'check' ? `${answer.file.name}: no failing rows (pass)` : `${answer.file.name}: no rows`;
  const defs: ColumnDef[] = answer.columns.map((c) => {
    const numeric = c.type.kind === 'scalar' && ['INT64', 'FLOAT64', 'NUMERIC'].includes(c.type.name);
    return { header: c.name, align: numeric ? 'right' : 'left', maxWidth: WIDE.has(c.name) ? 60 : 80 };
  });
  const rows = answer.rows.map((r) => answer.columns.map((c) => formatCell(r[c.name] ?? null)));
  const count = `${answer.rows.length} row${answer.rows.length === 1 ? '' : 's'}`;
  return `${renderTable(defs, rows)}\n\n${count}${answer.file.kind === 'check' ? ' failing the check' : ''}`;
}
