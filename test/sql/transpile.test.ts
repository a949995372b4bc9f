import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Dialect, transpile } from '@polyglot-sql/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckDbParams, prepareConnection } from '../../functions/adapters/duckdb/query.js';
import { MISTRANSLATED, mistranslations, toDuckDb, transpileBigQuery } from '../../functions/adapters/sql/transpile.js';
import { buildLibrary } from '../../functions/core/sql/library.js';
import { bindParams } from '../../functions/core/sql/params.js';
import { parseHeader } from '../../functions/core/sql/header.js';

/**
 * The BigQuery -> DuckDB translation the local mode relies on. The constructs the library
 * uses must keep BigQuery's meaning (each expected value below is what BigQuery returns,
 * per its documentation); the ones Polyglot gets wrong must be refused, and are shown
 * to be wrong, so that the list shrinks when Polyglot fixes them.
 */
let c: DuckDBConnection;
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  c = await instance.connect();
  // the settings `faultline query` runs with
  await prepareConnection(c);
});

afterAll(() => {
  c?.closeSync();
  instance?.closeSync();
});

async function duck(bigquerySql: string): Promise<unknown> {
  const t = transpileBigQuery(bigquerySql);
  if (!t.ok) throw new Error(t.error);
  const rows = (await c.runAndReadAll(t.sql)).getRowObjectsJson();
  return Object.values(rows[0] ?? {})[0];
}

describe('constructs of the library keep their BigQuery meaning on DuckDB', () => {
  it.each([
    ['COUNTIF', 'SELECT COUNTIF(x > 1) FROM UNNEST([1, 2, 3]) AS x', '2'],
    ['SAFE_DIVIDE by zero is NULL', 'SELECT SAFE_DIVIDE(1, 0)', null],
    ['integer division is FLOAT64', 'SELECT 7 / 2', 3.5],
    ['QUALIFY', 'SELECT COUNT(*) FROM (SELECT x FROM UNNEST([1, 1, 2]) AS x WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY x ORDER BY x) = 1)', '2'],
    ['ARRAY_AGG IGNORE NULLS ORDER BY', 'SELECT ARRAY_AGG(x IGNORE NULLS ORDER BY x DESC) FROM UNNEST([1, NULL, 3]) AS x', [3, 1]],
    ['ARRAY_AGG DISTINCT ORDER BY', "SELECT ARRAY_AGG(DISTINCT x ORDER BY x) FROM UNNEST(['b', 'a', 'b']) AS x", ['a', 'b']],
    ['NULLs sort first ascending', 'SELECT ARRAY_AGG(IFNULL(CAST(x AS STRING), "null") ORDER BY x) FROM UNNEST([2, NULL, 1]) AS x', ['null', '1', '2']],
    ['NULLs sort last descending', 'SELECT ARRAY_AGG(IFNULL(CAST(x AS STRING), "null") ORDER BY x DESC) FROM UNNEST([2, NULL, 1]) AS x', ['2', '1', 'null']],
    ['|| with NULL is NULL', "SELECT 'a' || CAST(NULL AS STRING)", null],
    ['OFFSET(0)', 'SELECT [10, 20, 30][OFFSET(0)]', 10],
    ['ORDINAL(ARRAY_LENGTH)', 'SELECT a[ORDINAL(ARRAY_LENGTH(a))] FROM (SELECT [10, 20, 30] AS a)', 30],
    ['JSON_EXTRACT_SCALAR of a number', `SELECT SAFE_CAST(JSON_EXTRACT_SCALAR(JSON '{"timeout_s": 20.5}', '$.timeout_s') AS FLOAT64)`, 20.5],
    ['JSON_EXTRACT_SCALAR of a string', `SELECT JSON_EXTRACT_SCALAR(JSON '{"module": "app.monitoring"}', '$.module')`, 'app.monitoring'],
    ['FORMAT_TIMESTAMP', "SELECT FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', TIMESTAMP '2026-03-02 12:30:05.25+00')", '2026-03-02T12:30:05Z'],
    ['TIMESTAMP_TRUNC to the hour', "SELECT FORMAT_TIMESTAMP('%Y-%m-%d %H:%M:%S', TIMESTAMP_TRUNC(TIMESTAMP '2026-03-02 12:59:59+00', HOUR))", '2026-03-02 12:00:00'],
    ['DATE of a timestamp, in UTC', "SELECT CAST(DATE(TIMESTAMP '2026-03-02 23:59:59+00') AS STRING)", '2026-03-02'],
    ['TIMESTAMP_ADD', "SELECT TIMESTAMP_ADD(TIMESTAMP '2026-03-02 10:00:00+00', INTERVAL 120 SECOND) = TIMESTAMP '2026-03-02 10:02:00+00'", true],
    ['TIMESTAMP_DIFF in MICROSECOND', "SELECT TIMESTAMP_DIFF(TIMESTAMP '2026-03-02 10:00:01.1+00', TIMESTAMP '2026-03-02 10:00:00.9+00', MICROSECOND) / 1000000", 0.2],
    ['LOGICAL_OR', 'SELECT LOGICAL_OR(x) FROM UNNEST([FALSE, TRUE]) AS x', true],
    ['UNNEST of a STRUCT array', "SELECT SUM(p.v) FROM (SELECT [STRUCT('a' AS k, 1 AS v), STRUCT('b' AS k, 2 AS v)] AS ps) AS t CROSS JOIN UNNEST(t.ps) AS p", '3'],
    ['IF', "SELECT IF(1 > 2, 'y', 'n')", 'n'],
  ])('%s', async (_what, sql, expected) => {
    expect(await duck(sql)).toEqual(expected);
  });
});

/** What Polyglot does with each refused construct, on DuckDB, against BigQuery's answer. */
const DEMONSTRATIONS: Record<string, { sql: string; bigquery: unknown }> = {
  REGEXP_CONTAINS: { sql: "SELECT REGEXP_CONTAINS('abc', r'b')", bigquery: true },
  JSON_VALUE: { sql: `SELECT JSON_VALUE(JSON '{"a": "x"}', '$.a')`, bigquery: 'x' },
  TRUNC: { sql: "SELECT CAST(DATE(TIMESTAMP_TRUNC(TIMESTAMP '2026-03-04 10:00:00+00', WEEK)) AS STRING)", bigquery: '2026-03-01' },
  EXTRACT: { sql: "SELECT EXTRACT(DAYOFWEEK FROM DATE '2026-03-01')", bigquery: 1 },
  TIMESTAMP_DIFF: { sql: "SELECT TIMESTAMP_DIFF(TIMESTAMP '2026-03-02 10:00:01.1+00', TIMESTAMP '2026-03-02 10:00:00.9+00', SECOND)", bigquery: 0 },
  SAFE: { sql: 'SELECT SAFE.LOG(10, -3)', bigquery: null },
  CONCAT: { sql: "SELECT CONCAT('a', CAST(NULL AS STRING))", bigquery: null },
  FORMAT: { sql: "SELECT FORMAT_TIMESTAMP('%F', TIMESTAMP '2026-03-02 10:00:00+00')", bigquery: '2026-03-02' },
};

describe('constructs Polyglot mistranslates', () => {
  it('are each demonstrated below', () => {
    // one demonstration per pattern, plus the format elements
    expect(MISTRANSLATED.length + 1).toBe(Object.keys(DEMONSTRATIONS).length);
  });

  it.each(Object.entries(DEMONSTRATIONS))('%s: refused, and really wrong (or failing) when translated anyway', async (_name, d) => {
    expect(mistranslations(d.sql)).toHaveLength(1);
    expect(transpileBigQuery(d.sql).ok).toBe(false);
    const raw = transpile(d.sql, Dialect.BigQuery, Dialect.DuckDB);
    const got = await c
      .runAndReadAll(raw.sql?.[0] ?? '')
      .then((r) => Object.values(r.getRowObjectsJson()[0] ?? {})[0])
      .catch(() => 'error');
    expect(got).not.toEqual(d.bigquery);
  });
});

describe('params', () => {
  it('become typed DuckDB parameters, also inside INTERVAL and LIMIT', async () => {
    const header = parseHeader('-- x\n-- @param t TIMESTAMP t\n-- @param days INT64 = 2 d\n-- @param top INT64 = 1 n\nSELECT 1');
    if (!header.ok) throw new Error(header.error);
    const bound = bindParams(header.header.params, { t: '2026-03-05T00:00:00Z' });
    if (!bound.ok) throw new Error(bound.error);
    const t = transpileBigQuery("SELECT FORMAT_TIMESTAMP('%Y-%m-%d', TIMESTAMP_SUB(@t, INTERVAL @days DAY)) AS d FROM UNNEST([1, 2]) AS x LIMIT @top");
    if (!t.ok) throw new Error(t.error);
    expect(t.sql).not.toMatch(/@|ABS\(/);
    const { values, types } = duckDbParams(bound.params, ['t', 'days', 'top']);
    expect((await c.runAndReadAll(t.sql, values, types)).getRowObjectsJson()).toEqual([{ d: '2026-03-03' }]);
  });
});

describe('NAME.duckdb.sql overrides', () => {
  it('replace the transpiled SQL of their file, with the same params', () => {
    const text = '-- x\n-- @param v STRING v\n-- @column x STRING x\nSELECT x FROM ${dataset}.t WHERE REGEXP_CONTAINS(x, @v)';
    const override = '-- x, for DuckDB\nSELECT x FROM ${dataset}.t WHERE regexp_matches(x, @v)';
    const table = { name: 't', columns: [{ name: 'x', type: { kind: 'scalar' as const, name: 'STRING' as const }, description: '' }] };
    const { library, errors } = buildLibrary([{ kind: 'analysis', name: 'q', path: 'sql/analyses/q.sql', text, duckdbOverride: override }], [table]);
    expect(errors).toEqual([]);
    const t = toDuckDb(library.files[0] as never);
    expect(t.ok && t.sql).toBe('-- x, for DuckDB\nSELECT x FROM t WHERE regexp_matches(x, ($v))');
  });
});
