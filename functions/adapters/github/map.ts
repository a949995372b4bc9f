import type { TrackerIssue } from '../../ports/issue-tracker.js';

/** The fields of GitHub's REST issue and issue-comment objects that Faultline reads. */
export interface GitHubIssue {
  number: number;
  title: string;
  html_url: string;
  state: string;
  created_at: string;
  closed_at?: string | null;
  updated_at?: string;
  labels?: (string | { name?: string | null })[];
  body?: string | null;
  comments?: number;
  pull_request?: unknown;
}

export interface GitHubComment {
  issue_url: string;
  created_at: string;
  user?: { login?: string } | null;
  body?: string | null;
}

const MARKER = /faultline-signature:\s*[0-9a-f]{16}\b/;

export const hasMarker = (text: string | null | undefined) => MARKER.test(text ?? '');

/** The issues endpoint lists pull requests too; they carry a `pull_request` key. */
export const isPullRequest = (i: GitHubIssue) => i.pull_request !== undefined && i.pull_request !== null;

/** `https://api.github.com/repos/o/r/issues/12` -> 12 */
export function commentIssueNumber(c: GitHubComment): number | null {
  const m = /\/issues\/(\d+)$/.exec(c.issue_url);
  return m ? Number(m[1]) : null;
}

export function toTrackerIssue(i: GitHubIssue, comments: readonly GitHubComment[]): TrackerIssue {
  const state = i.state === 'closed' ? 'closed' : 'open';
  return {
    number: i.number,
    title: i.title,
    url: i.html_url,
    state,
    created_at: i.created_at,
    // The registry requires closed_at exactly when closed; GitHub has closed issues without one (old imports).
    closed_at: state === 'closed' ? (i.closed_at ?? i.updated_at ?? i.created_at) : null,
    labels: (i.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    body: i.body ?? '',
    comments: comments.filter((c) => hasMarker(c.body)).map((c) => ({ created_at: c.created_at, author: c.user?.login ?? '', body: c.body ?? '' })),
  };
}
