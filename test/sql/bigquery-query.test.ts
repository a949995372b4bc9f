import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bigQueryQueryEngine } from '../../functions/adapters/bigquery/query.js';
import { runSavedQuery } from '../../functions/app/saved-query.js';
import { findFile } from '../../functions/core/sql/library.js';
import type { ResultRow } from '../../functions/core/sql/values.js';
import { FakeBigQueryQueries, type Field } from './fake-bigquery-query.js';
import { library } from './helpers.js';

/**
 * `faultline query --bigquery` at the wire: the real BigQuery client against a local HTTP
 * server that records the jobs.query request. The SQL sent is the file's own, with the
 * dataset filled in; every value travels as a typed named query parameter.
 */
const lib = library();
const fake = new FakeBigQueryQueries();
let endpoint: string;

beforeAll(async () => {
  endpoint = await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.failWith = null;
  fake.result = { fields: [], rows: [] };
});

const engine = () => bigQueryQueryEngine({ projectId: 'acme-shop-prod', dataset: 'faultline', apiEndpoint: endpoint });
const micros = (iso: string) => String(Date.parse(iso) * 1000);

/** The golden answer of top_root_causes on the fixture, as BigQuery's REST API would send it. */
const GOLDEN = JSON.parse(readFileSync(fileURLToPath(new URL('./golden/top_root_causes.json', import.meta.url)), 'utf8')) as { rows: ResultRow[] };
const FIELDS: Field[] = [
  { name: 'rank', type: 'INTEGER' },
  { name: 'root_cause_signature_id', type: 'STRING' },
  { name: 'service', type: 'STRING' },
  { name: 'root_cause_category', type: 'STRING' },
  { name: 'root_cause_template', type: 'STRING' },
  { name: 'failed_attempts', type: 'INTEGER' },
  { name: 'share_of_failures', type: 'FLOAT' },
  { name: 'revisions', type: 'STRING', mode: 'REPEATED' },
  { name: 'first_failure', type: 'TIMESTAMP' },
  { name: 'last_failure', type: 'TIMESTAMP' },
];
const cell = (f: Field, v: ResultRow[string]) => {
  if (f.mode === 'REPEATED') return { v: (v as string[]).map((x) => ({ v: x })) };
  if (f.type === 'TIMESTAMP') return { v: micros(v as string) };
  return { v: v === null ? null : String(v) };
};

async function run(name: string, params: Record<string, string> = {}) {
  const e = engine();
  try {
    const outcome = await runSavedQuery(e, lib, name, params);
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.answer;
  } finally {
    await e.close();
  }
}

describe('a saved question on BigQuery', () => {
  it('sends the file as written, with the dataset qualified and named, typed parameters', async () => {
    fake.result = { fields: FIELDS, rows: GOLDEN.rows.map((r) => ({ f: FIELDS.map((f) => cell(f, r[f.name] ?? null)) })) };
    await run('top_root_causes', { until: '2026-03-05T00:00:00Z', days: '7' });
    const [request] = fake.requests;
    expect([request?.method, request?.path]).toEqual(['POST', '/bigquery/v2/projects/acme-shop-prod/queries']);
    const body = request?.body as Record<string, unknown>;
    const file = findFile(lib, 'top_root_causes');
    expect(body.query).toBe(file?.text.replaceAll('${dataset}', '`acme-shop-prod.faultline`'));
    expect(body.useLegacySql).toBe(false);
    expect(String(body.parameterMode).toUpperCase()).toBe('NAMED');
    expect(body.queryParameters).toEqual([
      { name: 'days', parameterType: { type: 'INT64' }, parameterValue: { value: '7' } },
      { name: 'until', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2026-03-05T00:00:00.000000Z' } },
      { name: 'service', parameterType: { type: 'STRING' }, parameterValue: { value: null } },
      { name: 'top', parameterType: { type: 'INT64' }, parameterValue: { value: '10' } },
    ]);
  });

  it('gives the rows the same shape as the local engine (the golden answer)', async () => {
    fake.result = { fields: FIELDS, rows: GOLDEN.rows.map((r) => ({ f: FIELDS.map((f) => cell(f, r[f.name] ?? null)) })) };
    expect((await run('top_root_causes', { until: '2026-03-05T00:00:00Z' })).rows).toEqual(GOLDEN.rows);
  });

  it('never puts a value into the SQL, whatever it contains', async () => {
    fake.result = { fields: FIELDS, rows: [] };
    const hostile = "orders-api' OR TRUE; DROP TABLE faultline.failure_events --";
    await run('top_root_causes', { service: hostile });
    const body = fake.requests[0]?.body as { query: string; queryParameters: { name: string; parameterValue: { value: unknown } }[] };
    expect(body.query).not.toContain('DROP TABLE');
    expect(body.query).toContain('@service');
    expect(body.queryParameters.find((p) => p.name === 'service')?.parameterValue.value).toBe(hostile);
  });

  it('reads an empty result (BigQuery then sends no rows at all) with its columns', async () => {
    fake.result = { fields: [{ name: 'event_id', type: 'STRING' }, { name: 'copies', type: 'INTEGER' }], rows: [] };
    const answer = await run('duplicate_event_ids');
    expect(answer.rows).toEqual([]);
    expect((fake.requests[0]?.body as { queryParameters?: unknown }).queryParameters).toBeUndefined();
  });

  it('runs a view as SELECT * from the deployed view', async () => {
    fake.result = { fields: [{ name: 'category', type: 'STRING' }, { name: 'specificity', type: 'INTEGER' }], rows: [{ f: [{ v: 'import_error' }, { v: '300' }] }] };
    const answer = await run('category_specificity');
    expect((fake.requests[0]?.body as { query: string }).query).toBe('SELECT * FROM `acme-shop-prod.faultline`.category_specificity');
    expect(answer.rows).toEqual([{ category: 'import_error', specificity: 300 }]);
  });

  it("fails with BigQuery's message when the query fails", async () => {
    fake.failWith = { status: 404, reason: 'notFound', message: 'Not found: Table acme-shop-prod:faultline.start_attempts was not found in location EU' };
    await expect(run('top_root_causes')).rejects.toThrow(/start_attempts was not found/);
  });

  it('refuses a dataset name that is not one', () => {
    expect(() => bigQueryQueryEngine({ projectId: 'acme-shop-prod', dataset: 'x`; DROP', apiEndpoint: endpoint })).toThrow(/bad dataset name/);
  });
});
