import { sha256Hex } from '../hash.js';
import { linkOf, markerIds, SYMPTOM_CATEGORIES } from './links.js';
import type { IssueLinkRow } from './rows.js';
import { issueId, type Issue } from './schema.js';

/** A stored signature with every distinct value of each param. */
export interface SignatureFacts {
  signature_id: string;
  category: string;
  service: string | null;
  rule_id: string | null;
  params: Record<string, (string | number)[]>;
}

/** A symptom signature seen in the same start attempt (instance) as a cause signature. */
export interface SymptomPair {
  service: string | null;
  symptom: string;
  cause: string;
}

const row = (repo: string, issue: Issue, sig: string, service: string | null, source: string, detail: string | null, now: string): IssueLinkRow => ({
  link_id: sha256Hex([issueId(repo, issue.number), sig, service ?? '', source].join('\u001f')).slice(0, 32),
  issue_id: issueId(repo, issue.number),
  number: issue.number,
  signature_id: sig,
  service,
  source,
  detail,
  linked_at: now,
});

/** One subject per value combination would explode; a predicate param matches any value seen. */
function linkFacts(issue: Issue, f: SignatureFacts, markers: Set<string>) {
  for (let i = 0; ; i += 1) {
    const params = Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, v[Math.min(i, v.length - 1)] as string | number]));
    const how = linkOf(issue, { ...f, params }, markers);
    if (how || Object.values(f.params).every((v) => i >= v.length - 1)) return how;
  }
}

/** Every link of the registry to the stored signatures, symptoms through their causes. */
export function deriveLinks(issues: readonly { repository: string; issue: Issue }[], facts: readonly SignatureFacts[], pairs: readonly SymptomPair[], now: string): IssueLinkRow[] {
  const out: IssueLinkRow[] = [];
  for (const { repository, issue } of issues) {
    const markers = markerIds(issue);
    const direct = new Set<string>();
    for (const f of facts) {
      if (SYMPTOM_CATEGORIES.has(f.category)) continue;
      const how = linkFacts(issue, f, markers);
      if (!how) continue;
      direct.add(`${f.service}|${f.signature_id}`);
      out.push(row(repository, issue, f.signature_id, f.service, how.source, how.detail, now));
    }
    const symptoms = new Set(pairs.filter((p) => direct.has(`${p.service}|${p.cause}`)).map((p) => `${p.service ?? ''}\u001f${p.symptom}\u001f${p.cause}`));
    for (const s of symptoms) {
      const [service, symptom, cause] = s.split('\u001f') as [string, string, string];
      out.push(row(repository, issue, symptom, service || null, 'symptom', `same start attempt as ${cause}`, now));
    }
  }
  const unique = new Map(out.map((l) => [l.link_id, l]));
  return [...unique.values()];
}
