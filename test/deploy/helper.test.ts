import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './harness.js';

const HELPER = join(REPO, 'scripts', 'deploy', 'helper.mjs');

function helper(args: string[], stdin = '') {
  return spawnSync(process.execPath, [HELPER, ...args], { input: stdin, encoding: 'utf8' });
}

/** A repository with these sql/views files. */
function withViews(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-helper-'));
  mkdirSync(join(root, 'sql', 'views'), { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(root, 'sql', 'views', name), sql);
  return root;
}

const rows = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\x1f'));

describe('scripts/deploy/helper.mjs views', () => {
  it('orders views after the views they read, ignores comments and DuckDB overrides', () => {
    const root = withViews({
      'a_top.sql': '-- Top view.\nSELECT * FROM ${dataset}.middle JOIN ${dataset}.base USING (id)',
      'middle.sql': '-- Middle view, reads ${dataset}.a_top only in this comment.\nSELECT * FROM ${dataset}.base',
      'base.sql': '-- Base view.\nSELECT * FROM ${dataset}.failure_events',
      'base.duckdb.sql': 'SELECT 1',
    });
    const out = helper(['views', root, 'my-proj', 'ds', join(root, 'out')]);
    expect(out.status, out.stderr).toBe(0);
    expect(rows(out.stdout).map((r) => r[0])).toEqual(['base', 'middle', 'a_top']);
    expect(rows(out.stdout).map((r) => r[2])).toEqual(['Base view.', 'Middle view, reads ${dataset}.a_top only in this comment.', 'Top view.']);
  });

  it('qualifies every table with the project and dataset', () => {
    const root = withViews({ 'v.sql': 'SELECT * FROM ${dataset}.failure_events' });
    const out = helper(['views', root, 'my-proj', 'ds', join(root, 'out')]);
    const [, file] = rows(out.stdout)[0] ?? [];
    expect(spawnSync('cat', [file ?? '']).stdout.toString()).toBe('SELECT * FROM `my-proj.ds.failure_events`');
  });

  it('refuses views that read each other in a cycle', () => {
    const root = withViews({ 'x.sql': 'SELECT * FROM ${dataset}.y', 'y.sql': 'SELECT * FROM ${dataset}.x' });
    const out = helper(['views', root, 'p-1', 'ds', join(root, 'out')]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('cycle: x, y');
  });

  it('lists nothing when there is no sql/views folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'faultline-helper-'));
    const out = helper(['views', root, 'p-1', 'ds', join(root, 'out')]);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('');
  });
});

describe('scripts/deploy/helper.mjs policies', () => {
  it('lists IAM bindings and dataset access under their IAM role names', () => {
    const policy = { bindings: [{ role: 'roles/run.invoker', members: ['serviceAccount:a@p.iam.gserviceaccount.com', 'user:b@example.com'] }] };
    expect(helper(['bindings'], JSON.stringify(policy)).stdout).toBe('roles/run.invoker serviceAccount:a@p.iam.gserviceaccount.com\nroles/run.invoker user:b@example.com\n');
    const dataset = { access: [{ role: 'WRITER', userByEmail: 'a@p.iam.gserviceaccount.com' }, { role: 'roles/bigquery.jobUser', iamMember: 'serviceAccount:c@p.iam.gserviceaccount.com' }, { role: 'READER', specialGroup: 'projectReaders' }] };
    expect(helper(['dataset-access'], JSON.stringify(dataset)).stdout).toBe('roles/bigquery.dataEditor a@p.iam.gserviceaccount.com\nroles/bigquery.jobUser c@p.iam.gserviceaccount.com\n');
  });
});
