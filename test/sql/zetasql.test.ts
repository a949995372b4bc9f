import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigQueryViewDdl, findFile, outputColumns, renderBigQuery, viewOrder } from '../../functions/core/sql/library.js';
import { formatType } from '../../functions/core/sql/types.js';
import { library } from './helpers.js';
import { Analyzer, analyzerMessage, DATASET } from './zetasql.js';

/**
 * Every file under sql/ is analysed as BigQuery would analyse it: names, types, functions
 * and syntax resolved by GoogleSQL against a catalog of our tables (schemas/bigquery) and
 * views (added in dependency order, with the columns the analyzer gave them). The header's
 * output columns must be exactly the analyzer's, names and types.
 */
const lib = library();
const QUALIFIER = `\`${DATASET}\``;
// Views first, each after what it reads; then the questions and checks.
const ORDER = [...viewOrder(lib), ...lib.files.filter((f) => f.kind !== 'view')].map((f) => f.name);

let analyzer: Analyzer;

beforeAll(async () => {
  analyzer = await Analyzer.start();
  for (const t of lib.tables) analyzer.addTable(t);
}, 60_000);

afterAll(() => analyzer?.stop());

const columns = (cs: { name: string; type: Parameters<typeof formatType>[0] }[]) => cs.map((c) => `${c.name} ${formatType(c.type)}`);

describe.each(ORDER)('%s', (name) => {
  it('passes the BigQuery analyzer, with the output columns its header declares', async () => {
    const f = findFile(lib, name);
    if (!f) throw new Error(`no file ${name}`);
    let analyzed;
    try {
      analyzed = await analyzer.analyze(renderBigQuery(f, QUALIFIER), f.params);
    } catch (err) {
      throw new Error(`${f.path}: ${analyzerMessage(err)}`);
    }
    expect(columns(analyzed.columns)).toEqual(columns(outputColumns(lib, f)));
    if (f.kind === 'view') analyzer.addTable({ name: f.name, columns: analyzed.columns });
  });
});

describe('the deploy statements', () => {
  it('CREATE OR REPLACE VIEW of every view passes the analyzer', async () => {
    const ddl = bigQueryViewDdl(lib, QUALIFIER);
    expect(ddl.length).toBe(lib.files.filter((f) => f.kind === 'view').length);
    for (const statement of ddl) {
      await analyzer.analyze(statement).catch((err: unknown) => Promise.reject(new Error(`${statement.split('\n')[0]}: ${analyzerMessage(err)}`)));
    }
  });
});

describe('the analyzer rejects what BigQuery rejects', () => {
  const table = `${QUALIFIER}.failure_events`;

  it('accepts a valid query (the control for the cases below)', async () => {
    const { columns: out } = await analyzer.analyze(`SELECT event_id, COUNTIF(looks_like_failure) AS n FROM ${table} GROUP BY event_id`);
    expect(columns(out)).toEqual(['event_id STRING', 'n INT64']);
  });

  it.each([
    ['an unknown column', `SELECT no_such_column FROM ${table}`, /Unrecognized name: no_such_column/],
    ['an unknown table', `SELECT 1 FROM ${QUALIFIER}.no_such_table`, /Table not found/],
    ['a type error', `SELECT event_timestamp + 1 FROM ${table}`, /No matching signature for operator \+/],
    ['DuckDB cast syntax', `SELECT event_id::STRING FROM ${table}`, /Syntax error/],
    ['a type BigQuery does not have', 'SELECT CAST(1 AS DOUBLE)', /Type not found: DOUBLE/],
    ['bare array indexing', 'SELECT [1, 2][0]', /OFFSET|ORDINAL|Array element access/],
    ['an aggregate FILTER clause', `SELECT COUNT(*) FILTER (WHERE TRUE) FROM ${table}`, /Syntax error/],
    ['grouping by JSON', `SELECT params FROM ${table} GROUP BY params`, /Grouping by expressions of type JSON is not allowed/],
    ['an undeclared param', 'SELECT @nope', /Query parameter 'nope' not found/],
  ])('%s', async (_what, sql, message) => {
    await expect(analyzer.analyze(sql).catch((err: unknown) => Promise.reject(new Error(analyzerMessage(err))))).rejects.toThrow(message);
  });
});
