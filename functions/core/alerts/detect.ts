import { owner, regressedIssues } from '../issues/links.js';
import type { Issue } from '../issues/schema.js';
import { ESCALATION_PARAMS, escalationKey, isSymptom, logsUrl, newSignatureKey, regressionKey, type AlertEntry } from './policy.js';
import type { Alert, AlertIssue, AlertKind } from './schema.js';

/** An issue linked to the entry's signature, and how (explicit, predicate, marker, symptom). */
export interface LinkedIssue {
  issue: Issue;
  link: string;
}

export const toAlertIssue = (l: LinkedIssue): AlertIssue => ({
  number: l.issue.number,
  title: l.issue.title,
  url: l.issue.url,
  state: l.issue.state,
  closed_at: l.issue.closed_at,
  link: l.link,
});

function ownerOf(linked: readonly LinkedIssue[]): AlertIssue | null {
  const o = owner(linked.map((l) => l.issue));
  const l = o && linked.find((x) => x.issue === o);
  return l ? toAlertIssue(l) : null;
}

type Extra = Partial<Pick<Alert, 'regression' | 'escalation' | 'summary'>>;

export function entryAlert(kind: AlertKind, key: string, e: AlertEntry, linked: readonly LinkedIssue[], raisedAt: string, extra: Extra = {}): Alert {
  return {
    schema: 'faultline-alert/v1',
    alert_key: key,
    kind,
    summary: extra.summary ?? '',
    service: e.service,
    project: e.project,
    signature_id: e.signature_id,
    category: e.category,
    params: e.params,
    first_seen: e.timestamp,
    raised_at: raisedAt,
    count: 1,
    revision: e.revision,
    event_id: e.event_id,
    example: e.excerpt,
    issue: ownerOf(linked),
    regression: extra.regression ?? null,
    escalation: extra.escalation ?? null,
    measure: null,
    digest: null,
    logs_url: logsUrl({ project: e.project, service: e.service, first_seen: e.timestamp }),
  };
}

const paramText = (p: Record<string, string | number>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
const issueText = (i: AlertIssue | null) => (i ? ` (issue #${i.number}${i.state === 'closed' ? ', closed' : ''})` : '');

/** Numeric limit params of the entry: the values escalation compares. */
export function limitParams(e: AlertEntry): [string, number][] {
  return Object.entries(e.params).filter((kv): kv is [string, number] => ESCALATION_PARAMS.has(kv[0]) && typeof kv[1] === 'number');
}

/**
 * The alerts an entry may raise, before the atomic claim decides which are raised for
 * the first time. `knownMax` holds the highest limit values already alerted for its
 * signature (null: the signature was never alerted, so no escalation yet).
 */
export function entryCandidates(e: AlertEntry, linked: readonly LinkedIssue[], knownMax: Readonly<Record<string, number>> | null, raisedAt: string): Alert[] {
  const sig = e.signature_id;
  if (sig === null) return [];
  const svc = e.service ?? '?';
  const first = entryAlert('new_signature', newSignatureKey(e.service, sig), e, linked, raisedAt);
  first.summary = `New signature on ${svc}: ${e.category} ${paramText(e.params)}`.trimEnd() + issueText(first.issue);
  const out = [first];
  if (!isSymptom(e.category)) {
    for (const closed of regressedIssues(linked.map((l) => l.issue), e.timestamp)) {
      const l = linked.find((x) => x.issue === closed) as LinkedIssue;
      const a = entryAlert('regression', regressionKey(e.service, sig, closed.number), e, linked, raisedAt, { regression: { closed_issue: toAlertIssue(l), closed_at: closed.closed_at as string } });
      const now = a.issue && a.issue.number !== closed.number ? `; now tracked in #${a.issue.number}` : '';
      a.summary = `Regression on ${svc}: ${e.category} is back after #${closed.number} was closed at ${closed.closed_at}${now}`;
      out.push(a);
    }
  }
  for (const [param, to] of limitParams(e)) {
    const from = knownMax?.[param];
    if (from === undefined || to <= from) continue;
    const a = entryAlert('escalation', escalationKey(e.service, sig, param, to), e, linked, raisedAt, { escalation: { param, from, to } });
    a.summary = `Escalation on ${svc}: ${e.category} ${param} ${from} → ${to} (same signature, a raised limit)` + issueText(a.issue);
    out.push(a);
  }
  return out;
}
