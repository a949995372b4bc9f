import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../functions/core/sql/header.js';
import { bigQueryQualifier, bigQueryViewDdl, buildLibrary, renderBigQuery, viewOrder, type SqlSource, type TableSchema } from '../../functions/core/sql/library.js';
import { bindParams, canonicalTimestamp, parseAssignments, timestampMicros } from '../../functions/core/sql/params.js';
import { codeOnly, datasetRefs, renderDataset, replaceParams, scan, usedParams } from '../../functions/core/sql/scan.js';
import { formatType, parseType } from '../../functions/core/sql/types.js';
import { normalizeRow, normalizeValue } from '../../functions/core/sql/values.js';

describe('scan', () => {
  const sql = `-- @not_a_param in a comment
SELECT @since, '@quoted', "it's @x", r'\\d@y', \`@ident\`, @@session.time_zone /* @z */ FROM \${dataset}.events # @hash
WHERE a = @service`;

  it('finds params only in code', () => {
    expect(usedParams(sql)).toEqual(['since', 'service']);
  });

  it('keeps every character', () => {
    expect(scan(sql).map((s) => s.text).join('')).toBe(sql);
  });

  it('replaces params only in code', () => {
    const out = replaceParams(sql, (n) => `$${n}`);
    expect(out).toContain("SELECT $since, '@quoted'");
    expect(out).toContain('-- @not_a_param');
    expect(out).toContain('@@session.time_zone');
    expect(out).toContain('a = $service');
  });

  it('reads and renders the dataset placeholder', () => {
    expect(datasetRefs(sql)).toEqual(['events']);
    expect(renderDataset(sql, '`p.d`')).toContain('FROM `p.d`.events');
    expect(renderDataset(sql, null)).toContain('FROM events');
  });

  it('handles triple-quoted and escaped strings', () => {
    const s = `SELECT '''a ' @no ''', 'b\\' @no', @yes`;
    expect(usedParams(s)).toEqual(['yes']);
    expect(codeOnly(s)).not.toContain('@no');
  });
});

describe('types', () => {
  it.each(['STRING', 'ARRAY<STRING>', 'ARRAY<STRUCT<param STRING, min_value FLOAT64>>', 'STRUCT<a INT64, b ARRAY<TIMESTAMP>>'])('round-trips %s', (t) => {
    const parsed = parseType(t);
    expect(parsed.ok && formatType(parsed.value)).toBe(t);
  });

  it('reads schema spellings and rejects unknown types', () => {
    const int = parseType('INTEGER');
    expect(int.ok && formatType(int.value)).toBe('INT64');
    expect(parseType('DOUBLE').ok).toBe(false);
    expect(parseType('ARRAY<STRING').ok).toBe(false);
  });
});

describe('parseHeader', () => {
  const text = `-- What fails most.
--
-- Longer story
-- on two lines.
--
-- @param days INT64 = 7 window in days
-- @param since TIMESTAMP start
-- @param service STRING = NULL one service
-- @column params ARRAY<STRUCT<name STRING, v FLOAT64>> per param
SELECT 1`;

  it('reads summary, description, params with defaults and typed columns', () => {
    const r = parseHeader(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.header.summary).toBe('What fails most.');
    expect(r.header.description).toBe('Longer story on two lines.');
    expect(r.header.params.map((p) => [p.name, formatType(p.type), p.default, p.description])).toEqual([
      ['days', 'INT64', 7, 'window in days'],
      ['since', 'TIMESTAMP', undefined, 'start'],
      ['service', 'STRING', null, 'one service'],
    ]);
    expect(r.header.columns.map((c) => [c.name, formatType(c.type), c.description])).toEqual([['params', 'ARRAY<STRUCT<name STRING, v FLOAT64>>', 'per param']]);
  });

  it.each([
    ['no header', 'SELECT 1'],
    ['an unknown tag', '-- x\n-- @colum a STRING b\nSELECT 1'],
    ['a bad type', '-- x\n-- @column a DOUBLE b\nSELECT 1'],
    ['a bad default', '-- x\n-- @param a INT64 = seven b\nSELECT 1'],
    ['a column without description', '-- x\n-- @column a STRING\nSELECT 1'],
  ])('rejects %s', (_what, t) => {
    expect(parseHeader(t).ok).toBe(false);
  });
});

describe('params', () => {
  const decls = (() => {
    const r = parseHeader('-- x\n-- @param since TIMESTAMP start\n-- @param days INT64 = 7 days\n-- @param slo FLOAT64 = 0.95 target\n-- @param service STRING = NULL one\nSELECT 1');
    if (!r.ok) throw new Error(r.error);
    return r.header.params;
  })();

  it('types given values and fills defaults', () => {
    const r = bindParams(decls, { since: '2026-03-02T10:00:00+01:00', days: '3' });
    expect(r.ok && r.params).toEqual([
      { name: 'since', type: 'TIMESTAMP', value: '2026-03-02T09:00:00.000000Z' },
      { name: 'days', type: 'INT64', value: 3 },
      { name: 'slo', type: 'FLOAT64', value: 0.95 },
      { name: 'service', type: 'STRING', value: null },
    ]);
  });

  it.each([
    [{}, /missing param "since"/],
    [{ since: 'yesterday' }, /since: "yesterday" is not an RFC 3339 timestamp/],
    [{ since: '2026-03-02', days: '1.5' }, /days: "1.5" is not an integer/],
    [{ since: '2026-03-02', nope: '1' }, /unknown param "nope"/],
  ])('refuses %j', (given, message) => {
    const r = bindParams(decls, given as Record<string, string>);
    expect(r.ok ? '' : r.error).toMatch(message);
  });

  it('parses name=value and keeps "=" inside values', () => {
    expect(parseAssignments(['a=1', 'b=x=y'])).toEqual({ ok: true, values: { a: '1', b: 'x=y' } });
    expect(parseAssignments(['novalue']).ok).toBe(false);
  });

  it('reads timestamps in the shapes engines print them', () => {
    expect(canonicalTimestamp('2026-03-02 10:00:00.5+00')).toBe('2026-03-02T10:00:00.500000Z');
    expect(canonicalTimestamp('2026-03-02T10:00:00.123456Z')).toBe('2026-03-02T10:00:00.123456Z');
    expect(canonicalTimestamp('2026-03-02')).toBe('2026-03-02T00:00:00.000000Z');
    expect(timestampMicros('2026-03-02T10:00:00.123456Z')).toBe(BigInt(Date.UTC(2026, 2, 2, 10)) * 1000n + 123456n);
  });
});

describe('normalizeValue', () => {
  const t = (s: string) => {
    const r = parseType(s);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };

  it('gives DuckDB and BigQuery values one shape', () => {
    expect(normalizeValue(t('TIMESTAMP'), '2026-03-02 10:00:00+00')).toBe('2026-03-02T10:00:00.000000Z');
    expect(normalizeValue(t('TIMESTAMP'), { value: '2026-03-02T10:00:00.000Z' })).toBe('2026-03-02T10:00:00.000000Z');
    expect(normalizeValue(t('INT64'), '42')).toBe(42);
    expect(normalizeValue(t('INT64'), '9007199254740993')).toBe('9007199254740993');
    expect(normalizeValue(t('JSON'), '{"timeout_s":20}')).toEqual({ timeout_s: 20 });
    expect(normalizeValue(t('ARRAY<STRING>'), null)).toEqual([]);
    expect(normalizeValue(t('ARRAY<STRUCT<p STRING, v FLOAT64>>'), [{ p: 'a', v: '1.5' }])).toEqual([{ p: 'a', v: 1.5 }]);
    expect(normalizeValue(t('DATE'), { value: '2026-03-02' })).toBe('2026-03-02');
  });

  it('refuses a row without a declared column', () => {
    expect(() => normalizeRow([{ name: 'a', type: t('STRING'), description: '' }], { b: 'x' })).toThrow(/no column a/);
  });
});

describe('buildLibrary', () => {
  const tables: TableSchema[] = [{ name: 't', columns: [{ name: 'x', type: { kind: 'scalar', name: 'STRING' }, description: '' }] }];
  const src = (kind: SqlSource['kind'], name: string, text: string): SqlSource => ({ kind, name, path: `sql/${name}.sql`, text, duckdbOverride: null });
  const view = (name: string, reads: string) => src('view', name, `-- ${name}\n-- @column x STRING x\nSELECT x FROM \${dataset}.${reads}`);

  it('orders views after the views they read', () => {
    const { library, errors } = buildLibrary([view('c', 'b'), view('b', 'a'), view('a', 't')], tables);
    expect(errors).toEqual([]);
    expect(viewOrder(library).map((v) => v.name)).toEqual(['a', 'b', 'c']);
    expect(viewOrder(library, [library.files[1] as never]).map((v) => v.name)).toEqual(['a', 'b']);
  });

  it.each([
    ['a cycle', [view('a', 'b'), view('b', 'a')], /cycle: a -> b -> a|cycle: b -> a -> b/],
    ['an unknown table', [view('a', 'nope')], /no such table or view/],
    ['an undeclared param', [src('analysis', 'q', '-- q\n-- @column x STRING x\nSELECT x FROM ${dataset}.t WHERE x = @v')], /uses @v/],
    ['an unused param', [src('analysis', 'q', '-- q\n-- @param v STRING v\n-- @column x STRING x\nSELECT x FROM ${dataset}.t')], /never uses it/],
    ['a view with a param', [src('view', 'v', '-- v\n-- @param p STRING p\n-- @column x STRING x\nSELECT x FROM ${dataset}.t WHERE x = @p')], /cannot take params/],
    ['a name taken twice', [view('a', 't'), src('check', 'a', '-- a\n-- @column x STRING x\nSELECT x FROM ${dataset}.t')], /taken/],
  ])('reports %s', (_what, sources, message) => {
    expect(buildLibrary(sources, tables).errors.join('\n')).toMatch(message);
  });

  it('renders BigQuery SQL and view DDL for a validated dataset only', () => {
    const { library } = buildLibrary([view('b', 'a'), view('a', 't')], tables);
    const q = bigQueryQualifier('acme-shop-prod', 'faultline');
    if (!q.ok) throw new Error(q.error);
    expect(renderBigQuery(library.files[0] as never, q.qualifier)).toContain('FROM `acme-shop-prod.faultline`.a');
    expect(bigQueryViewDdl(library, q.qualifier)[0]).toMatch(/^CREATE OR REPLACE VIEW `acme-shop-prod\.faultline\.a` OPTIONS \(description = "a"\) AS\nSELECT x FROM `acme-shop-prod\.faultline`\.t$/);
    expect(bigQueryQualifier('acme', 'faultline; DROP TABLE x').ok).toBe(false);
    expect(bigQueryQualifier('Bad_Project', 'faultline').ok).toBe(false);
  });
});
