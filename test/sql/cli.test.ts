import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { FakeBigQueryQueries } from './fake-bigquery-query.js';
import { FIXTURE, library } from './helpers.js';

/** `faultline query` end to end: the built CLI on a database filled by `faultline replay`. */
const lib = library();
const GOLDEN = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`./golden/${name}.json`, import.meta.url)), 'utf8')) as { params: Record<string, string>; rows: unknown[] };
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-query-cli-'));
  db = join(dir, 'incident.duckdb');
  const replayed = await runCli(['replay', FIXTURE, '--db', db, '--format', 'json']);
  if (replayed.code !== 0) throw new Error(`replay failed: ${replayed.stderr}`);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with extra environment variables. */
function runWithEnv(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCli(args, undefined, undefined, env);
}

describe('faultline query --list', () => {
  it('lists every saved question, check and view with what it answers', async () => {
    const r = await runCli(['query', '--list']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    for (const f of lib.files) expect(r.stdout).toContain(f.name);
    for (const f of lib.files.filter((g) => g.kind === 'analysis')) expect(r.stdout).toContain(f.summary.slice(0, 60));
  });

  it('prints the same list as JSON, with params and columns', async () => {
    const r = await runCli(['query', '--list', '--format', 'json']);
    const list = JSON.parse(r.stdout) as { name: string; params: { name: string }[]; columns: unknown[] }[];
    expect(list.map((q) => q.name).sort()).toEqual(lib.files.map((f) => f.name).sort());
    expect(list.find((q) => q.name === 'top_root_causes')?.params.map((p) => p.name)).toEqual(['days', 'until', 'service', 'top']);
  });

  it('is a command of `faultline --help`', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/^\s+query\s/m);
  });
});

describe('faultline query NAME on the local database', () => {
  it('answers as JSON rows: the golden answer', async () => {
    const g = GOLDEN('top_root_causes');
    const r = await runCli(['query', 'top_root_causes', '--db', db, '--param', `until=${g.params.until}`, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(g.rows);
  });

  it('answers as a table for people', async () => {
    const r = await runCli(['query', 'escalating_timeouts', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/db_init_timeout\s+timeout_s\s+8, 20, 25/);
    expect(r.stdout).toMatch(/1 row\n$/);
  });

  it('runs a check: zero rows is a pass', async () => {
    const r = await runCli(['query', 'future_timestamps', '--db', db]);
    expect([r.code, r.stdout]).toEqual([0, 'future_timestamps: no failing rows (pass)\n']);
  });

  it('explains a query with --help', async () => {
    const r = await runCli(['query', 'new_signatures', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--param since=');
    expect(r.stdout).toContain('introduced_in_revision STRING');
  });

  it.each([
    [['query', 'no_such_query'], /no saved query named "no_such_query"/],
    [['query', 'new_signatures'], /missing param "since"/],
    [['query', 'new_signatures', '--param', 'since=yesterday'], /"yesterday" is not an RFC 3339 timestamp/],
    [['query', 'top_root_causes', '--param', 'nope=1'], /unknown param "nope"/],
    [['query', 'top_root_causes', '--param', 'days'], /expected name=value/],
    [['query', 'top_root_causes', '--format', 'xml'], /unknown --format/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await runCli([...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('says so when there is no database', async () => {
    const r = await runCli(['query', 'events', '--db', join(dir, 'missing.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no database at .*missing\.duckdb/);
  });
});

describe('faultline query --bigquery', () => {
  const fake = new FakeBigQueryQueries();
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());

  it('runs the same file on the dataset through the BigQuery client, with named parameters', async () => {
    fake.result = { fields: [{ name: 'event_id', type: 'STRING' }, { name: 'service', type: 'STRING' }, { name: 'instance_id', type: 'STRING' }, { name: 'event_timestamp', type: 'TIMESTAMP' }, { name: 'receive_timestamp', type: 'TIMESTAMP' }], rows: [] };
    const r = await runWithEnv(['query', 'future_timestamps', '--bigquery', '--project', 'acme-shop-prod', '--dataset', 'faultline_prod'], { BIGQUERY_EMULATOR_HOST: endpoint });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const body = fake.requests.at(-1)?.body as { query: string };
    expect(body.query).toContain('FROM `acme-shop-prod.faultline_prod`.events');
    expect(r.stdout).toBe('future_timestamps: no failing rows (pass)\n');
  });

  it('prints the views as CREATE OR REPLACE VIEW statements, each after what it reads', async () => {
    const r = await runCli(['query', '--views-ddl', '--project', 'acme-shop-prod', '--dataset', 'faultline']);
    expect(r.code).toBe(0);
    const order = [...r.stdout.matchAll(/CREATE OR REPLACE VIEW `acme-shop-prod\.faultline\.(\w+)`/g)].map((m) => m[1]);
    expect(order.length).toBe(lib.files.filter((f) => f.kind === 'view').length);
    expect(order.indexOf('events')).toBeLessThan(order.indexOf('attempt_entries'));
    expect(order.indexOf('attempt_entries')).toBeLessThan(order.indexOf('start_attempts'));
    expect(order.indexOf('start_attempts')).toBeLessThan(order.indexOf('startup_success_hourly'));
  });
});
