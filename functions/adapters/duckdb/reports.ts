import type { Database } from './database.js';

/**
 * The read side of local mode: what `signatures` and `start` show, as typed rows. The SQL is
 * DuckDB's; the same questions against BigQuery belong to the shared SQL library.
 */
export interface SignatureFilter {
  service?: string | null;
  category?: string | null;
  limit: number;
  /** also unrelated entries that do not look like failures (access logs, business events) */
  includeUnrelated: boolean;
  /** categories left out, e.g. startup_progress for an incident summary */
  excludeCategories?: readonly string[];
}

export interface ParamValue {
  /** the JSON value as stored: a number or a string */
  value: number | string;
  first_seen: string;
  last_seen: string;
  count: number;
}

export interface ParamSummary {
  name: string;
  /** distinct values, in order of first appearance (at most PARAM_VALUES_KEPT of them) */
  values: ParamValue[];
  distinct: number;
  /** over all values, for numeric params */
  min: number | null;
  max: number | null;
  /**
   * Each value stopped appearing before the next one first appeared: the param was changed
   * over time (a timeout raised twice), rather than varying from entry to entry.
   */
  successive: boolean;
}

export interface SignatureSummary {
  signature_id: string;
  category: string;
  service: string | null;
  count: number;
  first_seen: string;
  last_seen: string;
  template: string | null;
  rule_id: string | null;
  params: ParamSummary[];
}

export const PARAM_VALUES_KEPT = 12;

const ISO = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

const SIGNATURES_SQL = `
SELECT signature_id, category, service, CAST(count(*) AS INTEGER) AS count,
       strftime(min(event_timestamp), ${ISO}) AS first_seen,
       strftime(max(event_timestamp), ${ISO}) AS last_seen,
       arg_min(template, event_timestamp) AS template,
       arg_min(rule_id, event_timestamp) AS rule_id
FROM failure_events
WHERE signature_id IS NOT NULL
  AND ($service IS NULL OR service = $service)
  AND ($category IS NULL OR category = $category)
  AND ($all OR category <> 'not_startup_related' OR looks_like_failure)
  AND NOT list_contains(string_split($exclude, ','), category)
GROUP BY signature_id, category, service
ORDER BY count DESC, first_seen, signature_id
LIMIT $limit`;

/** Per signature and param: each distinct value with when it first appeared. */
const PARAMS_SQL = `
WITH kv AS (
  SELECT e.signature_id, j.key AS name, CAST(j.value AS VARCHAR) AS value, j.type IN ('UBIGINT', 'BIGINT', 'DOUBLE') AS numeric,
         e.event_timestamp
  FROM failure_events e, json_each(e.params) j
  WHERE list_contains(string_split($ids, ','), e.signature_id)
), vals AS (
  SELECT signature_id, name, value, bool_and(numeric) AS numeric, min(event_timestamp) AS first_seen, max(event_timestamp) AS last_seen, CAST(count(*) AS INTEGER) AS n
  FROM kv GROUP BY signature_id, name, value
), ranked AS (
  SELECT *, row_number() OVER w AS rn, CAST(count(*) OVER p AS INTEGER) AS distinct_values,
         min(CASE WHEN numeric THEN CAST(value AS DOUBLE) END) OVER p AS min_value,
         max(CASE WHEN numeric THEN CAST(value AS DOUBLE) END) OVER p AS max_value
  FROM vals
  WINDOW p AS (PARTITION BY signature_id, name), w AS (PARTITION BY signature_id, name ORDER BY first_seen, value)
)
SELECT signature_id, name, value, numeric, strftime(first_seen, ${ISO}) AS first_seen, strftime(last_seen, ${ISO}) AS last_seen, n, distinct_values, min_value, max_value
FROM ranked WHERE rn <= ${PARAM_VALUES_KEPT}
ORDER BY signature_id, name, rn`;

interface ParamRow {
  signature_id: string;
  name: string;
  value: string;
  numeric: boolean;
  first_seen: string;
  last_seen: string;
  n: number;
  distinct_values: number;
  min_value: number | null;
  max_value: number | null;
}

function groupParams(rows: ParamRow[]): Map<string, ParamSummary[]> {
  const out = new Map<string, ParamSummary[]>();
  for (const r of rows) {
    const list = out.get(r.signature_id) ?? [];
    let p = list.find((x) => x.name === r.name);
    if (!p) {
      p = { name: r.name, values: [], distinct: r.distinct_values, min: r.min_value, max: r.max_value, successive: false };
      list.push(p);
      out.set(r.signature_id, list);
    }
    p.values.push({ value: JSON.parse(r.value) as number | string, first_seen: r.first_seen, last_seen: r.last_seen, count: r.n });
  }
  for (const list of out.values()) for (const p of list) p.successive = isSuccessive(p);
  return out;
}

/** ISO strings of one format compare as instants. */
function isSuccessive(p: ParamSummary): boolean {
  if (p.distinct < 2 || p.values.length < p.distinct) return false;
  return p.values.every((v, i) => i === 0 || (p.values[i - 1] as ParamValue).last_seen <= v.first_seen);
}

export async function listSignatures(db: Database, filter: SignatureFilter): Promise<SignatureSummary[]> {
  const sigs = (await db.all(SIGNATURES_SQL, {
    service: filter.service ?? null,
    category: filter.category ?? null,
    all: filter.includeUnrelated,
    limit: filter.limit,
    exclude: (filter.excludeCategories ?? []).join(','),
  })) as unknown as Omit<SignatureSummary, 'params'>[];
  if (sigs.length === 0) return [];
  const params = groupParams((await db.all(PARAMS_SQL, { ids: sigs.map((s) => s.signature_id).join(',') })) as unknown as ParamRow[]);
  return sigs.map((s) => ({ ...s, params: params.get(s.signature_id) ?? [] }));
}

export interface HourlyStartups {
  /** start of the hour, RFC 3339 UTC */
  hour: string;
  service: string;
  successes: number;
  failures: number;
}

/**
 * Startup success rate inputs (taxonomy): each instance's first outcome, a success or any
 * failure category (progress, unrelated entries and bare traceback fragments are not
 * outcomes), counted in the hour it happened.
 */
const STARTUPS_SQL = `
WITH outcomes AS (
  SELECT service, event_timestamp, category
  FROM failure_events
  WHERE instance_id IS NOT NULL AND service IS NOT NULL
    AND category NOT IN ('startup_progress', 'not_startup_related')
    AND NOT (fragment IS NOT NULL AND signature_id IS NULL)
    AND ($service IS NULL OR service = $service)
  QUALIFY row_number() OVER (PARTITION BY service, instance_id ORDER BY event_timestamp, event_id) = 1
)
SELECT strftime(date_trunc('hour', event_timestamp), '%Y-%m-%dT%H:00:00Z') AS hour, service,
       CAST(count(*) FILTER (WHERE category = 'startup_success') AS INTEGER) AS successes,
       CAST(count(*) FILTER (WHERE category <> 'startup_success') AS INTEGER) AS failures
FROM outcomes
GROUP BY ALL
ORDER BY hour, service`;

export async function hourlyStartups(db: Database, service: string | null = null): Promise<HourlyStartups[]> {
  return (await db.all(STARTUPS_SQL, { service })) as unknown as HourlyStartups[];
}

export interface TableCounts {
  events: number;
  rejected: number;
}

export async function tableCounts(db: Database): Promise<TableCounts> {
  const rows = await db.all('SELECT (SELECT CAST(count(*) AS INTEGER) FROM failure_events) AS events, (SELECT CAST(count(*) AS INTEGER) FROM rejected_entries) AS rejected');
  return rows[0] as unknown as TableCounts;
}
