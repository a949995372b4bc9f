import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IssueLinkRow } from '../../functions/core/issues/rows.js';
import { Issue } from '../../functions/core/issues/schema.js';
import type { IssueRegistry } from '../../functions/ports/issue-registry.js';

/**
 * What every IssueRegistry adapter must do (DuckDB locally, BigQuery in production): issues
 * round-trip every field, re-imports update in place, links are replaced as a whole.
 */
export interface OpenedRegistry {
  registry: IssueRegistry;
  close(): Promise<void>;
}

export function issue(n: number, over: Partial<Issue> = {}): Issue {
  return Issue.parse({
    number: n, title: `Issue ${n}: it's "quoted"; DROP TABLE issues --`, state: 'open', created_at: '2026-03-01T09:00:00.000Z',
    url: `https://github.com/o/r/issues/${n}`, labels: ['incident', 'p1'], services: ['orders-api'], body: 'body\nfaultline-signature: 0123456789abcdef',
    comments: [{ created_at: '2026-03-01T10:00:00Z', author: 'ann', body: 'root cause ✓' }], signatures: ['0123456789abcdef'],
    match: [{ category: 'python_import_error', params: { module: 'app.monitoring', timeout_s: 20 } }], ...over,
  });
}

export function link(n: number, signature: string, over: Partial<IssueLinkRow> = {}): IssueLinkRow {
  return {
    link_id: `l-${n}-${signature}`, issue_id: `o/r#${n}`, number: n, signature_id: signature, service: 'orders-api', source: 'explicit',
    detail: null, linked_at: '2026-03-02T10:00:00.123Z', ...over,
  };
}

/** Timestamps compare as instants: DuckDB writes microseconds (`.123000Z`), JavaScript milliseconds. */
const instants = (links: IssueLinkRow[]) => links.map((l) => ({ ...l, linked_at: new Date(l.linked_at).toISOString() }));

const sigA = 'aaaaaaaaaaaaaaaa';
const sigB = 'bbbbbbbbbbbbbbbb';

export function describeIssueRegistryContract(name: string, open: () => Promise<OpenedRegistry>): void {
  describe(`IssueRegistry contract: ${name}`, () => {
    let opened: OpenedRegistry;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened.close();
    });

    it('upsert then list round-trips every field, ordered by repository and number', async () => {
      const { registry } = opened;
      const bare = issue(3, { labels: [], services: [], comments: [], signatures: [], match: [], body: '' });
      await registry.upsert('o/r', [issue(7), bare]);
      await registry.upsert('a/b', [issue(9, { state: 'closed', closed_at: '2026-03-05T12:30:00.000Z' })]);
      expect(await registry.list()).toEqual([
        { repository: 'a/b', issue: issue(9, { state: 'closed', closed_at: '2026-03-05T12:30:00.000Z' }) },
        { repository: 'o/r', issue: bare },
        { repository: 'o/r', issue: issue(7) },
      ]);
    });

    it('upserting twice is idempotent and updates changed fields', async () => {
      const { registry } = opened;
      await registry.upsert('o/r', [issue(1), issue(2)]);
      await registry.upsert('o/r', [issue(1), issue(2)]);
      expect((await registry.list()).map((x) => x.issue)).toEqual([issue(1), issue(2)]);
      const closed = issue(1, { state: 'closed', closed_at: '2026-03-04T08:00:00.000Z', title: 'fixed', labels: ['done'] });
      await registry.upsert('o/r', [closed]);
      expect((await registry.list()).map((x) => x.issue)).toEqual([closed, issue(2)]);
      // the same number in another repository is another issue
      await registry.upsert('x/y', [issue(1)]);
      expect(await registry.list()).toHaveLength(3);
    });

    it('upserting nothing changes nothing', async () => {
      const { registry } = opened;
      await registry.upsert('o/r', [issue(1)]);
      await registry.upsert('o/r', []);
      expect(await registry.list()).toHaveLength(1);
    });

    it('replaceLinks replaces every link; links read back as written', async () => {
      const { registry } = opened;
      expect(await registry.links()).toEqual([]);
      const first = [link(2, sigA), link(1, sigB, { service: null, source: 'predicate', detail: 'category=x' })];
      await registry.replaceLinks(first);
      expect(instants(await registry.links())).toEqual([first[1], first[0]]);
      const second = [link(5, sigA, { source: 'symptom', detail: sigB, linked_at: '2026-03-03T00:00:00.000Z' })];
      await registry.replaceLinks(second);
      expect(instants(await registry.links())).toEqual(second);
      await registry.replaceLinks([]);
      expect(await registry.links()).toEqual([]);
    });

    it('addLinks adds the links not stored and leaves stored ones as they are', async () => {
      const { registry } = opened;
      const stored = link(1, sigA, { detail: 'kept as stored' });
      await registry.replaceLinks([stored]);
      const version = await registry.issuesVersion();
      const changed = link(1, sigA, { detail: 'a later view', linked_at: '2026-03-09T00:00:00.000Z' });
      const fresh = link(2, sigB, { service: null, source: 'predicate', detail: 'category=x' });
      await registry.addLinks([changed, fresh], version);
      await registry.addLinks([fresh], version);
      await registry.addLinks([], version);
      expect(instants(await registry.links())).toEqual([stored, fresh]);
    });

    it('addLinks adds nothing once issues were upserted after the version it was given', async () => {
      const { registry } = opened;
      await registry.upsert('o/r', [issue(1)]);
      const before = await registry.issuesVersion();
      expect(await registry.issuesVersion()).toBe(before);
      await registry.upsert('o/r', [issue(2)]);
      const after = await registry.issuesVersion();
      expect(after).not.toBe(before);
      await registry.addLinks([link(1, sigA)], before);
      expect(await registry.links()).toEqual([]);
      await registry.addLinks([link(1, sigA)], after);
      expect((await registry.links()).map((l) => l.link_id)).toEqual([link(1, sigA).link_id]);
    });
  });
}
