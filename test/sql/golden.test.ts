import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRow } from '../../functions/core/sql/values.js';
import { FIXTURE, library, LocalQueries, replayIntoNewDb, type FixtureDb } from './helpers.js';
import { instanceId, STORY_ATTEMPTS, STORY_TIMEOUTS_S } from './incident-story.js';

/**
 * Every view and saved question of sql/ on the fixture incident (test/fixtures/sql), run
 * through the real pipeline into DuckDB and queried as `faultline query` does, against
 * golden results in test/sql/golden/. After a deliberate change, review and refresh them
 * with `UPDATE_GOLDEN=1 npx vitest run test/sql/golden.test.ts`.
 */
const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Params of each analysis for its golden run: windows end after the incident, not "now". */
const PARAMS: Record<string, Record<string, string>> = {
  new_signatures: { since: '2026-03-03T00:00:00Z' },
  top_root_causes: { until: '2026-03-05T00:00:00Z' },
  success_rate_slo: { until: '2026-03-05T00:00:00Z', slo: '0.9' },
  signatures_after_revision: { revision: 'orders-api-00041-xab' },
  escalating_timeouts: {},
  alert_signature_hourly: { since: '2026-03-01T00:00:00Z' },
  alert_startup_hourly: { since: '2026-03-01T00:00:00Z' },
  issue_link_facts: { since: '2026-03-01T00:00:00Z' },
  issue_link_symptoms: { since: '2026-03-01T00:00:00Z' },
};

/** Columns that name the rule set's version, which changes with every rule edit. */
const VOLATILE = new Set(['classifier_version']);

const lib = library();
let fixture: FixtureDb;
let queries: LocalQueries;

beforeAll(async () => {
  fixture = await replayIntoNewDb(FIXTURE);
  queries = await LocalQueries.open(fixture.path, lib);
});

afterAll(async () => {
  await queries?.close();
  fixture?.remove();
});

function stable(rows: ResultRow[], ordered: boolean): ResultRow[] {
  const kept = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE.has(k))));
  // A view has no order of its own; an analysis's ORDER BY is part of its answer.
  return ordered ? kept : [...kept].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe('the fixture replay', () => {
  it('stores every entry once and keeps the truncated line as a rejection', () => {
    expect(fixture.summary.rejected).toBe(1);
    // 211 lines: one exported twice (one row), one truncated (rejected_entries)
    expect(fixture.summary.records).toBe(211);
  });
});

describe.each(lib.files.filter((f) => f.kind !== 'check').map((f) => [f.name, f.kind] as const))('%s (%s)', (name, kind) => {
  it('gives the golden rows', async () => {
    const params = PARAMS[name] ?? {};
    const answer = await queries.run(name, params);
    const rows = stable(answer.rows, kind === 'analysis');
    const path = `${GOLDEN_DIR}${name}.json`;
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(path, JSON.stringify({ params, rows }, null, 1) + '\n');
    }
    expect(existsSync(path), `no golden file ${path}: review the rows and run with UPDATE_GOLDEN=1`).toBe(true);
    const golden = JSON.parse(readFileSync(path, 'utf8')) as { params: Record<string, string>; rows: ResultRow[] };
    expect(golden.params).toEqual(params);
    expect(rows).toEqual(golden.rows);
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe.each(lib.files.filter((f) => f.kind === 'check').map((f) => f.name))('check %s', (name) => {
  it('finds nothing wrong with the fixture', async () => {
    expect((await queries.run(name)).rows).toEqual([]);
  });
});

describe('what the views conclude, against the story of the incident', () => {
  it('start_attempts: one row per attempt, with the outcome and root cause of the story', async () => {
    const rows = (await queries.run('start_attempts')).rows;
    const got = rows.map((r) => [r.attempt_id, r.service, r.revision, r.outcome, r.root_cause_category]).sort();
    const want = STORY_ATTEMPTS.map((a) => [a.id.includes('@') ? a.id : instanceId(a.id), a.service, a.revision, a.outcome, a.rootCause]).sort();
    expect(got).toEqual(want);
  });

  it('start_attempts: the root cause of an import error attempt is the import error, not what it caused', async () => {
    const b1 = (await queries.run('start_attempts')).rows.find((r) => r.attempt_id === instanceId('b1')) as ResultRow;
    expect(b1.category_chain).toEqual(expect.arrayContaining(['import_error', 'app_startup_failed', 'exit_code', 'startup_probe_failed']));
    expect(b1.root_cause_category).toBe('import_error');
  });

  it('startup_success_hourly adds up to the attempts of the story', async () => {
    const rows = (await queries.run('startup_success_hourly')).rows;
    const sum = (k: string) => rows.reduce((n, r) => n + (r[k] as number), 0);
    const count = (o: string) => STORY_ATTEMPTS.filter((a) => a.outcome === o).length;
    expect([sum('attempts'), sum('successes'), sum('failures'), sum('unknown')]).toEqual([STORY_ATTEMPTS.length, count('success'), count('failure'), count('unknown')]);
  });

  it('escalating_timeouts shows the phase 3 timeout raised from 8.0 s to 20.0 s to 25.0 s', async () => {
    const rows = (await queries.run('escalating_timeouts')).rows;
    const db = rows.filter((r) => r.category === 'db_init_timeout' && r.param === 'timeout_s');
    expect(db.map((r) => r.values_in_order)).toEqual([STORY_TIMEOUTS_S]);
    expect(rows.every((r) => (r.raises as number) > 0)).toBe(true);
  });

  it('top_root_causes counts each failed attempt once, by its root cause', async () => {
    const rows = (await queries.run('top_root_causes', PARAMS.top_root_causes)).rows;
    const byCategory = Object.fromEntries(rows.map((r) => [r.root_cause_category, r.failed_attempts]));
    const story: Record<string, number> = {};
    for (const a of STORY_ATTEMPTS) if (a.rootCause) story[a.rootCause] = (story[a.rootCause] ?? 0) + 1;
    expect(byCategory).toEqual(story);
  });

  it('signatures_after_revision names the import error as brought by the deploy', async () => {
    const rows = (await queries.run('signatures_after_revision', PARAMS.signatures_after_revision)).rows;
    const first = rows[0] as ResultRow;
    expect([first.category, first.in_revision]).toEqual(['import_error', true]);
  });
});
