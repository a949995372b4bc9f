import type { TrackerFailure } from '../../ports/issue-tracker.js';

/** The shape of @octokit/request-error's RequestError, without importing a transitive package. */
interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined> };
}

const isRequestError = (e: unknown): e is RequestErrorLike =>
  e instanceof Error && typeof (e as { status?: unknown }).status === 'number' && (e.name === 'HttpError' || 'request' in e);

function rateLimit(headers: Record<string, string | number | undefined>): string | null {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) return `GitHub rate limit (secondary): retry after ${retryAfter} s`;
  if (String(headers['x-ratelimit-remaining']) !== '0') return null;
  const reset = Number(headers['x-ratelimit-reset']);
  const at = Number.isFinite(reset) ? new Date(reset * 1000).toISOString() : 'an unknown time';
  return `GitHub rate limit exhausted (${headers['x-ratelimit-limit'] ?? '?'} requests per hour); it resets at ${at}`;
}

/** An expected failure of a GitHub call as a value; anything else is rethrown. */
export function describeFailure(err: unknown, repository: string, baseUrl: string): { kind: TrackerFailure; error: string } {
  if (!isRequestError(err)) throw err;
  if (err.response === undefined) return { kind: 'network', error: `cannot reach ${baseUrl}: ${err.message}` };
  const headers = err.response.headers;
  if (err.status === 401) return { kind: 'auth', error: `GitHub refused the token (401 ${err.message}): it is invalid or expired` };
  if (err.status === 403 || err.status === 429) {
    const limited = rateLimit(headers);
    if (limited) return { kind: 'rate_limit', error: limited };
    return { kind: 'forbidden', error: `GitHub refused access to ${repository} (403 ${err.message}): the token lacks the issues read permission` };
  }
  if (err.status === 404) return { kind: 'not_found', error: `repository ${repository} not found at ${baseUrl} (or the token cannot see it)` };
  return { kind: 'http', error: `GitHub answered ${err.status}: ${err.message}` };
}
