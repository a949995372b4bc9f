import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AlertKeyRow, IssueLinkRow, IssueRow } from '../functions/core/issues/rows.js';
import { FailureEventRow, RejectedEntryRow } from '../functions/core/rows.js';

interface BqColumn {
  name: string;
  type: string;
  mode: string;
  description?: string;
}

interface TableSpec {
  description: string;
  timePartitioning: { type: string; field: string; expirationDays?: number };
  clustering: string[];
  key: string;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')) as T;
const tables = readJson<Record<string, TableSpec>>('schemas/tables.json');
const zodRows: Record<string, z.ZodObject> = {
  failure_events: FailureEventRow,
  rejected_entries: RejectedEntryRow,
  issues: IssueRow,
  issue_links: IssueLinkRow,
  alert_keys: AlertKeyRow,
};

/** The BigQuery column a zod field stands for, by the rules rows.ts documents. */
function columnOf(name: string, field: z.ZodType): Omit<BqColumn, 'description'> {
  const nullable = field instanceof z.ZodNullable;
  const inner = (nullable ? field.unwrap() : field) as z.ZodType;
  const bq = (inner.meta() as { bq?: string } | undefined)?.bq;
  let type: string;
  if (inner instanceof z.ZodString) type = bq ?? 'STRING';
  else if (inner instanceof z.ZodNumber) type = inner.isInt ? 'INT64' : 'FLOAT64';
  else if (inner instanceof z.ZodBoolean) type = 'BOOL';
  else throw new Error(`${name}: zod type ${inner.def.type} has no BigQuery column type`);
  return { name, type, mode: nullable ? 'NULLABLE' : 'REQUIRED' };
}

describe('BigQuery schemas and zod row schemas', () => {
  it('have one schema file and one zod row schema per table in tables.json', () => {
    expect(Object.keys(tables).sort()).toEqual(Object.keys(zodRows).sort());
  });

  describe.each(Object.keys(zodRows))('%s', (table) => {
    const columns = readJson<BqColumn[]>(`schemas/bigquery/${table}.json`);
    const rowSchema = zodRows[table] as z.ZodObject;
    const spec = tables[table] as TableSpec;
    const byName = new Map(columns.map((c) => [c.name, c]));

    it('agree column by column: names, order, types and modes', () => {
      const fromZod = Object.entries(rowSchema.shape).map(([name, field]) => columnOf(name, field as z.ZodType));
      expect(columns.map(({ name, type, mode }) => ({ name, type, mode }))).toEqual(fromZod);
    });

    it('describe every column', () => {
      const undescribed = columns.filter((c) => typeof c.description !== 'string' || c.description.trim().length < 10).map((c) => c.name);
      expect(undescribed).toEqual([]);
    });

    it('partition by day on a TIMESTAMP column of the schema', () => {
      expect(spec.timePartitioning.type).toBe('DAY');
      expect(byName.get(spec.timePartitioning.field)?.type).toBe('TIMESTAMP');
    });

    it('cluster and key on columns of the schema', () => {
      const missing = [...spec.clustering, spec.key].filter((name) => !byName.has(name));
      expect(missing).toEqual([]);
      expect(byName.get(spec.key)?.mode).toBe('REQUIRED');
      expect(spec.clustering.length).toBeLessThanOrEqual(4);
    });
  });
});
