import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { ghComment, ghIssue, startFakeGitHub, type FakeGitHub } from './fake-github.js';

/** runCli with an environment: the fake's URL and a token that must never be printed. */
function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  return runCli(args, stdin, undefined, env);
}

const entry = (insertId: string, service: string, text: string) => JSON.stringify({
  insertId,
  logName: 'projects/acme-prod/logs/run.googleapis.com%2Fstderr',
  resource: { type: 'cloud_run_revision', labels: { project_id: 'acme-prod', service_name: service, revision_name: `${service}-00041-xab`, location: 'europe-west1' } },
  timestamp: '2026-03-01T10:00:00.123456Z',
  severity: 'ERROR',
  labels: { instanceId: `i-${insertId}` },
  textPayload: text,
});

type Listed = { number: number; title: string; state: string; labels: string[]; closed_at: string | null; links: { signature_id: string; source: string }[] };

describe('faultline issues sync (spawned CLI, fake GitHub, real DuckDB file)', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'faultline-sync-')), 'tmp.duckdb');
  const TOKEN = 'ghp_fakeTokenThatMustNotLeak';
  let fake: FakeGitHub;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeGitHub({ repository: 'o/r', issues: [], comments: [], pageSize: 2 });
    env = { FAULTLINE_GITHUB_API_URL: fake.url, GH_SYNC_TOKEN: TOKEN };
  });
  afterAll(() => fake.close());

  it('stores the issues once, linked through body and comment markers, and explains a 401 and a 404', async () => {
    const input = [entry('a1', 'orders-api', "ModuleNotFoundError: No module named 'app.monitoring'"), entry('a2', 'billing', "ModuleNotFoundError: No module named 'billing.tax'")].join('\n');
    expect((await cli(['replay', '--db', db, '--no-alerts'], env, input + '\n')).code).toBe(0);
    const sigs = JSON.parse((await cli(['signatures', '--db', db, '--format', 'json'], env)).stdout) as { signature_id: string; service: string }[];
    const orders = sigs.find((s) => s.service === 'orders-api')?.signature_id ?? '';
    const billing = sigs.find((s) => s.service === 'billing')?.signature_id ?? '';
    expect(orders).toMatch(/^[0-9a-f]{16}$/);
    fake.options.issues = [
      ghIssue(10, { body: `faultline-signature: ${orders}`, labels: [{ name: 'incident' }] }),
      ghIssue(11, { title: 'PR', pull_request: { url: 'x' } }),
      ghIssue(12, { state: 'closed', closed_at: '2026-03-02T09:00:00Z', comments: 1 }),
    ];
    fake.options.comments = [ghComment(12, `root cause\nfaultline-signature: ${billing}`)];

    for (let run = 0; run < 2; run += 1) {
      const sync = await cli(['issues', 'sync', '--repo', 'o/r', '--db', db, '--token-env', 'GH_SYNC_TOKEN', '--format', 'json'], env);
      expect(sync.code).toBe(0);
      expect(JSON.parse(sync.stdout)).toEqual({ repository: 'o/r', synced: 2, created: run === 0 ? 2 : 0, updated: run === 0 ? 0 : 2, links: 2 });
      expect(sync.stdout + sync.stderr).not.toContain(TOKEN);
    }
    expect(new Set(fake.seen.map((s) => s.authorization))).toEqual(new Set([`token ${TOKEN}`]));

    const list = await cli(['issues', 'list', '--db', db, '--format', 'json'], env);
    expect(list.code).toBe(0);
    const issues = JSON.parse(list.stdout) as Listed[];
    expect(issues.map((i) => [i.number, i.state, i.closed_at, i.labels])).toEqual([[10, 'open', null, ['incident']], [12, 'closed', '2026-03-02T09:00:00Z', []]]);
    expect(issues.map((i) => i.links.map((l) => [l.signature_id, l.source]))).toEqual([[[orders, 'marker']], [[billing, 'marker']]]);

    fake.options.badToken = TOKEN;
    const denied = await cli(['issues', 'sync', '--repo', 'o/r', '--db', db, '--token-env', 'GH_SYNC_TOKEN'], env);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain('401');
    expect(denied.stderr).toContain('$GH_SYNC_TOKEN');
    expect(denied.stderr).not.toContain(TOKEN);
    const missing = await cli(['issues', 'sync', '--repo', 'o/missing', '--db', db], { ...env, GITHUB_TOKEN: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('repository o/missing not found');
  }, 120_000);
});
