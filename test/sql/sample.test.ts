import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { library, LocalQueries, replayIntoNewDb, SAMPLE, type FixtureDb } from './helpers.js';

/**
 * The bundled three-day sample (samples/incident, what `npm start` shows) through the whole
 * library: every view and question runs, every check passes, and the incident's headline
 * facts come out. No golden rows here: the sample belongs to local mode and may be
 * regenerated; test/sql/golden.test.ts pins exact answers on its own fixture.
 */
const lib = library();
let fixture: FixtureDb;
let queries: LocalQueries;

describe.runIf(existsSync(SAMPLE))('the bundled sample incident', () => {
  beforeAll(async () => {
    fixture = await replayIntoNewDb(SAMPLE);
    queries = await LocalQueries.open(fixture.path, lib);
  }, 120_000);

  afterAll(async () => {
    await queries?.close();
    fixture?.remove();
  });

  it.each(lib.files.filter((f) => f.kind === 'check').map((f) => f.name))('check %s passes', async (name) => {
    expect((await queries.run(name)).rows).toEqual([]);
  });

  it('every start attempt has an outcome and every failure a root cause', async () => {
    const rows = (await queries.run('start_attempts')).rows;
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.outcome === 'failure' && r.root_cause_category === null)).toEqual([]);
    expect(rows.filter((r) => r.outcome !== 'failure' && r.root_cause_category !== null)).toEqual([]);
  });

  it('the root causes are the import error and the database timeout, never their symptoms', async () => {
    const rows = (await queries.run('top_root_causes', { until: '2026-03-06T00:00:00Z' })).rows;
    expect(rows.map((r) => r.root_cause_category).sort()).toEqual(['db_init_timeout', 'import_error']);
  });

  it('the phase 3 timeout escalates 8 -> 20 -> 25', async () => {
    const rows = (await queries.run('escalating_timeouts')).rows;
    expect(rows.find((r) => r.category === 'db_init_timeout' && r.param === 'timeout_s')?.values_in_order).toEqual([8, 20, 25]);
  });

  it('the import error came with revision 00041', async () => {
    const rows = (await queries.run('signatures_after_revision', { revision: 'orders-api-00041-xab' })).rows;
    expect(rows.find((r) => r.category === 'import_error')?.in_revision).toBe(true);
  });

  it('every view and question answers', async () => {
    const params: Record<string, Record<string, string>> = {
      new_signatures: { since: '2026-03-02T00:00:00Z' },
      signatures_after_revision: { revision: 'orders-api-00042-mop' },
      alert_signature_hourly: { since: '2026-03-02T00:00:00Z' },
      alert_startup_hourly: { since: '2026-03-02T00:00:00Z' },
      issue_link_facts: { since: '2026-03-02T00:00:00Z' },
      issue_link_symptoms: { since: '2026-03-02T00:00:00Z' },
    };
    for (const f of lib.files.filter((g) => g.kind !== 'check')) {
      const answer = await queries.run(f.name, params[f.name] ?? {});
      expect(answer.columns.length, f.name).toBeGreaterThan(0);
    }
  });
});
