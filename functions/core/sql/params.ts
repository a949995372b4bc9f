import type { ParamDecl } from './header.js';
import { formatType, type ScalarType } from './types.js';

/**
 * Values for a saved query's named params, from `--param name=value` strings, typed by the
 * header's declarations. They travel to the engines as typed query parameters; no value is
 * ever spliced into SQL text.
 */
export type ParamValue = string | number | boolean | null;

export interface BoundParam {
  name: string;
  type: ScalarType;
  /** STRING, TIMESTAMP (RFC 3339, UTC, microseconds), DATE (YYYY-MM-DD): strings; INT64, FLOAT64: numbers */
  value: ParamValue;
}

export type BindResult = { ok: true; params: BoundParam[] } | { ok: false; error: string };

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** `Z`, `UTC`, `+00`, `+0530`, `+05:30` -> the `Z` / `+05:30` Date.parse reads. */
function isoZone(zone: string): string {
  if (/^(z|utc)$/i.test(zone)) return 'Z';
  const m = /^([+-]\d{2}):?(\d{2})?$/.exec(zone) as RegExpExecArray;
  return `${m[1]}:${m[2] ?? '00'}`;
}

/**
 * Any RFC 3339 instant (also DuckDB's `2026-03-02 10:00:00.5+00`), or a date (midnight UTC),
 * as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
 */
export function canonicalTimestamp(text: string): string | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, date, time = '00:00:00', zone = 'Z'] = m as unknown as [string, string, string | undefined, string | undefined];
  const [hms, frac = ''] = (time.length === 5 ? `${time}:00` : time).split('.') as [string, string | undefined];
  const ms = Date.parse(`${date}T${hms}${isoZone(zone)}`);
  if (Number.isNaN(ms)) return null;
  const micros = frac.padEnd(6, '0').slice(0, 6);
  return `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`;
}

/** Microseconds since the epoch of a canonical timestamp (exact: no float rounding). */
export function timestampMicros(canonical: string): bigint {
  const ms = Date.parse(`${canonical.slice(0, 19)}Z`);
  return BigInt(ms) * 1000n + BigInt(canonical.slice(20, 26));
}

function convert(type: ScalarType, raw: string): ParamValue | undefined {
  const text = raw.trim();
  if (/^null$/i.test(text)) return null;
  switch (type) {
    case 'STRING':
      return raw;
    case 'INT64':
      return /^-?\d{1,15}$/.test(text) ? Number(text) : undefined;
    case 'FLOAT64':
    case 'NUMERIC':
      return text !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
    case 'BOOL':
      return /^(true|false)$/i.test(text) ? text.toLowerCase() === 'true' : undefined;
    case 'TIMESTAMP':
      return canonicalTimestamp(text) ?? undefined;
    case 'DATE':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? text : undefined;
    default:
      return undefined;
  }
}

const EXPECTED: Partial<Record<ScalarType, string>> = {
  INT64: 'an integer',
  FLOAT64: 'a number',
  BOOL: 'true or false',
  TIMESTAMP: 'an RFC 3339 timestamp such as 2026-03-02T10:00:00Z, or a date',
  DATE: 'a date such as 2026-03-02',
};

/** Parses `name=value` arguments; a name given twice keeps the last value. */
export function parseAssignments(args: readonly string[]): { ok: true; values: Record<string, string> } | { ok: false; error: string } {
  const values: Record<string, string> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) return { ok: false, error: `--param "${a}": expected name=value` };
    values[a.slice(0, eq).trim()] = a.slice(eq + 1);
  }
  return { ok: true, values };
}

/** Every declared param with its value: the one given, else the default; unknown names and missing required ones are errors. */
export function bindParams(decls: readonly ParamDecl[], given: Readonly<Record<string, string>>): BindResult {
  for (const name of Object.keys(given)) {
    if (!decls.some((d) => d.name === name)) {
      const known = decls.map((d) => d.name).join(', ') || 'none';
      return { ok: false, error: `unknown param "${name}" (this query takes: ${known})` };
    }
  }
  const params: BoundParam[] = [];
  for (const d of decls) {
    if (d.type.kind !== 'scalar') return { ok: false, error: `param ${d.name}: ${formatType(d.type)} params are not supported` };
    const raw = given[d.name];
    if (raw === undefined) {
      if (d.default === undefined) return { ok: false, error: `missing param "${d.name}" (${formatType(d.type)}): ${d.description}` };
      const dflt = d.default === null ? null : convert(d.type.name, String(d.default));
      params.push({ name: d.name, type: d.type.name, value: dflt ?? null });
      continue;
    }
    const value = convert(d.type.name, raw);
    if (value === undefined) return { ok: false, error: `param ${d.name}: "${raw}" is not ${EXPECTED[d.type.name] ?? formatType(d.type)}` };
    params.push({ name: d.name, type: d.type.name, value });
  }
  return { ok: true, params };
}
