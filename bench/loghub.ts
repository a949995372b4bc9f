/**
 * `npm run bench:loghub`: grouping accuracy of `faultline fingerprint` on the Loghub-2k datasets,
 * scored by shared/tools/loghub_score.py, next to Drain's published numbers; then throughput.
 *
 *   node dist/bench/loghub.js [LOGHUB_DIR] [--reps N]
 *
 * LOGHUB_DIR (or $FAULTLINE_LOGHUB_DIR) defaults to ../shared/data/loghub from the repo root; every
 * sub-directory holding a *_2k.log_structured_corrected.csv is a dataset, so held-out datasets
 * run with the same command. One configuration for all: nothing here knows a dataset's name
 * (the Drain column is only printed). Each dataset's ids are checked against the real CLI's.
 * lines/s are per CPU second of this process; --reps 0 skips the big throughput run.
 *
 * Optional: DRAIN3_REF=DIR also times the Python reference Drain3 (logpai/Drain3, default
 * TemplateMiner(), no masking) on each dataset and prints its lines/s and our ratio. DIR holds
 * the `drain3` package (not part of this repo) and goes on PYTHONPATH for
 *   python3 bench/drain3/bench_drain3.py LOGHUB_DIR --only NAME --json --no-score
 * which prints {"datasets": [{"lps_cpu": <lines per CPU second, best of its runs>}]}.
 *
 * Optional: DRAIN_REF=DIR times logparser's Drain (logpai/logparser logparser/Drain/Drain.py, the
 * implementation behind Drain's published GA; DIR holds Drain.py, which needs pandas and regex)
 * on the throughput run's lines: its per-line loop alone, and LogParser.parse end to end (see
 * bench/drain/bench_logparser_drain.py). FAULTLINE_PYTHON picks the interpreter of the scorer and
 * both references (python3).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskMessage, mineTemplates } from '../functions/core/fingerprint/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCORER = resolve(REPO, '../shared/tools/loghub_score.py');
const SUFFIX = '_2k.log_structured_corrected.csv';
/** One interpreter for the scorer and both references: the one that has their packages. */
const PYTHON = process.env.FAULTLINE_PYTHON ?? 'python3';

/** Drain's published 2k grouping accuracy (Zhu et al., ICSE-SEIP 2019). */
const DRAIN_GA: Record<string, number> = {
  HDFS: 0.998, Hadoop: 0.948, Spark: 0.922, Zookeeper: 0.967, BGL: 0.963,
  HPC: 0.887, Linux: 0.69, Apache: 1.0, OpenSSH: 0.789, OpenStack: 0.733,
};

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function contentColumn(csvPath: string): string[] {
  const [header, ...rows] = parseCsv(readFileSync(csvPath, 'utf8'));
  const col = header?.indexOf('Content') ?? -1;
  if (col < 0) throw new Error(`${csvPath}: no Content column`);
  return rows.map((r) => r[col] ?? '');
}

function minedIds(lines: readonly string[]): string[] {
  const { clusters, assignment } = mineTemplates(lines);
  return Array.from(assignment, (c) => clusters[c]!.id);
}

/** The ids the real CLI prints for the same lines, through a file as a user would run it. */
function cliIds(lines: readonly string[], dir: string): string[] {
  const input = join(dir, 'input.txt');
  writeFileSync(input, lines.join('\n') + '\n');
  const out = execFileSync(process.execPath, [join(REPO, 'bin/faultline.js'), 'fingerprint', input], { maxBuffer: 1 << 28 });
  return out.toString().split('\n').slice(0, -1);
}

function score(truth: string, predPath: string): { GA: number; FGA: number } {
  const out = execFileSync(PYTHON, [SCORER, truth, predPath, '--json']).toString();
  return JSON.parse(out) as { GA: number; FGA: number };
}

/**
 * Lines per second of this process's CPU time (user + system), best of `repeat` runs: on a shared
 * machine, wall time mostly measures the neighbours.
 */
function linesPerSecond(run: () => void, lines: number, repeat = 3): number {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return lines / best;
}

interface Row {
  name: string;
  ga: number;
  fga: number;
  drain: number | undefined;
  lps: number;
  /** Drain3's lines/s on the same lines, when DRAIN3_REF is set */
  ref: number | undefined;
}

/** The Python reference's lines per CPU second on one dataset (see DRAIN3_REF above). */
function drain3LinesPerSecond(root: string, name: string): number | undefined {
  const ref = process.env.DRAIN3_REF;
  if (!ref) return undefined;
  const script = fileURLToPath(new URL('../../bench/drain3/bench_drain3.py', import.meta.url));
  const out = JSON.parse(runReference(script, [root, '--only', name, '--json', '--no-score'], ref, 'DRAIN3_REF')) as { datasets: { lps_cpu: number }[] };
  return out.datasets[0]?.lps_cpu;
}

function runDataset(root: string, name: string, dir: string): Row {
  const truth = join(root, name, `${name}${SUFFIX}`);
  const lines = contentColumn(truth);
  const ids = minedIds(lines);
  const viaCli = cliIds(lines, dir);
  const mismatch = viaCli.length !== ids.length ? -1 : ids.findIndex((id, i) => id !== viaCli[i]);
  if (mismatch !== -1) throw new Error(`${name}: the CLI disagrees with the library (line ${mismatch + 1})`);
  const pred = join(dir, `${name}.pred.txt`);
  writeFileSync(pred, ids.join('\n') + '\n');
  const { GA, FGA } = score(truth, pred);
  const lps = linesPerSecond(() => minedIds(lines), lines.length, 5);
  return { name, ga: GA, fga: FGA, drain: DRAIN_GA[name], lps, ref: drain3LinesPerSecond(root, name) };
}

function printTable(rows: readonly Row[]): void {
  const fmt = (x: number | undefined): string => (x === undefined ? '    -' : x.toFixed(3));
  const withRef = rows.some((r) => r.ref !== undefined);
  const refCols = (lps: number, ref: number | undefined): string =>
    withRef ? `   ${(ref === undefined ? '-' : Math.round(ref).toString()).padStart(7)}  ${ref === undefined ? '    -' : (lps / ref).toFixed(2)}x` : '';
  console.log(`dataset      GA     FGA    Drain GA  vs Drain   lines/s${withRef ? '  Drain3 l/s  ratio' : ''}`);
  for (const r of rows) {
    const vs = r.drain === undefined ? '       ' : (r.ga - r.drain >= 0 ? '+' : '') + (r.ga - r.drain).toFixed(3);
    console.log(`${r.name.padEnd(11)}  ${fmt(r.ga)}  ${fmt(r.fga)}  ${fmt(r.drain)}     ${vs.padStart(6)}   ${Math.round(r.lps).toString().padStart(7)}${refCols(r.lps, r.ref)}`);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  // Every dataset has the same number of lines, so overall lines/s is the harmonic mean.
  const overall = (xs: number[]): number => xs.length / xs.reduce((a, x) => a + 1 / x, 0);
  const refs = rows.flatMap((r) => (r.ref === undefined ? [] : [r.ref]));
  const ours = overall(rows.map((r) => r.lps));
  const overallCols = withRef && refs.length === rows.length ? `${' '.repeat(21)}${Math.round(ours).toString().padStart(7)}${refCols(ours, overall(refs))}` : '';
  console.log(`${'mean'.padEnd(11)}  ${fmt(mean(rows.map((r) => r.ga)))}  ${fmt(mean(rows.map((r) => r.fga)))}${overallCols}`);
  const below = rows.filter((r) => r.drain !== undefined && r.ga < r.drain).map((r) => r.name);
  console.log(below.length === 0 ? 'at or above Drain on every dataset with a published GA' : `below Drain on: ${below.join(', ')}`);
}

function throughput(root: string, names: readonly string[], reps: number): void {
  const base = names.flatMap((n) => contentColumn(join(root, n, `${n}${SUFFIX}`)));
  const big: string[] = [];
  for (let i = 0; i < reps; i++) for (const l of base) big.push(l);
  mineTemplates(base); // warm-up, so the first timed run is not also compiling
  const mask = linesPerSecond(() => big.forEach((l) => maskMessage(l)), big.length, 2);
  const mine = linesPerSecond(() => mineTemplates(big), big.length, 2);
  console.log(`\nthroughput on ${big.length} lines (all datasets x ${reps}), one core, per CPU second:`);
  console.log(`  stateless masking (maskMessage): ${Math.round(mask)} lines/s`);
  console.log(`  mining (mask + group, as the CLI): ${Math.round(mine)} lines/s`);
  const ref = referenceOnLines(big, 'DRAIN3_REF', 'drain3/bench_drain3.py', []) as { lps_cpu: number } | undefined;
  if (ref !== undefined) console.log(`  reference Python Drain3 on the same lines: ${Math.round(ref.lps_cpu)} lines/s; mining runs at ${(mine / ref.lps_cpu).toFixed(2)}x`);
  const drain = referenceOnLines(big, 'DRAIN_REF', 'drain/bench_logparser_drain.py', []) as { loop_lps_cpu: number; parse_lps_cpu: number } | undefined;
  if (drain !== undefined) {
    console.log(`  logparser's Drain (the published GA's), its per-line loop alone: ${Math.round(drain.loop_lps_cpu)} lines/s; mining runs at ${(mine / drain.loop_lps_cpu).toFixed(2)}x`);
    console.log(`  logparser's Drain as the Loghub benchmark runs it (LogParser.parse, file to CSV): ${Math.round(drain.parse_lps_cpu)} lines/s; compare \`faultline fingerprint\` end to end`);
  }
}

/**
 * A Python reference's figures on one big list of lines, or undefined when its env var (a
 * folder put on PYTHONPATH) is not set. The script gets `--lines FILE` and prints one JSON object.
 */
function referenceOnLines(lines: readonly string[], envVar: string, script: string, args: readonly string[]): unknown {
  const ref = process.env[envVar];
  if (!ref) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-reference-lines-'));
  try {
    const file = join(dir, 'lines.txt');
    // a line of the Content column never holds a newline; were one to, both sides would differ
    if (lines.some((l) => l.includes('\n'))) throw new Error('a Content line holds a newline');
    writeFileSync(file, lines.join('\n') + '\n');
    const path = fileURLToPath(new URL(`../../bench/${script}`, import.meta.url));
    return JSON.parse(runReference(path, ['--lines', file, ...args], ref, envVar)) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The script's stdout; a failure names the variable and shows Python's own message, not a Buffer dump. */
function runReference(script: string, args: readonly string[], ref: string, envVar: string): string {
  try {
    return execFileSync(PYTHON, [script, ...args], { env: { ...process.env, PYTHONPATH: ref }, maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`${basename(script)} failed with ${envVar}=${ref} (${PYTHON}); is the reference in that folder?\n${stderr || String(err)}`);
  }
}

function main(argv: string[]): void {
  const repsAt = argv.indexOf('--reps');
  const reps = repsAt >= 0 ? Number(argv[repsAt + 1]) : 50;
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--reps');
  const root = resolve(positional[0] ?? process.env.FAULTLINE_LOGHUB_DIR ?? join(REPO, '../shared/data/loghub'));
  if (!existsSync(root)) throw new Error(`no Loghub directory at ${root} (pass one, or set FAULTLINE_LOGHUB_DIR)`);
  const names = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, `${d.name}${SUFFIX}`)))
    .map((d) => d.name)
    .sort();
  const dir = mkdtempSync(join(tmpdir(), 'faultline-loghub-'));
  try {
    printTable(names.map((n) => runDataset(root, n, dir)));
    if (reps > 0) throughput(root, names, reps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
