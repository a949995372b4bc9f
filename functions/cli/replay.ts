import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { replay, DEFAULT_REPLAY_OPTIONS, type ReplayInput, type ReplaySummary } from '../app/replay.js';
import type { RecordFormat, SplitMode } from '../core/decode/index.js';
import { type CliIO, parseOrExplain } from './io.js';
import { checkReadable, inputNames, readText } from './input.js';
import { DB_HELP, defaultDbPath, LocalError, openLocalIngest } from './local.js';
import { finishLocalAlerts, type LocalAlertOptions } from './local-alerts.js';
import { progressBar, type Progress } from './progress.js';
import { openClassifier, parseWorkers, WORKERS_HELP, type WorkersOption } from './workers.js';
import type { BatchClassifier } from '../ports/batch-classifier.js';
import { formatCount, formatDuration, formatRate, renderTable } from './table.js';

const HELP = `Usage: faultline replay [options] [FILE...]

Classifies Cloud Logging entries and stores them in the local DuckDB database, exactly as
the Cloud Function does in BigQuery (tables failure_events and rejected_entries). Reads
stdin when no FILE (or "-") is given. Bad records are counted and stored in
rejected_entries with a reason code; they never stop the replay. Replaying the same input
again (after an interruption, say) adds only what is missing: rows are keyed by event_id.

Input formats (auto-detected per file, per record):
  NDJSON of LogEntries, the JSON array printed by \`gcloud logging read --format=json\`,
  NDJSON of Pub/Sub messages (base64 data), and Pub/Sub push bodies.

Options:
${DB_HELP}
  --input-format F   force the input format: auto (default), entries, gcloud-json, pubsub, push
  --format F         output: table (default, for people) or json (one object, for scripts)
  --issues FILE      import a faultline-issues/v1 registry file first (links, regressions)
  --alerts-file PATH append the alerts raised as JSON lines (they are always kept in alert_keys)
  --no-alerts        classify only: no alert evaluation
${WORKERS_HELP}
  -h, --help         show this help

On a terminal, a progress bar with the rate is drawn on stderr for long inputs.

Exit status: 0 when the input was processed (rejected records included), 1 when the
database failed while writing, 2 when an input or the database could not be opened or the
options are wrong.`;

export interface InputFormat {
  split: SplitMode;
  record: RecordFormat;
}

/** The same names as `classify --format`. */
export const INPUT_FORMATS = {
  auto: { split: 'auto', record: 'auto' },
  entries: { split: 'ndjson', record: 'entry' },
  'gcloud-json': { split: 'json-array', record: 'entry' },
  pubsub: { split: 'ndjson', record: 'pubsub' },
  push: { split: 'ndjson', record: 'push' },
} as const satisfies Record<string, InputFormat>;

function inputFormat(name: string): InputFormat | undefined {
  return Object.hasOwn(INPUT_FORMATS, name) ? INPUT_FORMATS[name as keyof typeof INPUT_FORMATS] : undefined;
}

export type OutputFormat = 'table' | 'json';

export interface ReplayRun {
  db: string;
  files: string[];
  inputFormat: InputFormat;
  progress: Progress;
  /** alerting (new signatures, regressions, escalation as it goes; spike and SLO at the end) */
  alerts?: LocalAlertOptions;
  /** worker threads classifying (default auto) */
  workers?: WorkersOption;
}

export interface ReplayOutcome extends ReplaySummary {
  /** alerts raised by this replay (sent or rolled into a digest) */
  alertsRaised: number;
}

/** Counts the bytes read, for the progress bar's fraction. */
async function* counted(chunks: AsyncIterable<string>, onBytes: (n: number) => void): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    onBytes(Buffer.byteLength(chunk, 'utf8'));
    yield chunk;
  }
}

async function totalBytes(files: string[]): Promise<number | null> {
  if (files.includes('-')) return null;
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Replays files into a DuckDB file; shared by `replay` and `start`. */
export async function replayFiles(run: ReplayRun, io: CliIO): Promise<ReplayOutcome> {
  const total = await totalBytes(run.files);
  let bytes = 0;
  const inputs: ReplayInput[] = run.files.map((f) => ({
    name: f === '-' ? 'stdin' : f,
    chunks: counted(readText(f, io.stdin), (n) => (bytes += n)),
  }));
  const local = await openLocalIngest(run.db, DEFAULT_REPLAY_OPTIONS.groupSize, run.alerts);
  let classifier: BatchClassifier | null = null;
  try {
    classifier = await openClassifier(run.workers ?? 'auto', total, local.classifierVersion);
    const summary = await replay(inputs, local.ingest, {
      ...DEFAULT_REPLAY_OPTIONS,
      ...run.inputFormat,
      classifier,
      onProgress: (p) => run.progress.update({ records: p.records, bytes, totalBytes: total }),
    });
    // the workers' heaps are freed before the end's evaluation fills DuckDB's memory
    await classifier?.close();
    classifier = null;
    if (local.alerts) await finishLocalAlerts(local.database, local.alerts);
    return { ...summary, alertsRaised: local.alerts?.raised.length ?? 0 };
  } finally {
    run.progress.done();
    await classifier?.close();
    await local.close();
  }
}

export function summaryJson(summary: ReplaySummary & { alertsRaised?: number }, db: string, files: string[]): Record<string, unknown> {
  const classified = summary.stored + summary.skipped;
  return {
    database: db,
    inputs: files.map((f) => (f === '-' ? 'stdin' : f)),
    entries_read: summary.records,
    classified,
    stored: summary.stored,
    rejected: summary.rejected,
    by_category: summary.byCategory,
    rejected_by_reason: summary.byReason,
    elapsed_s: Number((summary.elapsedMs / 1000).toFixed(3)),
    entries_per_s: Math.round(summary.records / Math.max(summary.elapsedMs / 1000, 1e-3)),
    alerts_raised: summary.alertsRaised ?? 0,
  };
}

export function summaryTable(summary: ReplaySummary & { alertsRaised?: number }, db: string): string {
  const s = summaryJson(summary, db, []);
  const head = [
    `Replayed ${formatCount(summary.records)} entries into ${db} in ${formatDuration(summary.elapsedMs)} (${formatRate(s.entries_per_s as number)})`,
    `  classified  ${formatCount(s.classified as number)}`,
    `  rejected    ${formatCount(summary.rejected)}${summary.rejected > 0 ? '  (stored in rejected_entries)' : ''}`,
    `  alerts      ${formatCount(summary.alertsRaised ?? 0)}  (\`faultline alerts\` lists them)`,
  ];
  const sorted = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const rows = [...sorted(summary.byCategory).map(([k, v]) => [k, formatCount(v)]), ...sorted(summary.byReason).map(([k, v]) => [`rejected: ${k}`, formatCount(v)])];
  const table = renderTable([{ header: 'category' }, { header: 'entries', align: 'right' }], rows);
  return `${head.join('\n')}\n\n${table}`;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      'input-format': { type: 'string', default: 'auto' },
      format: { type: 'string', default: 'table' },
      issues: { type: 'string' },
      'alerts-file': { type: 'string' },
      'no-alerts': { type: 'boolean' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export async function replayCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseOrExplain('replay', HELP, io, () => parse(argv));
  if (parsed === undefined) return 2;
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  const format = inputFormat(v['input-format'] ?? 'auto');
  if (!format) return usageError(io, `unknown --input-format "${v['input-format']}" (auto, entries, gcloud-json, pubsub, push)`);
  if (v.format !== 'table' && v.format !== 'json') return usageError(io, `unknown --format "${v.format}" (table, json)`);
  const workers = parseWorkers(v.workers);
  if (workers === undefined) return usageError(io, `--workers takes a number from 0 to 64, or auto (got "${v.workers}")`);
  const files = inputNames(parsed.positionals);
  const unreadable = await checkReadable(files);
  if (unreadable) return usageError(io, unreadable);
  const db = v.db ?? defaultDbPath();
  try {
    const alerts = v['no-alerts'] ? undefined : { ...(v.issues ? { issuesFile: v.issues } : {}), ...(v['alerts-file'] ? { alertsFile: v['alerts-file'] } : {}) };
    const summary = await replayFiles({ db, files, inputFormat: format, progress: progressBar(io.stderr), workers, ...(alerts ? { alerts } : {}) }, io);
    io.stdout.write((v.format === 'json' ? JSON.stringify(summaryJson(summary, db, files)) : summaryTable(summary, db)) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof LocalError) return usageError(io, err.message);
    io.stderr.write(`faultline replay: ${(err as Error).message}\n`);
    return 1;
  }
}

function usageError(io: CliIO, message: string): number {
  io.stderr.write(`faultline replay: ${message}\n`);
  return 2;
}
