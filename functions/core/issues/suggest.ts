import type { Issue } from './schema.js';

/** A signature as suggestion scoring sees it. */
export interface SuggestCandidate {
  signature_id: string;
  category: string;
  service: string | null;
  template: string | null;
  excerpt: string | null;
}

export interface Suggestion {
  number: number;
  signature_id: string;
  service: string | null;
  category: string;
  /** 0..1: cosine similarity of word sets, plus a bonus when the issue names the service */
  score: number;
  why: string;
}

const STOP = new Set(['the', 'a', 'an', 'of', 'to', 'in', 'on', 'at', 'and', 'or', 'is', 'for', 'with', 'after', 'from', 'it', 'be', 'by', 'no', 'not']);

/** Lower-case words and numbers; template placeholders (<num>) are dropped. */
export function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().replace(/<[a-z_]+>/g, ' ').split(/[^a-z0-9_.]+/)) {
    const t = w.replace(/^\.+|\.+$/g, '');
    if (t.length >= 2 && !STOP.has(t) && !/^\d+(\.\d+)?$/.test(t)) out.add(t);
  }
  return out;
}

function cosine(a: Set<string>, b: Set<string>): { score: number; shared: string[] } {
  if (a.size === 0 || b.size === 0) return { score: 0, shared: [] };
  const shared = [...a].filter((w) => b.has(w));
  return { score: shared.length / Math.sqrt(a.size * b.size), shared };
}

const issueText = (i: Issue) => [i.title, i.body, ...i.comments.map((c) => c.body)].join('\n');

/** Ranked link suggestions, best first; nothing here is applied, only proposed. */
export function suggestLinks(issues: readonly Issue[], candidates: readonly SuggestCandidate[], minScore = 0.2, perIssue = 3): Suggestion[] {
  const out: Suggestion[] = [];
  for (const issue of issues) {
    const iw = words(issueText(issue));
    const scored = candidates.map((c) => {
      const { score, shared } = cosine(iw, words(`${c.category.replaceAll('_', ' ')} ${c.template ?? ''} ${c.excerpt ?? ''}`));
      const bonus = c.service !== null && issue.services.includes(c.service) ? 0.1 : 0;
      return { number: issue.number, signature_id: c.signature_id, service: c.service, category: c.category, score: Math.min(1, score + bonus), why: `shared words: ${shared.slice(0, 8).join(', ')}` };
    });
    out.push(...scored.filter((s) => s.score >= minScore).sort((a, b) => b.score - a.score).slice(0, perIssue));
  }
  return out.sort((a, b) => b.score - a.score || a.number - b.number);
}
