import { GITHUB_API_URL, GitHubIssueTracker } from '../adapters/github/issue-tracker.js';
import { syncIssues } from '../app/issues-sync.js';
import type { FetchIssuesOptions } from '../ports/issue-tracker.js';
import type { CliIO } from './io.js';
import { LocalError } from './local.js';
import type { RegistryTarget } from './issues-target.js';

export const SYNC_HELP = `Sync options (issues sync):
  --repo O/R        the GitHub repository (required)
  --token-env NAME  the environment variable holding the token (default GITHUB_TOKEN; unset:
                    unauthenticated, public repositories only); $FAULTLINE_GITHUB_API_URL
                    points at another API (GitHub Enterprise: https://HOST/api/v3)
  --state S         all (default), open or closed
  --since T         only issues and comments updated at or after T (ISO 8601)`;

export interface SyncValues {
  repo?: string | undefined;
  'token-env'?: string | undefined;
  state?: string | undefined;
  since?: string | undefined;
}

type Env = Record<string, string | undefined>;

function fetchOptions(v: SyncValues): FetchIssuesOptions {
  const state = v.state ?? 'all';
  if (state !== 'all' && state !== 'open' && state !== 'closed') throw new LocalError(`--state must be all, open or closed, not "${state}"`);
  if (v.since === undefined) return { state };
  const ms = Date.parse(v.since);
  if (Number.isNaN(ms)) throw new LocalError(`--since must be an ISO 8601 time, not "${v.since}"`);
  return { state, since: new Date(ms).toISOString() };
}

/** `faultline issues sync`: GitHub -> issues table (local or BigQuery), then links recomputed where they are stored. */
export async function syncCommand(v: SyncValues, open: () => Promise<RegistryTarget>, json: boolean, io: CliIO, env: Env = process.env): Promise<number> {
  const repo = v.repo;
  if (repo === undefined || !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new LocalError('sync needs --repo OWNER/NAME');
  const options = fetchOptions(v);
  const tokenEnv = v['token-env'] ?? 'GITHUB_TOKEN';
  const token = env[tokenEnv] || undefined;
  if (token === undefined) io.stderr.write(`faultline issues: $${tokenEnv} is not set: unauthenticated requests (public repositories, 60 per hour)\n`);
  const tracker = new GitHubIssueTracker({ token, baseUrl: env.FAULTLINE_GITHUB_API_URL || GITHUB_API_URL });
  // opened only once the arguments are known to be good
  const target = await open();
  try {
    const r = await syncIssues(tracker, target.registry, repo, options);
    if (!r.ok) throw new LocalError(r.kind === 'auth' ? `${r.error} (from $${tokenEnv})` : r.error);
    const links = await target.relink();
    const { synced, created, updated } = r;
    io.stdout.write(json ? JSON.stringify({ repository: repo, synced, created, updated, links }) + '\n' : `synced ${synced} issue(s) from ${repo} (${created} new, ${updated} updated); ${links} link(s) to stored signatures\n`);
    return 0;
  } finally {
    await target.close();
  }
}
