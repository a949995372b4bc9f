import type { ColumnDecl } from './header.js';
import { canonicalTimestamp } from './params.js';
import type { SqlType } from './types.js';

/**
 * One shape for query results, whichever engine ran the query: the declared column types
 * decide. Timestamps are `YYYY-MM-DDTHH:MM:SS.ffffffZ`, dates `YYYY-MM-DD`, INT64 and
 * FLOAT64 JSON numbers (an INT64 beyond 2^53 stays a string), JSON columns parsed values,
 * and a NULL array is an empty array, as BigQuery returns it.
 */
export type ResultValue = string | number | boolean | null | ResultValue[] | { [key: string]: ResultValue };
export type ResultRow = Record<string, ResultValue>;

/** BigQuery's client wraps TIMESTAMP and DATE values as `{ value: '...' }`. */
function unwrap(raw: unknown): unknown {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'value' in raw && Object.keys(raw).length === 1 ? (raw as { value: unknown }).value : raw;
}

function integer(raw: unknown): ResultValue {
  const n = typeof raw === 'bigint' ? Number(raw) : Number(raw);
  if (!Number.isFinite(n)) return String(raw);
  return Number.isSafeInteger(n) ? n : String(raw);
}

function float(raw: unknown): ResultValue {
  const n = Number(raw);
  return Number.isFinite(n) ? n : String(raw);
}

function json(raw: unknown): ResultValue {
  if (typeof raw !== 'string') return raw as ResultValue;
  try {
    return JSON.parse(raw) as ResultValue;
  } catch {
    return raw;
  }
}

function scalarValue(name: string, raw: unknown): ResultValue {
  switch (name) {
    case 'INT64':
      return integer(raw);
    case 'FLOAT64':
    case 'NUMERIC':
      return float(raw);
    case 'BOOL':
      return typeof raw === 'boolean' ? raw : String(raw).toLowerCase() === 'true';
    case 'TIMESTAMP':
      return canonicalTimestamp(String(raw)) ?? String(raw);
    case 'DATE':
      return String(raw).slice(0, 10);
    case 'JSON':
      return json(raw);
    default:
      return typeof raw === 'string' ? raw : String(raw);
  }
}

export function normalizeValue(type: SqlType, raw: unknown): ResultValue {
  const v = unwrap(raw);
  if (type.kind === 'array') return Array.isArray(v) ? v.map((x) => normalizeValue(type.element, x)) : [];
  if (v === null || v === undefined) return null;
  if (type.kind === 'struct') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(type.fields.map((f) => [f.name, normalizeValue(f.type, o[f.name] ?? null)]));
  }
  return scalarValue(type.name, v);
}

/** A row in the declared column order; a declared column the engine did not return is an error. */
export function normalizeRow(columns: readonly ColumnDecl[], raw: Readonly<Record<string, unknown>>): ResultRow {
  const row: ResultRow = {};
  for (const c of columns) {
    if (!(c.name in raw)) throw new Error(`the result has no column ${c.name}`);
    row[c.name] = normalizeValue(c.type, raw[c.name]);
  }
  return row;
}
