import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBigQueryJobs } from '../adapters/bigquery/fake-bigquery-jobs.js';
import { runCli } from '../helpers/cli.js';
import { readTable } from '../helpers/duckdb.js';
import { failureEvent, hoursAgo } from '../helpers/failure-events.js';
import { ghIssue, startFakeGitHub } from './fake-github.js';

const JSON_FILE = {
  format: 'faultline-issues/v1',
  repository: 'acme-shop/orders-api',
  issues: [
    {
      number: 1240, title: "orders-api crash loop: No module named 'app.monitoring'", state: 'closed', created_at: '2026-03-02T09:58:00Z',
      closed_at: '2026-03-02T11:20:00Z', labels: ['incident'], services: ['orders-api'], url: 'https://github.com/acme-shop/orders-api/issues/1240',
      body: 'Every instance dies in lifespan startup.\nfaultline-signature: 0123456789abcdef', comments: [{ created_at: '2026-03-02T10:52:00Z', author: 'mk', body: 'Fixed in #1241' }],
      match: [{ category: 'import_error', service: 'orders-api', params: { module: 'app.monitoring' } }],
    },
    { number: 1263, title: 'db timeout at startup', state: 'open', created_at: '2026-03-03T08:00:00Z', url: 'https://github.com/acme-shop/orders-api/issues/1263', signatures: ['aaaaaaaaaaaaaaaa'] },
  ],
};

// The same registry as JSON_FILE, written as a person would write YAML (a shared anchor too).
const YAML_FILE = `format: faultline-issues/v1
repository: acme-shop/orders-api
issues:
  - number: 1240
    title: "orders-api crash loop: No module named 'app.monitoring'"
    state: closed
    created_at: 2026-03-02T09:58:00Z   # a string: the core schema has no timestamp type
    closed_at: 2026-03-02T11:20:00Z
    labels: [incident]
    services: &svc [orders-api]
    url: https://github.com/acme-shop/orders-api/issues/1240
    body: |-
      Every instance dies in lifespan startup.
      faultline-signature: 0123456789abcdef
    comments:
      - { created_at: 2026-03-02T10:52:00Z, author: mk, body: "Fixed in #1241" }
    match:
      - category: import_error
        service: orders-api
        params: { module: app.monitoring }
  - number: 1263
    title: db timeout at startup
    state: open
    created_at: 2026-03-03T08:00:00Z
    url: https://github.com/acme-shop/orders-api/issues/1263
    signatures: [aaaaaaaaaaaaaaaa]
`;

const dir = mkdtempSync(join(tmpdir(), 'faultline-issues-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const stored = async (db: string) => (await readTable(db, 'issues')).map(({ imported_at: _t, ...r }) => r);

describe('faultline issues import (spawned CLI, real DuckDB file)', () => {
  it('imports a YAML file, and the same registry as JSON stores identical rows', async () => {
    const [yamlDb, jsonDb] = [join(dir, 'y.duckdb'), join(dir, 'j.duckdb')];
    const y = await runCli(['issues', 'import', write('faultline.issues.yaml', YAML_FILE), '--db', yamlDb]);
    expect(y.stderr).toBe('');
    expect(y.stdout).toBe('imported 2 issue(s); 0 link(s) to stored signatures\n');
    const j = await runCli(['issues', 'import', write('faultline.issues.json', JSON.stringify(JSON_FILE)), '--db', jsonDb, '--format', 'json']);
    expect(JSON.parse(j.stdout)).toEqual({ imported: 2, links: 0 });
    const rows = await stored(yamlDb);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(await stored(jsonDb));
    const listed = JSON.parse((await runCli(['issues', 'list', '--db', yamlDb, '--format', 'json'])).stdout) as { created_at: string; body: string }[];
    expect(listed[0]?.created_at).toBe('2026-03-02T09:58:00Z');
    expect(listed[0]?.body).toBe('Every instance dies in lifespan startup.\nfaultline-signature: 0123456789abcdef');
  });

  it.each([
    ['a key given twice', 'format: faultline-issues/v1\nrepository: a/b\nrepository: c/d\nissues: []\n', /not YAML: Map keys must be unique \(line 3, column 1\)/],
    ['a syntax error', 'format: faultline-issues/v1\nissues: [\n  - number: 1\n', /not YAML: .*\(line \d+, column \d+\)/],
    ['an alias bomb', ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'format: faultline-issues/v1'].join('\n'), /not YAML: Excessive alias count/],
    ['a schema error', 'format: faultline-issues/v1\nrepository: a/b\nissues:\n  - number: one\n', /issues\.0\.number/],
  ])('refuses %s with a one-line error, exit status 2', async (_what, text, message) => {
    const r = await runCli(['issues', 'import', write('bad.yml', text), '--db', join(dir, 'bad.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('faultline issues import|sync|list --bigquery (spawned CLI, real client, fake jobs server)', () => {
  const fake = new FakeBigQueryJobs();
  let env: Record<string, string> = {};
  beforeAll(async () => {
    env = { BIGQUERY_EMULATOR_HOST: await fake.start(), FAULTLINE_PROJECT: 'test-project' };
  });
  afterAll(() => fake.stop());

  it('loads a registry file into the production tables, re-imports in place, relinks, and lists it back', async () => {
    // a month old: outside an evaluateAlerts tick's window, inside the retention import relinks over
    await fake.sql.insert('failure_events', [
      failureEvent({ event_id: 'e1', signature_id: '55789aac08a81b51', category: 'import_error', params: { module: 'app.monitoring' }, event_timestamp: hoursAgo(24 * 30) }),
      failureEvent({ event_id: 'e2', signature_id: '8486a432a4b6380e', category: 'exit_code', params: { exit_code: 3 }, event_timestamp: hoursAgo(24 * 30) }),
    ]);
    const path = write('prod.issues.yaml', YAML_FILE);
    for (let run = 0; run < 2; run += 1) {
      const r = await runCli(['issues', 'import', path, '--bigquery', '--dataset', 'D'], undefined, undefined, env);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('imported 2 issue(s); 2 link(s) to stored signatures\n');
    }
    expect((await fake.sql.rows('issues')).map((r) => [r.issue_id, r.state])).toEqual([['acme-shop/orders-api#1240', 'closed'], ['acme-shop/orders-api#1263', 'open']]);
    expect((await fake.sql.rows('issue_links')).map((r) => [r.number, r.signature_id, r.source]).sort()).toEqual([[1240, '55789aac08a81b51', 'predicate'], [1240, '8486a432a4b6380e', 'symptom']]);
    // the re-import found the same links: one write for both runs
    expect(fake.calls.filter((c) => c.labels.query === 'issue_links_replace')).toHaveLength(1);
    expect(fake.calls.every((c) => c.query.includes('`test-project.D`.'))).toBe(true);
    const listed = await runCli(['issues', 'list', '--bigquery', '--dataset', 'D', '--format', 'json'], undefined, undefined, env);
    expect((JSON.parse(listed.stdout) as { number: number }[]).map((i) => i.number)).toEqual([1240, 1263]);
  });

  it('syncs a GitHub repository into the production tables', async () => {
    const gh = await startFakeGitHub({ repository: 'o/r', issues: [ghIssue(7, { state: 'closed', closed_at: '2026-03-02T09:00:00Z' })], comments: [], pageSize: 10 });
    try {
      const r = await runCli(['issues', 'sync', '--repo', 'o/r', '--bigquery', '--dataset', 'D', '--format', 'json'], undefined, undefined, { ...env, FAULTLINE_GITHUB_API_URL: gh.url, GITHUB_TOKEN: 't' });
      // every link of the registry, the earlier import's included
      expect(JSON.parse(r.stdout)).toEqual({ repository: 'o/r', synced: 1, created: 1, updated: 0, links: 2 });
      expect((await fake.sql.rows('issues')).find((x) => x.issue_id === 'o/r#7')?.closed_at).toBe('2026-03-02T09:00:00.000000Z');
    } finally {
      await gh.close();
    }
  });

  it('says suggest is local only', async () => {
    const r = await runCli(['issues', 'suggest', '--bigquery'], undefined, undefined, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/suggest reads the local database only/);
  });
});
