import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runEntry, withService } from '../helpers/entries.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-signatures-'));
const db = join(dir, 'sig.duckdb');

/** A timeout raised twice (8 → 20 → 25 s), an import error on another service, noise. */
function entries(): Record<string, unknown>[] {
  const at = (h: number, m = 0) => `2026-03-02T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000000Z`;
  const timeout = (s: string, h: number, m: number) => runEntry(`Phase 3 database initialization timeout after ${s}s`, { timestamp: at(h, m) });
  return [
    timeout('8.0', 9, 0),
    timeout('8.0', 9, 30),
    timeout('20.0', 12, 0),
    timeout('25.0', 15, 0),
    timeout('25.0', 16, 0),
    withService(runEntry("ModuleNotFoundError: No module named 'app.monitoring'", { timestamp: at(10) }), 'billing'),
    runEntry('INFO:     Started server process [1]', { timestamp: at(8) }),
    runEntry('INFO:     10.0.0.1:5555 - "GET /v1/orders HTTP/1.1" 200 OK', { timestamp: at(8, 5) }),
  ];
}

interface Sig {
  signature_id: string;
  category: string;
  service: string;
  count: number;
  first_seen: string;
  last_seen: string;
  params: { name: string; values: { value: number | string }[]; successive: boolean }[];
}

beforeAll(async () => {
  const file = join(dir, 'entries.ndjson');
  writeFileSync(file, entries().map((e) => JSON.stringify(e)).join('\n') + '\n');
  const res = await runCli(['replay', file, '--db', db]);
  expect(res.code).toBe(0);
});

describe('faultline signatures (spawned CLI, real DuckDB file)', () => {
  it('shows each signature with its count, first/last seen and how timeout_s changed', async () => {
    const res = await runCli(['signatures', '--db', db]);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^signature\s+category\s+service\s+key params\s+count\s+first seen \(UTC\)\s+last seen \(UTC\)$/);
    const timeoutLine = lines.find((l) => l.includes('db_init_timeout')) ?? '';
    expect(timeoutLine).toContain('timeout_s 8.0 → 20.0 → 25.0');
    expect(timeoutLine).toMatch(/\s5\s+2026-03-02 09:00:00\s+2026-03-02 16:00:00$/);
    expect(lines.find((l) => l.includes('import_error'))).toMatch(/billing .*module app\.monitoring/);
    // progress lines and access logs are left out unless asked for
    expect(res.stdout).not.toContain('startup_progress');
    expect(res.stdout).not.toContain('not_startup_related');
  });

  it('prints JSON for scripts, most frequent first, with the values of each param in order', async () => {
    const res = await runCli(['signatures', '--db', db, '--format', 'json']);
    const sigs = JSON.parse(res.stdout) as Sig[];
    expect(sigs.map((s) => [s.category, s.service, s.count])).toEqual([
      ['db_init_timeout', 'api', 5],
      ['import_error', 'billing', 1],
    ]);
    const timeoutS = sigs[0]?.params.find((p) => p.name === 'timeout_s');
    expect(timeoutS?.values.map((v) => v.value)).toEqual([8, 20, 25]);
    expect(timeoutS?.successive).toBe(true);
    expect(sigs[0]?.signature_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('filters by --service, limits with --limit, and lists everything with --all', async () => {
    const billing = JSON.parse((await runCli(['signatures', '--db', db, '--format', 'json', '--service', 'billing'])).stdout) as Sig[];
    expect(billing.map((s) => s.category)).toEqual(['import_error']);
    const one = JSON.parse((await runCli(['signatures', '--db', db, '--format', 'json', '--limit', '1'])).stdout) as Sig[];
    expect(one).toHaveLength(1);
    const all = JSON.parse((await runCli(['signatures', '--db', db, '--format', 'json', '--all'])).stdout) as Sig[];
    expect(all.map((s) => s.category).sort()).toEqual(['db_init_timeout', 'import_error', 'not_startup_related', 'startup_progress']);
  });

  it('says what to do when there is no database, and explains itself with --help', async () => {
    const missing = await runCli(['signatures', '--db', join(dir, 'none.duckdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at .*none\.duckdb: run `faultline replay FILE\.\.\.`/);
    const help = await runCli(['signatures', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--service S');
    expect((await runCli(['signatures', '--db', db, '--limit', 'zero'])).code).toBe(2);
  });
});
