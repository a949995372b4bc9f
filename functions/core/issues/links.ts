import type { Issue, MatchPredicate } from './schema.js';

/** What linking needs to know about one classified entry (or one signature). */
export interface LinkSubject {
  signature_id: string;
  category: string;
  service: string | null;
  rule_id: string | null;
  params: Readonly<Record<string, string | number>>;
}

export type LinkHow = { source: 'explicit' | 'predicate' | 'marker'; detail: string | null };

/** Symptoms of a failed start: they take the issue of the root cause of the same start attempt. */
export const SYMPTOM_CATEGORIES: ReadonlySet<string> = new Set(['exit_code', 'startup_probe_failed', 'app_startup_failed', 'restart_backoff']);

const MARKER = /faultline-signature:\s*([0-9a-f]{16})\b/g;

/** Signature ids named by `faultline-signature: <id>` in the body or a comment. */
export function markerIds(issue: Issue): Set<string> {
  const texts = [issue.body, ...issue.comments.map((c) => c.body)];
  return new Set(texts.flatMap((t) => [...t.matchAll(MARKER)].map((m) => m[1] as string)));
}

const sameValue = (a: string | number | undefined, b: string | number) => a !== undefined && String(a) === String(b);

export function matches(p: MatchPredicate, s: LinkSubject): boolean {
  if (p.category !== undefined && p.category !== s.category) return false;
  if (p.service !== undefined && p.service !== s.service) return false;
  if (p.rule_id !== undefined && p.rule_id !== s.rule_id) return false;
  return Object.entries(p.params ?? {}).every(([k, v]) => sameValue(s.params[k], v));
}

/** How an issue links to a subject, or null; explicit ids win over markers over predicates. */
export function linkOf(issue: Issue, s: LinkSubject, markers: Set<string> = markerIds(issue)): LinkHow | null {
  if (issue.signatures.includes(s.signature_id)) return { source: 'explicit', detail: null };
  if (markers.has(s.signature_id)) return { source: 'marker', detail: `faultline-signature: ${s.signature_id}` };
  const p = issue.match.find((m) => matches(m, s));
  return p ? { source: 'predicate', detail: JSON.stringify(p) } : null;
}

/** Precomputed markers, so that matching an entry costs no regex. */
export class IssueIndex {
  private readonly markers: Map<number, Set<string>>;

  constructor(readonly issues: readonly Issue[]) {
    this.markers = new Map(issues.map((i) => [i.number, markerIds(i)]));
  }

  linked(s: LinkSubject): { issue: Issue; how: LinkHow }[] {
    const out: { issue: Issue; how: LinkHow }[] = [];
    for (const issue of this.issues) {
      const how = linkOf(issue, s, this.markers.get(issue.number));
      if (how) out.push({ issue, how });
    }
    return out;
  }
}

/** The issue that owns a signature now: the newest open one, else the one closed last. */
export function owner(issues: readonly Issue[]): Issue | null {
  const open = issues.filter((i) => i.state === 'open').sort((a, b) => b.created_at.localeCompare(a.created_at));
  if (open[0]) return open[0];
  const closed = [...issues].sort((a, b) => (b.closed_at ?? '').localeCompare(a.closed_at ?? ''));
  return closed[0] ?? null;
}

/** Closed issues the entry came back after: each is a regression (closed_at < entry time). */
export function regressedIssues(issues: readonly Issue[], timestamp: string): Issue[] {
  const t = Date.parse(timestamp);
  return issues.filter((i) => i.state === 'closed' && i.closed_at !== null && Date.parse(i.closed_at) < t);
}
