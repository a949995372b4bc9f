import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Alert } from '../../functions/core/alerts/schema.js';
import { runCli } from '../helpers/cli.js';

const parseAlerts = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => Alert.parse(JSON.parse(l)));

describe('alerts on the bundled sample (spawned CLI, real DuckDB file)', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'faultline-alerts-')), 'sample.duckdb');

  it('start raises each new signature once, one regression to #1278, escalation, nothing for noise', async () => {
    const start = await runCli(['start', '--db', db]);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('Linked issues');
    expect(start.stdout).toContain('Alerts raised');
    const out = await runCli(['alerts', '--db', db, '--format', 'json']);
    expect(out.code).toBe(0);
    const alerts = parseAlerts(out.stdout);
    const news = alerts.filter((a) => a.kind === 'new_signature');
    expect(new Set(news.map((a) => `${a.service}|${a.signature_id}`)).size).toBe(news.length);
    expect(news.map((a) => a.category).sort()).toEqual(
      ['app_startup_failed', 'db_connect_timeout', 'db_connect_timeout', 'db_init_timeout', 'db_pool_exhausted', 'db_too_many_connections', 'exit_code', 'import_error', 'startup_probe_failed'],
    );
    const regressions = alerts.filter((a) => a.kind === 'regression');
    expect(regressions).toHaveLength(1);
    expect(regressions[0]?.regression?.closed_issue.number).toBe(1263);
    expect(regressions[0]?.issue?.number).toBe(1278);
    expect(Date.parse(regressions[0]?.first_seen ?? '')).toBeGreaterThan(Date.parse('2026-03-03T12:30:00Z'));
    const esc = alerts.filter((a) => a.kind === 'escalation').map((a) => a.escalation);
    expect(esc).toContainEqual({ param: 'timeout_s', from: 20, to: 25 });
    const noise = alerts.filter((a) => ['not_startup_related', 'startup_progress', 'startup_success'].includes(a.category ?? ''));
    expect(noise).toEqual([]);
    const importError = news.find((a) => a.category === 'import_error');
    const exit = news.find((a) => a.category === 'exit_code');
    expect(importError?.issue?.number).toBe(1240);
    expect(exit?.issue?.link).toBe('symptom');
  }, 120_000);

  it('replaying the same entries again raises nothing new', async () => {
    const before = parseAlerts((await runCli(['alerts', '--db', db, '--format', 'json'])).stdout);
    const sample = new URL('../../samples/incident/entries.ndjson', import.meta.url).pathname;
    const again = await runCli(['replay', sample, '--db', db, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).alerts_raised).toBe(0);
    const after = parseAlerts((await runCli(['alerts', '--db', db, '--format', 'json'])).stdout);
    expect(after.map((a) => a.alert_key)).toEqual(before.map((a) => a.alert_key));
  }, 120_000);

  it('rejects an invalid issues file with exit status 2', async () => {
    const sample = new URL('../../samples/incident/entries.ndjson', import.meta.url).pathname;
    const bad = await runCli(['replay', sample, '--db', db, '--issues', sample]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('issues file');
  });
});
