import { parseArgs } from 'node:util';
import { listSignatures, type ParamSummary, type SignatureSummary } from '../adapters/duckdb/reports.js';
import { type CliIO, parseOrExplain } from './io.js';
import { DB_HELP, defaultDbPath, LocalError, openLocalDatabase } from './local.js';
import { formatCount, formatTimestamp, renderTable, type ColumnDef } from './table.js';

const HELP = `Usage: faultline signatures [options]

Lists the signatures stored in the local DuckDB database (filled by \`faultline replay\`,
\`faultline serve\` or \`npm start\`), most frequent first: id, category, service, key params,
count, first and last seen. Numeric params show their values in order of first appearance
(timeout_s 8.0 → 20.0 → 25.0: someone raised the timeout twice), or their range when they
take many values.

Options:
${DB_HELP}
  --service S   only this service
  --category C  only this category (e.g. db_init_timeout)
  --limit N     at most N signatures (default 50)
  --all         every signature; by default startup progress lines and unrelated entries
                (access logs, business events) are left out, unless they look like failures
  --format F    table (default) or json (an array of objects, for scripts)
  -h, --help    show this help

Exit status: 0 on success, 2 when the database cannot be opened or the options are wrong.`;

/** Seconds are floats as written (taxonomy): 8 is shown 8.0, like the log line that said it. */
export function formatParamValue(name: string, value: number | string): string {
  if (typeof value === 'number' && name.endsWith('_s') && Number.isInteger(value)) return value.toFixed(1);
  return String(value);
}

const SEQUENCE_MAX = 6;
const STRINGS_MAX = 3;

/**
 * `timeout_s 8.0 → 20.0 → 25.0` (each value replaced the previous one), `pid 7–912 (40 values)`,
 * `attempt 1, 2, 3` (values in order of first appearance), `module app.monitoring`.
 */
export function formatParam(p: ParamSummary): string {
  const show = (v: number | string) => formatParamValue(p.name, v);
  const numeric = p.min !== null && p.values.every((v) => typeof v.value === 'number');
  if (p.successive) return `${p.name} ${p.values.map((v) => show(v.value)).join(' → ')}`;
  if (numeric && p.distinct > SEQUENCE_MAX) return `${p.name} ${show(p.min as number)}–${show(p.max as number)} (${p.distinct} values)`;
  const keep = numeric ? SEQUENCE_MAX : STRINGS_MAX;
  const shown = p.values.slice(0, keep).map((v) => show(v.value));
  const more = p.distinct > keep ? ` +${p.distinct - keep}` : '';
  return `${p.name} ${shown.join(', ')}${more}`;
}

/** Params that changed over time first: they tell the story. */
export function formatParams(params: readonly ParamSummary[]): string {
  const ordered = [...params].sort((a, b) => Number(b.successive) - Number(a.successive) || a.name.localeCompare(b.name));
  return ordered.map(formatParam).join('; ');
}

/** The columns of the signature table; later sections (linked issues) add theirs here. */
export const SIGNATURE_COLUMNS: { def: ColumnDef; cell: (s: SignatureSummary) => string }[] = [
  { def: { header: 'signature' }, cell: (s) => s.signature_id },
  { def: { header: 'category' }, cell: (s) => s.category },
  { def: { header: 'service' }, cell: (s) => s.service ?? '' },
  { def: { header: 'key params', maxWidth: 60 }, cell: (s) => formatParams(s.params) },
  { def: { header: 'count', align: 'right' }, cell: (s) => formatCount(s.count) },
  { def: { header: 'first seen (UTC)' }, cell: (s) => formatTimestamp(s.first_seen) },
  { def: { header: 'last seen (UTC)' }, cell: (s) => formatTimestamp(s.last_seen) },
];

export function signaturesTable(sigs: readonly SignatureSummary[]): string {
  return renderTable(
    SIGNATURE_COLUMNS.map((c) => c.def),
    sigs.map((s) => SIGNATURE_COLUMNS.map((c) => c.cell(s))),
  );
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      service: { type: 'string' },
      category: { type: 'string' },
      limit: { type: 'string', default: '50' },
      all: { type: 'boolean', default: false },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export async function signaturesCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseOrExplain('signatures', HELP, io, () => parse(argv).values);
  if (v === undefined) return 2;
  if (v.help) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  const limit = Number(v.limit);
  if (!Number.isInteger(limit) || limit < 1) return fail(io, `--limit must be a positive integer, got "${v.limit}"`);
  if (v.format !== 'table' && v.format !== 'json') return fail(io, `unknown --format "${v.format}" (table, json)`);
  let db;
  try {
    db = await openLocalDatabase(v.db ?? defaultDbPath());
  } catch (err) {
    if (err instanceof LocalError) return fail(io, err.message);
    throw err;
  }
  try {
    const all = v.all ?? false;
    const sigs = await listSignatures(db, {
      service: v.service ?? null,
      category: v.category ?? null,
      limit,
      includeUnrelated: all,
      excludeCategories: all || v.category ? [] : ['startup_progress'],
    });
    if (v.format === 'json') io.stdout.write(JSON.stringify(sigs) + '\n');
    else io.stdout.write(sigs.length === 0 ? 'No signatures (yet): replay some entries first.\n' : signaturesTable(sigs) + '\n');
    return 0;
  } finally {
    await db.close();
  }
}

function fail(io: CliIO, message: string): number {
  io.stderr.write(`faultline signatures: ${message}\n`);
  return 2;
}
