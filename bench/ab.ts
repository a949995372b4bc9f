/**
 * `npm run bench:ab -- BASE_DIR`: this checkout's engine against another built checkout's
 * (BASE_DIR holds a `dist/`, e.g. `git worktree add /tmp/base HEAD~1 && cd /tmp/base && npm ci`),
 * over bench:classify's mix. This machine's speed swings by half within seconds, so timing
 * two builds one after the other cannot see a change of a few percent. Here both engines run
 * every block of lines in turn (alternating which goes first), so each block's two timings
 * share the machine's state; the sums and the median block ratio then agree within about 1%
 * for identical code. Prints figures; asserts nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateNdjson } from './generate.js';
import { timeInTurn } from './in-turn.js';

interface Engine {
  classifyRecord(line: string): unknown;
}
interface Build {
  name: string;
  fresh: () => Engine;
}

const USAGE = 'usage: npm run bench:ab -- BASE_DIR [entries=200000] [block=500] [rounds=3]';
const HERE = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function load(root: string, name: string): Promise<Build> {
  const dist = resolve(root, 'dist/functions');
  if (!existsSync(`${dist}/core/engine.js`)) throw new Error(`${root} holds no built engine (dist/functions/core/engine.js): run npm ci or npm run build there`);
  const engine = (await import(pathToFileURL(`${dist}/core/engine.js`).href)) as { createEngine: (rules: unknown, version: string) => Engine };
  const rules = (await import(pathToFileURL(`${dist}/rules/load.js`).href)) as { loadRules: () => { rules: unknown; classifierVersion: string } };
  return {
    name,
    fresh: () => {
      const loaded = rules.loadRules();
      return engine.createEngine(loaded.rules, loaded.classifierVersion);
    },
  };
}

function round(base: Build, head: Build, lines: readonly string[], block: number): { base: number; head: number; medianRatio: number } {
  const [a, b] = [base.fresh(), head.fresh()];
  const classify = (engine: Engine) => (from: number, to: number) => {
    for (let i = from; i < to; i++) engine.classifyRecord(lines[i] as string);
  };
  const t = timeInTurn(lines.length, block, classify(a), classify(b));
  return { base: t.first, head: t.second, medianRatio: t.medianRatio };
}

async function main(): Promise<void> {
  const [baseDir, entries = '200000', block = '500', rounds = '3'] = process.argv.slice(2);
  if (baseDir === undefined || baseDir === '--help' || baseDir === '-h') {
    console.log(USAGE);
    process.exitCode = baseDir === undefined ? 2 : 0;
    return;
  }
  const base = await load(resolve(baseDir), `base (${baseDir})`);
  const head = await load(HERE, 'this checkout');
  const lines = [...generateNdjson(Number(entries))];
  for (const build of [base, head]) {
    const warm = build.fresh();
    for (let i = 0; i < Math.min(20_000, lines.length); i++) warm.classifyRecord(lines[i] as string);
  }
  console.log(`bench:ab: ${lines.length} entries in blocks of ${block}; speedup > 1 means this checkout is faster than ${baseDir}`);
  for (let r = 0; r < Number(rounds); r++) {
    const t = round(base, head, lines, Number(block));
    console.log(`round ${r + 1}: base ${t.base.toFixed(3)} s, this checkout ${t.head.toFixed(3)} s, speedup ${(t.base / t.head).toFixed(3)}, median block ratio ${t.medianRatio.toFixed(3)}`);
  }
}

main().catch((err: unknown) => {
  console.error(`bench:ab: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exitCode = 2;
});
