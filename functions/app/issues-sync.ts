import type { Issue, IssuesFile } from '../core/issues/schema.js';
import type { IssueRegistry } from '../ports/issue-registry.js';
import type { FetchIssuesOptions, IssueTracker, TrackerFailure, TrackerIssue } from '../ports/issue-tracker.js';
import { importIssues } from './issues.js';

export type SyncResult =
  | { ok: true; synced: number; created: number; updated: number }
  | { ok: false; kind: TrackerFailure | 'invalid'; error: string };

type Comment = Issue['comments'][number];
const commentKey = (c: Comment) => `${c.created_at}\u001f${c.author}\u001f${c.body}`;

/** Incremental syncs see only new comments: keep the stored ones too, without duplicates. */
function mergeComments(stored: readonly Comment[], fetched: readonly Comment[]): Comment[] {
  const seen = new Map(stored.map((c) => [commentKey(c), c]));
  for (const c of fetched) seen.set(commentKey(c), c);
  return [...seen.values()].sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/**
 * The tracker owns title, state, labels, body and comments; the registry's own fields
 * (`signatures`, `match`, `services`), set by an imported file, survive a sync.
 */
function merged(t: TrackerIssue, prev: Issue | undefined, incremental: boolean): Record<string, unknown> {
  return {
    ...t,
    services: prev?.services ?? [],
    signatures: prev?.signatures ?? [],
    match: prev?.match ?? [],
    comments: incremental && prev ? mergeComments(prev.comments, t.comments) : t.comments,
  };
}

/**
 * Fetches a repository's issues and stores them through the import use case, so that
 * validation and links (markers, predicates) are the same as for a registry file.
 * Idempotent: issues are upserted by (repository, number).
 */
export async function syncIssues(tracker: IssueTracker, registry: IssueRegistry, repository: string, options: FetchIssuesOptions): Promise<SyncResult> {
  const fetched = await tracker.fetchIssues(repository, options);
  if (!fetched.ok) return fetched;
  const stored = new Map((await registry.list()).filter((x) => x.repository === repository).map((x) => [x.issue.number, x.issue]));
  const file: Omit<IssuesFile, 'issues'> & { issues: Record<string, unknown>[] } = {
    format: 'faultline-issues/v1',
    tracker: 'github',
    repository,
    issues: fetched.issues.map((t) => merged(t, stored.get(t.number), options.since !== undefined)),
  };
  const imported = await importIssues(registry, JSON.stringify(file));
  if (!imported.ok) return { ok: false, kind: 'invalid', error: `the tracker's issues do not fit the registry format: ${imported.error}` };
  const created = fetched.issues.filter((t) => !stored.has(t.number)).length;
  return { ok: true, synced: fetched.issues.length, created, updated: fetched.issues.length - created };
}
