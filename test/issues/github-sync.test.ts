import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../functions/adapters/duckdb/database.js';
import { DuckDbIssueRegistry } from '../../functions/adapters/duckdb/issue-registry.js';
import { GitHubIssueTracker } from '../../functions/adapters/github/issue-tracker.js';
import { importIssues, relink } from '../../functions/app/issues.js';
import { syncIssues } from '../../functions/app/issues-sync.js';
import { issuesCommand } from '../../functions/cli/issues.js';
import type { SignatureFacts } from '../../functions/core/issues/derive.js';
import { ghComment, ghIssue, startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from './fake-github.js';

const SIG_BODY = '0123456789abcdef';
const SIG_COMMENT = 'fedcba9876543210';
const SIG_PR = 'aaaaaaaaaaaaaaaa';
const SIG_PREDICATE = 'bbbbbbbbbbbbbbbb';

const issues = () => [
  ghIssue(1, { body: `Crash loop.\n\nfaultline-signature: ${SIG_BODY}`, labels: [{ name: 'bug', color: 'f00' }, 'incident'] }),
  ghIssue(2, { title: 'a pull request', pull_request: { url: 'https://api.github.com/repos/o/r/pulls/2' }, comments: 1 }),
  ghIssue(3, { state: 'closed', closed_at: '2026-03-03T12:30:00Z', updated_at: '2026-03-03T12:30:00Z', labels: [{ name: 'db' }], body: 'timeouts', comments: 2 }),
  ghIssue(4, { title: 'import error in orders-api' }),
  ghIssue(5, { state: 'closed', closed_at: '2026-03-04T08:00:00Z', updated_at: '2026-03-04T08:00:00Z' }),
  ghIssue(6),
];
const comments = () => [
  ghComment(3, 'looking into it'),
  ghComment(3, `Same root cause.\nfaultline-signature: ${SIG_COMMENT}`, { user: { login: 'oncall' } }),
  ghComment(2, `faultline-signature: ${SIG_PR}`),
];

let fake: FakeGitHub | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function start(over: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub({ repository: 'o/r', issues: issues(), comments: comments(), pageSize: 2, ...over });
  return fake;
}

const fact = (signature_id: string, category = 'import_error', params: SignatureFacts['params'] = {}): SignatureFacts => ({ signature_id, category, service: 'orders-api', rule_id: null, params });

describe('GitHubIssueTracker against a fake REST API', () => {
  it('follows Link pages, skips pull requests and maps labels, closed_at and marker comments', async () => {
    const f = await start();
    const r = await new GitHubIssueTracker({ token: 'secret-t', baseUrl: f.url }).fetchIssues('o/r', { state: 'all' });
    if (!r.ok) throw new Error(r.error);
    expect(r.issues.map((i) => i.number)).toEqual([1, 3, 4, 5, 6]);
    const pages = f.seen.filter((s) => s.path === '/repos/o/r/issues').map((s) => s.query.get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(f.seen.filter((s) => s.path === '/repos/o/r/issues/comments').map((s) => s.query.get('page') ?? '1')).toEqual(['1', '2']);
    const [one, three, , five, six] = r.issues;
    expect(one?.labels).toEqual(['bug', 'incident']);
    expect(one?.body).toContain(`faultline-signature: ${SIG_BODY}`);
    expect(one?.url).toBe('https://github.com/o/r/issues/1');
    expect(three).toMatchObject({ state: 'closed', closed_at: '2026-03-03T12:30:00Z', labels: ['db'] });
    expect(three?.comments).toEqual([{ created_at: '2026-03-02T10:00:00Z', author: 'oncall', body: `Same root cause.\nfaultline-signature: ${SIG_COMMENT}` }]);
    expect(five?.closed_at).toBe('2026-03-04T08:00:00Z');
    expect(six).toMatchObject({ state: 'open', closed_at: null, body: '', comments: [] });
    expect(new Set(f.seen.map((s) => s.authorization))).toEqual(new Set(['token secret-t']));
  });

  it('passes state and since to both endpoints, and sends no credentials without a token', async () => {
    const f = await start();
    const r = await new GitHubIssueTracker({ baseUrl: f.url }).fetchIssues('o/r', { state: 'closed', since: '2026-03-02T00:00:00.000Z' });
    if (!r.ok) throw new Error(r.error);
    expect(r.issues.map((i) => i.number)).toEqual([3, 5]);
    expect(f.seen.every((s) => s.query.get('since') === '2026-03-02T00:00:00.000Z')).toBe(true);
    expect(f.seen.find((s) => s.path === '/repos/o/r/issues')?.query.get('state')).toBe('closed');
    expect(f.seen.map((s) => s.authorization)).toEqual(f.seen.map(() => undefined));
  });

  it('turns 401, 404 and an exhausted rate limit into failures that say what to do', async () => {
    const f = await start({ badToken: 'tok-0xdead' });
    const bad = await new GitHubIssueTracker({ token: 'tok-0xdead', baseUrl: f.url }).fetchIssues('o/r', { state: 'all' });
    expect(bad).toMatchObject({ ok: false, kind: 'auth' });
    expect(JSON.stringify(bad)).not.toContain('tok-0xdead');
    const missing = await new GitHubIssueTracker({ token: 'fine', baseUrl: f.url }).fetchIssues('o/nope', { state: 'all' });
    expect(missing).toMatchObject({ ok: false, kind: 'not_found' });
    expect(missing.ok ? '' : missing.error).toContain('o/nope');
    f.options.forbidden = true;
    expect(await new GitHubIssueTracker({ token: 'fine', baseUrl: f.url }).fetchIssues('o/r', { state: 'all' })).toMatchObject({ ok: false, kind: 'forbidden' });
    f.options.forbidden = false;
    f.options.rateLimitResetS = Date.UTC(2026, 2, 5, 9, 30) / 1000;
    const limited = await new GitHubIssueTracker({ baseUrl: f.url }).fetchIssues('o/r', { state: 'all' });
    expect(limited).toMatchObject({ ok: false, kind: 'rate_limit' });
    expect(limited.ok ? '' : limited.error).toContain('2026-03-05T09:30:00.000Z');
  });

  it('reports a server it cannot reach as a network failure', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await new GitHubIssueTracker({ baseUrl: `http://127.0.0.1:${port}` }).fetchIssues('o/r', { state: 'all' });
    expect(r).toMatchObject({ ok: false, kind: 'network' });
    expect(r.ok ? '' : r.error).toContain(`127.0.0.1:${port}`);
  });
});

describe('syncIssues into the DuckDB registry', () => {
  it('is idempotent, keeps imported predicates, and links by markers in bodies and comments', async () => {
    const f = await start();
    const db = await Database.open(':memory:');
    try {
      const registry = new DuckDbIssueRegistry(db);
      const file = { format: 'faultline-issues/v1', repository: 'o/r', issues: [{ number: 4, title: 'old title', state: 'open', created_at: '2026-03-01T10:00:00Z', url: 'https://github.com/o/r/issues/4', match: [{ category: 'db_init_timeout' }] }] };
      expect((await importIssues(registry, JSON.stringify(file))).ok).toBe(true);
      const tracker = new GitHubIssueTracker({ baseUrl: f.url });
      expect(await syncIssues(tracker, registry, 'o/r', { state: 'all' })).toEqual({ ok: true, synced: 5, created: 4, updated: 1 });
      f.options.issues = issues().map((i) => (i.number === 1 ? { ...i, title: 'renamed', state: 'closed', closed_at: '2026-03-05T00:00:00Z' } : i));
      expect(await syncIssues(tracker, registry, 'o/r', { state: 'all' })).toEqual({ ok: true, synced: 5, created: 0, updated: 5 });
      const stored = await registry.list();
      expect(stored.map((s) => s.issue.number)).toEqual([1, 3, 4, 5, 6]);
      expect(stored[0]?.issue).toMatchObject({ title: 'renamed', state: 'closed', closed_at: '2026-03-05T00:00:00Z' });
      expect(stored[2]?.issue).toMatchObject({ title: 'import error in orders-api', match: [{ category: 'db_init_timeout' }] });
      const facts = [fact(SIG_BODY), fact(SIG_COMMENT), fact(SIG_PR), fact(SIG_PREDICATE, 'db_init_timeout')];
      const links = await relink(registry, facts, [], '2026-03-06T00:00:00.000Z');
      expect(links.map((l) => [l.number, l.signature_id, l.source]).sort()).toEqual([
        [1, SIG_BODY, 'marker'],
        [3, SIG_COMMENT, 'marker'],
        [4, SIG_PREDICATE, 'predicate'],
      ]);
    } finally {
      await db.close();
    }
  });

  it('keeps stored marker comments on an incremental sync that sees only newer ones', async () => {
    const f = await start();
    const db = await Database.open(':memory:');
    try {
      const registry = new DuckDbIssueRegistry(db);
      const tracker = new GitHubIssueTracker({ baseUrl: f.url });
      await syncIssues(tracker, registry, 'o/r', { state: 'all' });
      const later = ghComment(3, `also faultline-signature: ${SIG_PREDICATE}`, { created_at: '2026-03-07T00:00:00Z', updated_at: '2026-03-07T00:00:00Z' });
      f.options.comments = [...comments(), later];
      f.options.issues = issues().map((i) => (i.number === 3 ? { ...i, updated_at: '2026-03-07T00:00:00Z', comments: 3 } : i));
      expect(await syncIssues(tracker, registry, 'o/r', { state: 'all', since: '2026-03-06T00:00:00Z' })).toEqual({ ok: true, synced: 1, created: 0, updated: 1 });
      const three = (await registry.list()).find((s) => s.issue.number === 3)?.issue;
      expect(three?.comments.map((c) => c.body)).toEqual([`Same root cause.\nfaultline-signature: ${SIG_COMMENT}`, `also faultline-signature: ${SIG_PREDICATE}`]);
    } finally {
      await db.close();
    }
  });
});

describe('issues sync arguments', () => {
  it.each([
    [['sync'], '--repo OWNER/NAME'],
    [['sync', '--repo', 'not a repo'], '--repo OWNER/NAME'],
    [['sync', '--repo', 'o/r', '--state', 'merged'], '--state must be all, open or closed'],
    [['sync', '--repo', 'o/r', '--since', 'yesterday'], '--since must be an ISO 8601 time'],
  ])('%j is refused before any request or database', async (argv, message) => {
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (d: Buffer) => (text += d.toString()));
    const code = await issuesCommand([...argv, '--db', '/nonexistent/dir/x.duckdb'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr });
    expect(code).toBe(2);
    expect(text).toContain(message);
  });
});
