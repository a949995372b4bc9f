/**
 * `npm run bench:replay`: end-to-end local mode. Generates realistic entries into a temp
 * NDJSON file, then replays it into a fresh DuckDB file through the CLI (`faultline replay`,
 * in a child process of its own so its peak RSS is its alone), and prints entries/s, peak RSS
 * and file size for 250k and 1M entries: flat memory means streaming. Asserts nothing.
 *
 * BENCH_SIZES=100000,200000 picks other sizes; BENCH_KEEP=1 keeps the temp folder;
 * BENCH_REPLAY_ARGS="--no-alerts" adds arguments to the replay command. The CPU time (all
 * threads: JS and DuckDB's) is printed too: on a shared, loaded machine it is the steadier
 * figure, wall-clock rates move with the load.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { generateNdjson } from './generate.js';

const SIZES = (process.env.BENCH_SIZES ?? '250000,1000000').split(',').map(Number);

async function writeInput(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  for (const line of generateNdjson(count)) {
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

interface ChildReport {
  summary: { entries_read: number; classified: number; rejected: number; entries_per_s: number; elapsed_s: number };
  maxRssMiB: number;
  /** user + system CPU seconds of the whole child process */
  cpuS: number;
}

/**
 * The child: `faultline replay FILE --db DB --format json`, then its own peak RSS. It starts
 * the CLI as bin/faultline.js does (V8 flags first, then the CLI's modules), so the figures
 * are those of the command people run.
 */
async function child(file: string, db: string): Promise<void> {
  setFlagsFromString('--liftoff-only');
  const { main } = await import('../functions/cli/main.js');
  let out = '';
  const stdout = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
  const extra = (process.env.BENCH_REPLAY_ARGS ?? '').split(' ').filter((a) => a !== '');
  const code = await main(['replay', file, '--db', db, '--format', 'json', ...extra], { stdin: process.stdin, stdout, stderr: process.stderr });
  if (code !== 0) process.exit(code);
  const usage = process.resourceUsage();
  const report: ChildReport = { summary: JSON.parse(out) as ChildReport['summary'], maxRssMiB: usage.maxRSS / 1024, cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6 };
  process.stdout.write(JSON.stringify(report) + '\n');
}

async function runChild(file: string, db: string): Promise<{ report: ChildReport; wallS: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', file, db], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
  const [code] = (await once(proc, 'close')) as [number | null];
  if (code !== 0) throw new Error(`replay child exited with ${code}`);
  return { report: JSON.parse(text) as ChildReport, wallS: (performance.now() - t0) / 1000 };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-replay-'));
  try {
    for (const count of SIZES) {
      const file = join(dir, `entries-${count}.ndjson`);
      const db = join(dir, `replay-${count}.duckdb`);
      const inputBytes = await writeInput(file, count);
      const { report, wallS } = await runChild(file, db);
      const s = report.summary;
      const dbBytes = statSync(db).size;
      console.log(`bench:replay ${count.toLocaleString('en')} entries (${mb(inputBytes)} NDJSON)`);
      console.log(`  end to end:  ${Math.round(count / wallS).toLocaleString('en')} entries/s (${wallS.toFixed(1)} s, process start to exit)`);
      console.log(`  replay:      ${s.entries_per_s.toLocaleString('en')} entries/s (${s.elapsed_s} s); classified ${s.classified.toLocaleString('en')}, rejected ${s.rejected}`);
      console.log(`  CPU time:    ${report.cpuS.toFixed(1)} s (${((report.cpuS * 1e6) / count).toFixed(0)} µs an entry, all threads; ${Math.round(count / report.cpuS).toLocaleString('en')} entries per CPU-second)`);
      console.log(`  peak RSS:    ${report.maxRssMiB.toFixed(0)} MiB`);
      console.log(`  DuckDB file: ${mb(dbBytes)}`);
      rmSync(file);
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as string, process.argv[4] as string);
else await bench();
