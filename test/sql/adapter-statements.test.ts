import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigQueryIssueRegistry } from '../../functions/adapters/bigquery/issue-registry.js';
import { bigQueryQueryEngine } from '../../functions/adapters/bigquery/query.js';
import { BigQuerySignatureStore } from '../../functions/adapters/bigquery/signature-store.js';
import { bigQueryQualifier, renderBigQuery, viewOrder } from '../../functions/core/sql/library.js';
import { scalar, type SqlType } from '../../functions/core/sql/types.js';
import { FakeBigQueryJobs } from '../adapters/bigquery/fake-bigquery-jobs.js';
import { issue, link } from '../contracts/issue-registry.contract.js';
import { alert } from '../contracts/signature-store.contract.js';
import { FakeBigQueryQueries } from './fake-bigquery-query.js';
import { library } from './helpers.js';
import { Analyzer, analyzerMessage } from './zetasql.js';

/**
 * Every statement the BigQuery adapters send (the signature store's MERGE, UPDATE and
 * SELECTs on alert_keys; the issue registry's MERGE, its BEGIN/DELETE/INSERT/COMMIT script
 * and SELECTs; the saved-query engine's requests) passes the GoogleSQL analyzer against the
 * tables of schemas/bigquery, with its named parameters declared exactly as sent.
 *
 * Nothing is copied from the adapters: each adapter runs with the real @google-cloud/bigquery
 * client against a local fake server, and the test reads the jobs.query requests off the
 * wire, i.e. the SQL text and every `queryParameters[].parameterType` (ARRAY<STRUCT<...>>
 * included) as BigQuery would receive them.
 */
const PROJECT = 'acme-shop-prod';
const DATASET = 'faultline';
const located = bigQueryQualifier(PROJECT, DATASET);
if (!located.ok) throw new Error(located.error);
const QUALIFIER = located.qualifier; // `acme-shop-prod.faultline`, one quoted identifier to the analyzer

interface RestType {
  type: string;
  arrayType?: RestType;
  structTypes?: { name: string; type: RestType }[];
}

interface Sent {
  /** the request's `query` label */
  label: string;
  query: string;
  params: { name: string; type: SqlType }[];
}

/** A REST parameterType as the client sent it -> the type the analyzer is told. */
function fromRest(t: RestType): SqlType {
  if (t.type === 'ARRAY') return { kind: 'array', element: fromRest(t.arrayType as RestType) };
  if (t.type === 'STRUCT') return { kind: 'struct', fields: (t.structTypes ?? []).map((f) => ({ name: f.name, type: fromRest(f.type) })) };
  const s = scalar(t.type);
  if (!s) throw new Error(`a parameter type this test does not know: ${t.type}`);
  return s;
}

function sent(body: Record<string, unknown> | null): Sent {
  const b = body ?? {};
  const params = (b.queryParameters ?? []) as { name: string; parameterType: RestType }[];
  return {
    label: String((b.labels as Record<string, string> | undefined)?.query ?? ''),
    query: String(b.query ?? ''),
    params: params.map((p) => ({ name: p.name, type: fromRest(p.parameterType) })),
  };
}

const lib = library();
const jobs = new FakeBigQueryJobs();
const queries = new FakeBigQueryQueries();
let analyzer: Analyzer;
const adapterCalls: Sent[] = [];
const savedQueryCalls: Sent[] = [];

/** Each adapter method once, with values that exercise the NULL paths (types must still be sent). */
async function driveAdapters(): Promise<void> {
  const endpoint = await jobs.start();
  const store = new BigQuerySignatureStore({ projectId: PROJECT, dataset: DATASET, apiEndpoint: endpoint, sleep: async () => undefined });
  const a = alert('new_signature|svc|aaaa');
  await store.claim(a, 'sent');
  await store.markDelivered(a.alert_key, '2026-03-02T10:01:00.000Z');
  await store.history(null, 'aaaaaaaaaaaaaaaa');
  await store.list();
  await store.undelivered('2026-03-02T11:00:00.000Z');
  const registry = new BigQueryIssueRegistry({ projectId: PROJECT, dataset: DATASET, apiEndpoint: endpoint });
  await registry.upsert('o/r', [issue(1), issue(2, { state: 'closed', closed_at: '2026-03-05T12:30:00.000Z' })]);
  await registry.list();
  await registry.replaceLinks([link(1, 'aaaaaaaaaaaaaaaa'), link(2, 'bbbbbbbbbbbbbbbb', { service: null, detail: 'x' })]);
  await registry.addLinks([link(3, 'cccccccccccccccc', { service: null, detail: null })], await registry.issuesVersion());
  await registry.links();
  adapterCalls.push(...jobs.calls.map((c) => sent(c.body)));
  if (jobs.unexpected.length > 0) throw new Error(`unexpected requests: ${jobs.unexpected.join(', ')}`);

  // Every file of the library through the saved-query engine, each declared param NULL (its type is still sent).
  const engine = bigQueryQueryEngine({ projectId: PROJECT, dataset: DATASET, apiEndpoint: await queries.start() });
  for (const f of lib.files) {
    const params = f.params.map((p) => {
      if (p.type.kind !== 'scalar') throw new Error(`${f.name}: param ${p.name} is not a scalar`);
      return { name: p.name, type: p.type.name, value: null };
    });
    await engine.run(lib, f, params);
  }
  await engine.close();
  savedQueryCalls.push(...queries.requests.filter((r) => r.method === 'POST').map((r) => sent(r.body)));
}

beforeAll(async () => {
  analyzer = await Analyzer.start(`${PROJECT}.${DATASET}`);
  for (const t of lib.tables) analyzer.addTable(t);
  // The views exist in the dataset (the deploy creates them): the saved-query engine reads them by name.
  for (const v of viewOrder(lib)) analyzer.addTable({ name: v.name, columns: (await analyzer.analyze(renderBigQuery(v, QUALIFIER))).columns });
  await driveAdapters();
}, 60_000);

afterAll(async () => {
  analyzer?.stop();
  await Promise.allSettled([jobs.stop(), queries.stop()]);
});

const analyze = (s: Pick<Sent, 'query' | 'params'>) =>
  analyzer.analyzeStatements(s.query, s.params).catch((err: unknown) => Promise.reject(new Error(analyzerMessage(err))));

function call(label: string): Sent {
  const found = adapterCalls.filter((c) => c.label === label);
  if (found.length !== 1) throw new Error(`expected one request labelled ${label}, got ${found.length}`);
  return found[0] as Sent;
}

const STRING = scalar('STRING') as SqlType;
const TIMESTAMP = scalar('TIMESTAMP') as SqlType;
const INT64 = scalar('INT64') as SqlType;
const struct = (fields: [string, SqlType][]): SqlType => ({ kind: 'array', element: { kind: 'struct', fields: fields.map(([name, type]) => ({ name, type })) } });

// label, the statement kinds the analyzer must resolve, in order
const STATEMENTS: [string, string[]][] = [
  ['alert_keys_claim', ['MERGE']],
  ['alert_keys_mark_delivered', ['UPDATE']],
  ['alert_keys_history', ['QUERY']],
  ['alert_keys_list', ['QUERY']],
  ['alert_keys_undelivered', ['QUERY']],
  ['issues_upsert', ['MERGE']],
  ['issues_list', ['QUERY']],
  // BigQuery runs this as one script; the analyzer resolves its statements one after another, BEGIN and COMMIT included.
  ['issue_links_replace', ['BEGIN', 'DELETE', 'INSERT', 'COMMIT']],
  ['issue_links_add', ['MERGE']],
  ['issues_version', ['QUERY']],
  ['issue_links_list', ['QUERY']],
];

describe('the BigQuery adapters send only statements the analyzer accepts', () => {
  it('every request of the signature store and the issue registry is covered below, once', () => {
    expect(adapterCalls.map((c) => c.label).sort()).toEqual(STATEMENTS.map(([label]) => label).sort());
  });

  it('every SQL builder in the adapters produced one of those requests', () => {
    // A new `const xSql = (table...) =>` in an adapter must get a call in driveAdapters.
    const builders = ['signature-store.ts', 'issue-registry.ts']
      .map((f) => readFileSync(new URL(`../../functions/adapters/bigquery/${f}`, import.meta.url), 'utf8'))
      .reduce((n, text) => n + (text.match(/^const \w+Sql = \(/gm) ?? []).length, 0);
    expect(new Set(adapterCalls.map((c) => c.query)).size).toBe(builders);
  });

  it.each(STATEMENTS)('%s', async (label, kinds) => {
    const c = call(label);
    expect(c.query).toContain(`${QUALIFIER}.`);
    expect(await analyze(c)).toEqual(kinds);
  });

  it('the array-of-struct parameters reach the analyzer with their field types', () => {
    expect(call('issues_upsert').params).toEqual([
      {
        name: 'issues',
        type: struct([
          ['issue_id', STRING], ['repository', STRING], ['number', INT64], ['title', STRING], ['url', STRING], ['state', STRING],
          ['created_at', TIMESTAMP], ['closed_at', TIMESTAMP], ['labels', STRING], ['definition', STRING],
        ]),
      },
      { name: 'imported_at', type: TIMESTAMP },
    ]);
    expect(call('issue_links_replace').params).toEqual([
      {
        name: 'links',
        type: struct([
          ['link_id', STRING], ['issue_id', STRING], ['number', INT64], ['signature_id', STRING], ['service', STRING], ['source', STRING],
          ['detail', STRING], ['linked_at', TIMESTAMP],
        ]),
      },
    ]);
  });

  it('every file of the SQL library, as the saved-query engine sends it', async () => {
    expect(savedQueryCalls.map((c) => c.label).sort()).toEqual(lib.files.map((f) => f.name).sort());
    for (const c of savedQueryCalls) {
      const kinds = await analyze(c).catch((err: Error) => Promise.reject(new Error(`${c.label}: ${err.message}`)));
      expect(kinds, c.label).toEqual(['QUERY']);
    }
  });
});

/**
 * Negative controls: the same statements with one thing wrong, each rejected. They show that
 * DML and scripts are really resolved (names, types, parameters), not just parsed.
 */
describe('the analyzer rejects broken adapter statements', () => {
  const broken = (label: string, from: string | RegExp, to: string) => {
    const c = call(label);
    const query = c.query.replace(from, to);
    if (query === c.query) throw new Error(`${label}: nothing to break (${String(from)})`);
    return { query, params: c.params };
  };

  it.each([
    ['MERGE: a misspelled target column', () => broken('alert_keys_claim', 'UPDATE SET delivery = S.delivery', 'UPDATE SET delivry = S.delivery'), /Unrecognized name: delivry/],
    ['MERGE: a JSON column set from a STRING', () => broken('issues_upsert', 'PARSE_JSON(s.labels) AS labels', 's.labels AS labels'), /Value of type STRING cannot be assigned to labels, which has type JSON/],
    ['MERGE: an undeclared parameter', () => ({ ...call('alert_keys_claim'), params: call('alert_keys_claim').params.filter((p) => p.name !== 'delivery') }), /Query parameter 'delivery' not found/],
    // (Not the other way round: GoogleSQL coerces a STRING parameter to TIMESTAMP, as it does a literal.)
    ['UPDATE: a STRING column set from a TIMESTAMP', () => broken('alert_keys_mark_delivered', 'SET delivered_at = @delivered_at', 'SET alert_key = @delivered_at'), /Value of type TIMESTAMP cannot be assigned to alert_key, which has type STRING/],
    ['DELETE: an unknown table', () => broken('issue_links_replace', /DELETE FROM (`[^`]+`)\.issue_links/, 'DELETE FROM $1.issue_link'), /Table not found: `acme-shop-prod\.faultline`\.issue_link\b/],
    ['INSERT: a misspelled struct field', () => broken('issue_links_replace', 'l.detail,', 'l.detial,'), /Field name detial does not exist in STRUCT/],
    ['INSERT: a missing value', () => broken('issue_links_replace', 'l.detail, l.linked_at FROM', 'l.detail FROM'), /Inserted row has wrong column count/],
    ['SELECT: an unknown column', () => broken('alert_keys_undelivered', 'delivered_at IS NULL', 'delivred_at IS NULL'), /Unrecognized name: delivred_at/],
  ])('%s', async (_what, statement, message) => {
    await expect(analyze(statement())).rejects.toThrow(message);
  });
});
