import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { factsFromRows, LINK_QUERIES, nextLinks, relinkFromQueries, relinkRecent } from '../../functions/app/relink.js';
import { SYMPTOM_CATEGORIES } from '../../functions/core/issues/links.js';
import type { IssueLinkRow } from '../../functions/core/issues/rows.js';
import type { Issue } from '../../functions/core/issues/schema.js';
import type { IssueRegistry } from '../../functions/ports/issue-registry.js';
import type { QueryEngine } from '../../functions/ports/saved-query.js';
import { issue, link } from '../contracts/issue-registry.contract.js';
import { library } from '../sql/helpers.js';

const lib = library();
const CAUSE = '55789aac08a81b51';
const EXIT = '8486a432a4b6380e';

/** Answers the two saved questions with fixed rows, and records the params each got. */
function engine(facts: Record<string, unknown>[], pairs: Record<string, unknown>[]): QueryEngine & { since: unknown[] } {
  const since: unknown[] = [];
  return {
    name: 'stub',
    since,
    run: async (_lib, file, params) => {
      since.push(params.find((p) => p.name === 'since')?.value);
      const rows = file.name === LINK_QUERIES.facts ? facts : pairs;
      return { columns: file.columns.map((c) => c.name), rows };
    },
    close: async () => undefined,
  };
}

class MemoryRegistry implements IssueRegistry {
  writes = 0;
  constructor(readonly issues: { repository: string; issue: Issue }[], public stored: IssueLinkRow[] = []) {}
  upsert = async () => undefined;
  list = async () => this.issues;
  links = async () => this.stored;
  /** runs before a write lands: what another writer did meanwhile */
  meanwhile: (() => void) | null = null;
  /** bumped by every upsert */
  version = 0;
  issuesVersion = async () => String(this.version);
  replaceLinks = async (links: readonly IssueLinkRow[]) => {
    this.land();
    this.stored = [...links];
  };
  addLinks = async (links: readonly IssueLinkRow[], version: string) => {
    this.land();
    if (version !== String(this.version)) return;
    const have = new Set(this.stored.map((l) => l.link_id));
    this.stored = [...this.stored, ...links.filter((l) => !have.has(l.link_id))];
  };
  private land(): void {
    this.writes += 1;
    this.meanwhile?.();
    this.meanwhile = null;
  }
}

const predicateIssue = issue(7, { signatures: [], body: '', comments: [], match: [{ category: 'import_error', params: { module: 'app.monitoring' } }] });
const FACTS = [
  { signature_id: CAUSE, service: 'orders-api', category: 'import_error', rule_id: 'python.module_not_found', param_sets: ['{"module":"other"}', '{"module":"app.monitoring"}'] },
  { signature_id: EXIT, service: 'orders-api', category: 'exit_code', rule_id: null, param_sets: ['{"exit_code":3}'] },
];
const PAIRS = [{ service: 'orders-api', symptom: EXIT, cause: CAUSE }];

describe('the saved SQL behind issue links', () => {
  it('names the same symptom categories as the code', () => {
    const sql = readFileSync(new URL('../../sql/analyses/issue_link_symptoms.sql', import.meta.url), 'utf8');
    const listed = /category IN \(([^)]*)\) AS is_symptom/.exec(sql)?.[1] ?? '';
    expect(listed.split(',').map((s) => s.trim().replace(/'/g, '')).sort()).toEqual([...SYMPTOM_CATEGORIES].sort());
  });

  it('facts merge the distinct params objects into every value of each param', () => {
    const [f] = factsFromRows([{ ...FACTS[0], param_sets: ['{"module":"a","n":1}', '{"module":"b","n":1}', '{}'] }] as never);
    expect(f?.params).toEqual({ module: ['a', 'b'], n: [1] });
  });
});

describe('relinkFromQueries', () => {
  it('links by predicate on any value seen, and the symptom of the same instance', async () => {
    const registry = new MemoryRegistry([{ repository: 'o/r', issue: predicateIssue }]);
    const out = await relinkFromQueries(registry, engine(FACTS, PAIRS), lib, { nowIso: '2026-03-02T10:00:00.000Z', sinceIso: '2026-03-01T00:00:00.000Z', mode: 'replace' });
    expect(out).toEqual({ links: 2, written: true });
    expect(registry.stored.map((l) => [l.signature_id, l.source]).sort()).toEqual([[CAUSE, 'predicate'], [EXIT, 'symptom']]);
  });

  it('writes nothing when the links did not change, and keeps when each was first made', async () => {
    const registry = new MemoryRegistry([{ repository: 'o/r', issue: predicateIssue }]);
    const run = { sinceIso: '2026-03-01T00:00:00.000Z', mode: 'replace' as const };
    await relinkFromQueries(registry, engine(FACTS, PAIRS), lib, { ...run, nowIso: '2026-03-02T10:00:00.000Z' });
    const again = await relinkFromQueries(registry, engine(FACTS, PAIRS), lib, { ...run, nowIso: '2026-03-02T11:00:00.000Z' });
    expect(again).toEqual({ links: 2, written: false });
    expect(registry.writes).toBe(1);
    expect(registry.stored.map((l) => l.linked_at)).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-02T10:00:00.000Z']);
  });

  it('a tick (extend) only adds links, keeping those its window did not see; a full relink (replace) drops them', async () => {
    const old = link(7, 'cccccccccccccccc', { issue_id: 'o/r#7' });
    const gone = link(9, 'dddddddddddddddd', { issue_id: 'o/r#9' });
    const registry = new MemoryRegistry([{ repository: 'o/r', issue: predicateIssue }], [old, gone]);
    const stub = engine(FACTS, PAIRS);
    expect(await relinkRecent(registry, stub, lib, '2026-03-02T10:00:00.000Z', 27)).toEqual({ links: 4, written: true });
    expect(stub.since).toEqual(['2026-03-01T07:00:00.000000Z', '2026-03-01T07:00:00.000000Z']);
    expect(registry.stored.map((l) => l.signature_id).sort()).toEqual([CAUSE, EXIT, 'cccccccccccccccc', 'dddddddddddddddd']);
    expect(await relinkRecent(registry, stub, lib, '2026-03-02T10:05:00.000Z', 27)).toEqual({ links: 4, written: false });
    // the issue of `gone` is not in the registry: a full relink drops its link
    await relinkFromQueries(registry, stub, lib, { nowIso: '2026-03-02T11:00:00.000Z', sinceIso: '2026-03-01T00:00:00.000Z', mode: 'replace' });
    expect(registry.stored.map((l) => l.signature_id).sort()).toEqual([CAUSE, EXIT]);
  });

  it('a tick that read the links before an import replaced them does not undo the import', async () => {
    const registry = new MemoryRegistry([{ repository: 'o/r', issue: predicateIssue }], [link(7, 'cccccccccccccccc', { issue_id: 'o/r#7' })]);
    const imported = [link(7, 'eeeeeeeeeeeeeeee', { issue_id: 'o/r#7', link_id: 'from-import' })];
    // the import's full relink lands between the tick's reads and its write
    registry.meanwhile = () => void (registry.stored = [...imported]);
    await relinkRecent(registry, engine(FACTS, PAIRS), lib, '2026-03-02T10:00:00.000Z', 27);
    expect(registry.stored.map((l) => l.link_id)).toContain('from-import');
    expect(registry.stored.map((l) => l.signature_id).sort()).toEqual([CAUSE, EXIT, 'eeeeeeeeeeeeeeee']);
  });

  it('a tick whose issues an import changed before its write adds nothing derived from the old issues', async () => {
    const registry = new MemoryRegistry([{ repository: 'o/r', issue: predicateIssue }]);
    const imported = [link(7, 'eeeeeeeeeeeeeeee', { issue_id: 'o/r#7', link_id: 'from-import' })];
    // the import upserts the issues (a new version) and relinks, after the tick read them
    registry.meanwhile = () => {
      registry.version += 1;
      registry.stored = [...imported];
    };
    expect(await relinkRecent(registry, engine(FACTS, PAIRS), lib, '2026-03-02T10:00:00.000Z', 27)).toMatchObject({ written: true });
    expect(registry.stored).toEqual(imported);
    // the next tick reads the new issues and adds what they still link
    await relinkRecent(registry, engine(FACTS, PAIRS), lib, '2026-03-02T10:10:00.000Z', 27);
    expect(registry.stored.map((l) => l.signature_id).sort()).toEqual([CAUSE, EXIT, 'eeeeeeeeeeeeeeee']);
  });

  it('nextLinks: a stored link keeps its linked_at and detail under the same id', () => {
    const stored = link(7, CAUSE, { link_id: 'x', linked_at: '2026-01-01T00:00:00.000Z' });
    const derived = { ...stored, linked_at: '2026-03-02T00:00:00.000Z' };
    expect(nextLinks([derived], [stored])).toEqual([stored]);
  });
});
