import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigQueryIssueRegistry } from '../../../functions/adapters/bigquery/issue-registry.js';
import { describeIssueRegistryContract, issue, link } from '../../contracts/issue-registry.contract.js';
import { FakeBigQueryJobs } from './fake-bigquery-jobs.js';

/**
 * Wire level: the real @google-cloud/bigquery client against a local fake jobs server that
 * runs the registry's GoogleSQL on DuckDB (translated by Polyglot). It checks the requests
 * and the SQL's meaning on the schema's tables, not BigQuery itself (its concurrency,
 * transactions across sessions, quotas).
 */
describeIssueRegistryContract('BigQuery (real client, fake jobs server on DuckDB)', async () => {
  const fake = new FakeBigQueryJobs();
  const url = await fake.start();
  const registry = new BigQueryIssueRegistry({ projectId: 'test-project', dataset: 'D', apiEndpoint: url });
  return { registry, close: () => fake.stop() };
});

describe('BigQueryIssueRegistry on the wire', () => {
  const fake = new FakeBigQueryJobs();
  let registry: BigQueryIssueRegistry;

  beforeAll(async () => {
    const url = await fake.start();
    registry = new BigQueryIssueRegistry({ projectId: 'test-project', dataset: 'D', apiEndpoint: url, now: () => '2026-03-09T00:00:00.000Z' });
  });
  afterAll(() => fake.stop());

  it('upserts with one MERGE per call whose values are all named, typed parameters', async () => {
    fake.calls.length = 0;
    await registry.upsert('o/r', [issue(1), issue(2), issue(1, { title: 'last one wins' })]);
    expect(fake.calls).toHaveLength(1);
    const [merge] = fake.calls;
    expect(merge?.query).toMatch(/^MERGE `test-project\.D`\.issues AS T\s+USING/);
    expect(merge?.query).toContain('FROM UNNEST(@issues) AS s');
    expect(merge?.types).toEqual({ issues: 'ARRAY', imported_at: 'TIMESTAMP' });
    for (const v of ['o/r', 'DROP TABLE', 'last one wins']) expect(merge?.query).not.toContain(v);
    expect(merge?.body.useLegacySql).toBe(false);
    const rows = await fake.sql.rows('issues');
    expect(rows.map((r) => [r.issue_id, r.title, r.imported_at])).toEqual([
      ['o/r#1', 'last one wins', '2026-03-09T00:00:00.000000Z'],
      ['o/r#2', issue(2).title, '2026-03-09T00:00:00.000000Z'],
    ]);
  });

  it('stores every column of schemas/bigquery/issues.json', async () => {
    const [row] = (await fake.sql.rows('issues')).filter((r) => r.issue_id === 'o/r#2');
    expect(row).toEqual({
      issue_id: 'o/r#2', repository: 'o/r', number: 2, title: issue(2).title, url: issue(2).url, state: 'open',
      created_at: '2026-03-01T09:00:00.000000Z', closed_at: null, labels: '["incident","p1"]', definition: JSON.stringify(issue(2)),
      imported_at: '2026-03-09T00:00:00.000000Z',
    });
  });

  it('adds links with one insert-only MERGE: a stored link is never updated', async () => {
    fake.calls.length = 0;
    await registry.addLinks([link(4, 'dddddddddddddddd')], '0@0');
    await registry.addLinks([], '0@0');
    expect(fake.calls).toHaveLength(1);
    const query = fake.calls[0]?.query ?? '';
    expect(query).toMatch(/^MERGE `test-project\.D`\.issue_links AS T\s+USING/);
    expect(query).toContain('WHEN NOT MATCHED THEN');
    expect(query).toContain('= @issues_version');
    expect(query).not.toMatch(/WHEN MATCHED|DELETE|UPDATE/);
    expect(fake.calls[0]?.types).toEqual({ links: 'ARRAY', issues_version: 'STRING' });
  });

  it('replaces links in one multi-statement transaction', async () => {
    fake.calls.length = 0;
    await registry.replaceLinks([link(1, 'aaaaaaaaaaaaaaaa')]);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.query).toMatch(/^BEGIN TRANSACTION;\s*DELETE FROM `test-project\.D`\.issue_links WHERE TRUE;\s*INSERT INTO/);
    expect(fake.calls[0]?.query).toMatch(/COMMIT TRANSACTION$/);
  });
});
