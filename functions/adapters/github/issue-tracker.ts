import { Octokit } from '@octokit/rest';
import type { FetchIssuesOptions, FetchIssuesResult, IssueTracker } from '../../ports/issue-tracker.js';
import { describeFailure } from './errors.js';
import { commentIssueNumber, isPullRequest, toTrackerIssue, type GitHubComment, type GitHubIssue } from './map.js';

export const GITHUB_API_URL = 'https://api.github.com';

export interface GitHubOptions {
  /** a personal access or app token; absent: unauthenticated (public repositories, low rate limit) */
  token?: string;
  /** GitHub Enterprise's `https://HOST/api/v3`, or a fake in tests */
  baseUrl?: string;
}

const PER_PAGE = 100;
const quiet = () => undefined;

/** Issues of one repository through the REST API, every page (Link headers) followed. */
export class GitHubIssueTracker implements IssueTracker {
  private readonly octokit: Octokit;
  private readonly baseUrl: string;

  constructor(options: GitHubOptions = {}) {
    this.baseUrl = (options.baseUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
    // Failed requests come back as values with a clearer message: octokit's own error log would only repeat them.
    const log = { debug: quiet, info: quiet, warn: console.warn, error: quiet };
    this.octokit = new Octokit({ auth: options.token, baseUrl: this.baseUrl, userAgent: 'faultline', log });
  }

  async fetchIssues(repository: string, options: FetchIssuesOptions): Promise<FetchIssuesResult> {
    const [owner = '', repo = ''] = repository.split('/');
    try {
      const since = options.since === undefined ? {} : { since: options.since };
      const all = (await this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner, repo, state: options.state, per_page: PER_PAGE, ...since })) as GitHubIssue[];
      const issues = all.filter((i) => !isPullRequest(i));
      // One paginated pass over the repository's comments costs fewer requests than one list per issue.
      const needComments = issues.some((i) => (i.comments ?? 0) > 0);
      const comments = needComments ? ((await this.octokit.paginate(this.octokit.rest.issues.listCommentsForRepo, { owner, repo, per_page: PER_PAGE, ...since })) as GitHubComment[]) : [];
      const byIssue = new Map<number, GitHubComment[]>();
      for (const c of comments) {
        const n = commentIssueNumber(c);
        if (n === null) continue;
        const list = byIssue.get(n);
        if (list) list.push(c);
        else byIssue.set(n, [c]);
      }
      return { ok: true, issues: issues.map((i) => toTrackerIssue(i, byIssue.get(i.number) ?? [])) };
    } catch (err) {
      return { ok: false, ...describeFailure(err, repository, this.baseUrl) };
    }
  }
}
