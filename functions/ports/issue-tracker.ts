/** An issue as the tracker holds it: what Faultline needs to link it to signatures. */
export interface TrackerIssue {
  number: number;
  title: string;
  url: string;
  state: 'open' | 'closed';
  created_at: string;
  closed_at: string | null;
  labels: string[];
  body: string;
  /** only the comments that can link (they carry a `faultline-signature:` marker) */
  comments: { created_at: string; author: string; body: string }[];
}

export interface FetchIssuesOptions {
  state: 'all' | 'open' | 'closed';
  /** only issues (and comments) updated at or after this ISO time */
  since?: string;
}

export type TrackerFailure = 'auth' | 'forbidden' | 'rate_limit' | 'not_found' | 'network' | 'http';

export type FetchIssuesResult = { ok: true; issues: TrackerIssue[] } | { ok: false; kind: TrackerFailure; error: string };

/** A remote issue tracker (GitHub): read-only. Expected failures are values. */
export interface IssueTracker {
  fetchIssues(repository: string, options: FetchIssuesOptions): Promise<FetchIssuesResult>;
}
