import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake saw: enough to check paging, filters and the credentials sent. */
export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

export interface FakeGitHubOptions {
  repository: string;
  issues: Record<string, unknown>[];
  comments: Record<string, unknown>[];
  /** items per page whatever per_page asks, so that small data still spans pages */
  pageSize: number;
  /** answered with 401 */
  badToken?: string;
  /** every request answered 403 without a rate limit: the token lacks access */
  forbidden?: boolean;
  /** every request answered 403 with an exhausted rate limit, reset at this epoch second */
  rateLimitResetS?: number;
}

export interface FakeGitHub {
  url: string;
  seen: SeenRequest[];
  options: FakeGitHubOptions;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** One page of `items` with GitHub's Link header (rel="next"/"last") built from the request's own URL. */
function sendPage(res: ServerResponse, base: string, url: URL, items: unknown[], pageSize: number): void {
  const page = Number(url.searchParams.get('page') ?? '1');
  const last = Math.max(1, Math.ceil(items.length / pageSize));
  const link = (p: number) => {
    const u = new URL(url.pathname + url.search, base);
    u.searchParams.set('page', String(p));
    return u.toString();
  };
  const links = page < last ? [`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`] : [];
  send(res, 200, items.slice((page - 1) * pageSize, page * pageSize), links.length ? { link: links.join(', ') } : {});
}

function handle(fake: FakeGitHub, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', fake.url);
  fake.seen.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
  const o = fake.options;
  if (o.badToken !== undefined && req.headers.authorization?.endsWith(` ${o.badToken}`)) return send(res, 401, { message: 'Bad credentials' });
  if (o.forbidden) return send(res, 403, { message: 'Resource not accessible by personal access token' }, { 'x-ratelimit-remaining': '4999' });
  if (o.rateLimitResetS !== undefined) {
    return send(res, 403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(o.rateLimitResetS) });
  }
  const since = url.searchParams.get('since');
  const recent = (items: Record<string, unknown>[]) => (since === null ? items : items.filter((i) => String(i.updated_at) >= since));
  if (url.pathname === `/repos/${o.repository}/issues/comments`) return sendPage(res, fake.url, url, recent(o.comments), o.pageSize);
  if (url.pathname === `/repos/${o.repository}/issues`) {
    const state = url.searchParams.get('state') ?? 'open';
    return sendPage(res, fake.url, url, recent(o.issues).filter((i) => state === 'all' || i.state === state), o.pageSize);
  }
  send(res, 404, { message: 'Not Found' });
}

/** A local stand-in for the GitHub REST API's issue endpoints (127.0.0.1, random port). */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const fake: FakeGitHub = { url: '', seen: [], options, close: async () => undefined };
  const server: Server = createServer((req, res) => handle(fake, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

const API = 'https://api.github.com/repos/o/r';

export function ghIssue(number: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    number,
    title: `issue ${number}`,
    html_url: `https://github.com/o/r/issues/${number}`,
    url: `${API}/issues/${number}`,
    state: 'open',
    created_at: '2026-03-01T10:00:00Z',
    updated_at: '2026-03-01T10:00:00Z',
    closed_at: null,
    labels: [],
    body: null,
    comments: 0,
    ...over,
  };
}

export function ghComment(issue: number, body: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { issue_url: `${API}/issues/${issue}`, created_at: '2026-03-02T10:00:00Z', updated_at: '2026-03-02T10:00:00Z', user: { login: 'dev' }, body, ...over };
}
