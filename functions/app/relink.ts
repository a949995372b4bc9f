import { deriveLinks, type SignatureFacts, type SymptomPair } from '../core/issues/derive.js';
import type { IssueLinkRow } from '../core/issues/rows.js';
import type { SqlLibrary } from '../core/sql/library.js';
import type { ResultRow } from '../core/sql/values.js';
import type { IssueRegistry } from '../ports/issue-registry.js';
import type { QueryEngine } from '../ports/saved-query.js';
import { runSavedQuery } from './saved-query.js';

/** The saved SQL (sql/analyses) that issue links are derived from, on either engine. */
export const LINK_QUERIES = { facts: 'issue_link_facts', symptoms: 'issue_link_symptoms' } as const;

/** Before any stored entry: the local database has no retention, so a full relink reads it all. */
export const ALL_TIME = '1970-01-01T00:00:00.000Z';

/** failure_events' partition expiration (schemas/tables.json): older rows no longer exist in BigQuery. */
export const RETENTION_DAYS = 400;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const before = (iso: string, ms: number) => new Date(Date.parse(iso) - ms).toISOString();
export const retentionStart = (nowIso: string) => before(nowIso, RETENTION_DAYS * DAY_MS);

type ParamValue = string | number;
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The distinct params objects of a signature -> every distinct value of each param, as deriveLinks takes them. */
function paramValues(sets: unknown): Record<string, ParamValue[]> {
  const out: Record<string, ParamValue[]> = {};
  for (const set of Array.isArray(sets) ? sets : []) {
    const parsed = JSON.parse(String(set)) as Record<string, unknown> | null;
    for (const [name, value] of Object.entries(parsed ?? {})) {
      const values = (out[name] ??= []);
      if (!values.some((v) => String(v) === String(value))) values.push(value as ParamValue);
    }
  }
  return out;
}

export function factsFromRows(rows: readonly ResultRow[]): SignatureFacts[] {
  return rows.map((r) => ({ signature_id: String(r.signature_id), service: text(r.service), category: String(r.category), rule_id: text(r.rule_id), params: paramValues(r.param_sets) }));
}

export function pairsFromRows(rows: readonly ResultRow[]): SymptomPair[] {
  return rows.map((r) => ({ service: text(r.service), symptom: String(r.symptom), cause: String(r.cause) }));
}

async function rowsOf(engine: QueryEngine, lib: SqlLibrary, name: string, sinceIso: string): Promise<ResultRow[]> {
  const outcome = await runSavedQuery(engine, lib, name, { since: sinceIso });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.answer.rows;
}

/** Signature facts and symptom pairs of the entries at or after `sinceIso`. */
export async function linkInputs(engine: QueryEngine, lib: SqlLibrary, sinceIso: string): Promise<{ facts: SignatureFacts[]; pairs: SymptomPair[] }> {
  const [facts, pairs] = await Promise.all([rowsOf(engine, lib, LINK_QUERIES.facts, sinceIso), rowsOf(engine, lib, LINK_QUERIES.symptoms, sinceIso)]);
  return { facts: factsFromRows(facts), pairs: pairsFromRows(pairs) };
}

/**
 * `replace`: the links are the derived ones (the window covers every stored entry).
 * `extend`: the window is recent, so a tick only adds the derived links not stored yet.
 */
export type RelinkMode = 'replace' | 'extend';

/** The derived links, a stored one keeping its linked_at (when it was first made), so an unchanged set compares equal. */
export function nextLinks(derived: readonly IssueLinkRow[], stored: readonly IssueLinkRow[]): IssueLinkRow[] {
  const old = new Map(stored.map((l) => [l.link_id, l]));
  const next = new Map(derived.map((l) => [l.link_id, { ...l, linked_at: old.get(l.link_id)?.linked_at ?? l.linked_at }]));
  return [...next.values()].sort((a, b) => a.link_id.localeCompare(b.link_id));
}

/** Derived links whose id is not stored, once each (sorted by id, as nextLinks gives them). */
function newLinks(derived: readonly IssueLinkRow[], stored: readonly IssueLinkRow[]): IssueLinkRow[] {
  const storedIds = new Set(stored.map((l) => l.link_id));
  return nextLinks(derived, []).filter((l) => !storedIds.has(l.link_id));
}

// Explicit columns: stored and derived rows list their fields in different orders, and the engines differ in timestamp precision.
const canonical = (links: readonly IssueLinkRow[]) =>
  JSON.stringify(
    links
      .map((l) => [l.link_id, l.issue_id, l.number, l.signature_id, l.service, l.source, l.detail, new Date(l.linked_at).toISOString()])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );

export interface RelinkRun {
  nowIso: string;
  /** the window: entries at or after it */
  sinceIso: string;
  mode: RelinkMode;
}

export interface RelinkOutcome {
  links: number;
  /** false when the stored links were already these (no DML sent) */
  written: boolean;
}

/**
 * Recomputes issue_links from the registry and the saved SQL; writes only when they changed.
 * `replace` writes the whole set. `extend` (a tick) only adds the links not stored, and only
 * while the issues are as it read them: an import may have replaced the links and changed
 * the issues since; adding cannot undo the replacement (writing its whole view back would),
 * and the version check keeps links derived from the old issues out. Links of issues no
 * longer in the registry are therefore dropped by full relinks only.
 */
export async function relinkFromQueries(registry: IssueRegistry, engine: QueryEngine, lib: SqlLibrary, run: RelinkRun): Promise<RelinkOutcome> {
  // read before the issues: an import after it makes a tick's write add nothing
  const version = run.mode === 'extend' ? await registry.issuesVersion() : '';
  const [issues, stored, { facts, pairs }] = await Promise.all([registry.list(), registry.links(), linkInputs(engine, lib, run.sinceIso)]);
  const derived = deriveLinks(issues, facts, pairs, run.nowIso);
  if (run.mode === 'extend') {
    const added = newLinks(derived, stored);
    if (added.length > 0) await registry.addLinks(added, version);
    return { links: stored.length + added.length, written: added.length > 0 };
  }
  const links = nextLinks(derived, stored);
  if (canonical(links) === canonical(stored)) return { links: links.length, written: false };
  await registry.replaceLinks(links);
  return { links: links.length, written: true };
}

/**
 * What every evaluateAlerts tick runs: the links of the entries of the last `lookbackHours`
 * added to the stored ones. The window overlaps the previous tick's by far, so an entry that
 * arrived late or a tick that failed is caught up by the next one.
 */
export function relinkRecent(registry: IssueRegistry, engine: QueryEngine, lib: SqlLibrary, nowIso: string, lookbackHours: number): Promise<RelinkOutcome> {
  return relinkFromQueries(registry, engine, lib, { nowIso, sinceIso: before(nowIso, lookbackHours * HOUR_MS), mode: 'extend' });
}
