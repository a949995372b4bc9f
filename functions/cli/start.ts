import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Database } from '../adapters/duckdb/database.js';
import type { ReplaySummary } from '../app/replay.js';
import { type CliIO, parseOrExplain } from './io.js';
import { DEFAULT_DB_PATH, LocalError, openLocalDatabase } from './local.js';
import { progressBar } from './progress.js';
import { INPUT_FORMATS, replayFiles, summaryJson } from './replay.js';
import { START_SECTIONS, type ReportSection } from './start-sections.js';
import { formatCount, formatDuration } from './table.js';

const HELP = `Usage: faultline start [options]

What \`npm start\` runs: replays the bundled sample incident (samples/incident/: three days
of Cloud Run logs of the service orders-api and two healthy neighbours) into a fresh
DuckDB file and explains it: the signatures with counts, first/last seen and how their
params changed (timeout_s 8.0 → 20.0 → 25.0), and the startup success rate per hour.

Options:
  --db PATH     the DuckDB file to (re)create (default ./faultline.duckdb); a file that holds
                anything but the sample is never replaced
  --format F    table (default) or json (one object with a key per section, for scripts)
  -h, --help    show this help

Then explore: \`npx faultline signatures\`, or replay your own export with
\`npx faultline replay my-export.json\` (into another --db, or after removing the file).`;

/** The project id every sample entry carries: how `start` recognises a file it may replace. */
export const SAMPLE_PROJECT = 'acme-shop-prod';

export function sampleFile(name = 'entries.ndjson'): string {
  for (const rel of [`../../samples/incident/${name}`, `../../../samples/incident/${name}`]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new LocalError('the bundled sample (samples/incident/entries.ndjson) is missing from this installation');
}

/** Only a file that holds nothing but sample rows is replaced: a user's own replays are kept. */
async function prepareFreshDb(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const db = await openLocalDatabase(path);
  let foreign: number;
  try {
    const rows = await db.all(`SELECT CAST(count(*) AS INTEGER) AS n FROM failure_events WHERE project IS DISTINCT FROM '${SAMPLE_PROJECT}'`);
    foreign = Number(rows[0]?.n ?? 0);
  } catch {
    foreign = 1; // not a Faultline database: leave it alone
  } finally {
    await db.close();
  }
  if (foreign > 0) throw new LocalError(`${path} holds other data than the sample; pass --db PATH to run the demo in another file`);
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

type Built = { section: ReportSection; result: { text: string; json: unknown } }[];

async function buildSections(db: Database, sections: readonly ReportSection[]): Promise<Built> {
  const built: Built = [];
  for (const section of sections) built.push({ section, result: await section.build(db) });
  return built;
}

function render(format: 'table' | 'json', built: Built, summary: ReplaySummary, path: string, sample: string): string {
  if (format === 'json') {
    const out: Record<string, unknown> = { replay: summaryJson(summary, path, [sample]) };
    for (const b of built) out[b.section.key] = b.result.json;
    return JSON.stringify(out);
  }
  const head = `Faultline: replayed the sample incident (${formatCount(summary.records)} Cloud Logging entries, ${formatCount(summary.rejected)} rejected) into ${path} in ${formatDuration(summary.elapsedMs)}.`;
  const body = built.map((b) => `${b.section.title}\n\n${b.result.text}`);
  return [head, ...body, NEXT_STEPS(path)].join('\n\n');
}

/** Replays the sample into a fresh file, then builds the report from what was stored. */
async function runStart(path: string, format: 'table' | 'json', io: CliIO): Promise<string> {
  const sample = sampleFile();
  await prepareFreshDb(path);
  const alerts = { issuesFile: sampleFile('issues.json') };
  const summary = await replayFiles({ db: path, files: [sample], inputFormat: INPUT_FORMATS.entries, progress: progressBar(io.stderr), alerts }, io);
  const db = await openLocalDatabase(path);
  try {
    return render(format, await buildSections(db, START_SECTIONS), summary, path, sample);
  } finally {
    await db.close();
  }
}

export async function startCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseOrExplain('start', HELP, io, () => parseArgs({ args: argv, options: { db: { type: 'string' }, format: { type: 'string', default: 'table' }, help: { type: 'boolean', short: 'h' } } }).values);
  if (v === undefined) return 2;
  if (v.help) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  if (v.format !== 'table' && v.format !== 'json') return fail(io, `unknown --format "${v.format}" (table, json)`);
  try {
    io.stdout.write((await runStart(v.db ?? DEFAULT_DB_PATH, v.format, io)) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof LocalError) return fail(io, err.message);
    throw err;
  }
}

const NEXT_STEPS = (path: string) => {
  const db = path === DEFAULT_DB_PATH ? '' : ` --db ${path}`;
  return [
    'Next:',
    `  npx faultline signatures${db}                 the full signature table (--service, --category, --format json)`,
    `  npx faultline signatures${db} --all           including access logs and business events`,
    '  npx faultline replay my-export.json --db mine.duckdb   your own `gcloud logging read --format=json` export',
  ].join('\n');
};

function fail(io: CliIO, message: string): number {
  io.stderr.write(`faultline start: ${message}\n`);
  return 2;
}
