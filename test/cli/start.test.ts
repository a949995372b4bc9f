import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { readTable } from '../helpers/duckdb.js';
import { runEntry } from '../helpers/entries.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-start-'));
const db = join(dir, 'demo.duckdb');
const SAMPLE = fileURLToPath(new URL('../../samples/incident/entries.ndjson', import.meta.url));
const sampleLines = () => readFileSync(SAMPLE, 'utf8').trimEnd().split('\n').length;

let first: CliResult;

beforeAll(async () => {
  first = await runCli(['start', '--db', db]);
}, 120_000);

describe('faultline start (what `npm start` runs)', () => {
  it('replays the whole bundled sample into the database', async () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`replayed the sample incident (${sampleLines().toLocaleString('en-US')} Cloud Logging entries, 0 rejected)`);
    expect(await readTable(db, 'failure_events')).toHaveLength(sampleLines());
  });

  it("names the incident's failure signatures with counts and first/last seen", () => {
    const section = first.stdout.split('Failure signatures')[1]?.split('How params changed')[0] ?? '';
    for (const category of ['import_error', 'db_init_timeout', 'db_connect_timeout', 'exit_code', 'startup_probe_failed', 'db_pool_exhausted']) {
      expect(section).toMatch(new RegExp(`^[0-9a-f]{16}\\s+${category}\\s+orders-api\\s.*\\s\\d+\\s+2026-03-0\\d \\d\\d:\\d\\d:\\d\\d\\s+2026-03-0\\d \\d\\d:\\d\\d:\\d\\d$`, 'm'));
    }
    expect(section).toMatch(/import_error\s+orders-api\s+exception ModuleNotFoundError; module app\.monitoring/);
    expect(section).toMatch(/exit_code\s+orders-api\s+exit_code 3/);
    // healthy neighbours have no failure signature
    expect(section).not.toContain('payments-api');
  });

  it('shows the escalation of timeout_s 8.0 → 20.0 → 25.0, in the order it happened', () => {
    expect(first.stdout).toMatch(/db_init_timeout\s+orders-api\s+timeout_s 8\.0 → 20\.0 → 25\.0/);
    expect(first.stdout).toMatch(/timeout_s: 8\.0 \(from 2026-03-02 \d\d:\d\d, \d+×\) → 20\.0 \(from 2026-03-0\d \d\d:\d\d, \d+×\) → 25\.0 \(from 2026-03-0\d \d\d:\d\d, \d+×\)/);
  });

  it('shows the startup success rate per hour per service', () => {
    const section = first.stdout.split('Startup success rate per hour')[1] ?? '';
    expect(section).toMatch(/^hour \(UTC\)\s+orders-api\s+catalog-web\s+payments-api/m);
    const hours = section.split('\n').filter((l) => /^2026-03-0\d \d\d:00/.test(l));
    expect(hours.length).toBeGreaterThan(24);
    // the orders-api column comes first: `5/6  83%`
    const rate = (l: string) => {
      const m = /^\S+ \S+\s+(\d+)\/(\d+)/.exec(l);
      return m ? Number(m[1]) / Number(m[2]) : NaN;
    };
    // the bad deploy's hours, when most starts of orders-api failed, and healthy hours
    expect(hours.map(rate).some((r) => r < 0.5)).toBe(true);
    expect(hours.map(rate).some((r) => r === 1)).toBe(true);
    expect(section).toMatch(/orders-api\s+\d+% of \d+ starts succeeded/);
    expect(section).toMatch(/payments-api\s+100% of \d+ starts succeeded/);
  });

  it('gives every section as JSON with --format json, replacing its own earlier database', async () => {
    const res = await runCli(['start', '--db', db, '--format', 'json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['replay', 'signatures', 'param_changes', 'startup_success_rate', 'linked_issues', 'alerts']);
    expect(out.replay).toMatchObject({ entries_read: sampleLines(), rejected: 0 });
    const changes = out.param_changes as { category: string; param: string; steps: { value: number }[] }[];
    expect(changes.find((c) => c.param === 'timeout_s')).toMatchObject({ category: 'db_init_timeout' });
    expect(changes.find((c) => c.param === 'timeout_s')?.steps.map((s) => s.value)).toEqual([8, 20, 25]);
    const rates = out.startup_success_rate as { hourly: { hour: string; service: string; successes: number; failures: number }[] };
    expect(rates.hourly.every((h) => /^2026-03-0[234]T\d\d:00:00Z$/.test(h.hour))).toBe(true);
    expect(await readTable(db, 'failure_events')).toHaveLength(sampleLines());
  });

  it('never replaces a database that holds other data', async () => {
    const mine = join(dir, 'mine.duckdb');
    const file = join(dir, 'mine.ndjson');
    writeFileSync(file, JSON.stringify(runEntry('Container called exit(1).')) + '\n');
    expect((await runCli(['replay', file, '--db', mine])).code).toBe(0);
    const res = await runCli(['start', '--db', mine]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('holds other data than the sample');
    expect(await readTable(mine, 'failure_events')).toHaveLength(1);
  });
});
