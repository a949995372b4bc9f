import type { BigQuery, Query } from '@google-cloud/bigquery';
import { bigQueryQualifier, renderBigQuery, type SqlFile } from '../../core/sql/library.js';
import type { BoundParam } from '../../core/sql/params.js';
import type { QueryEngine, RawResult } from '../../ports/saved-query.js';
import { bigQueryClient } from './client.js';

/**
 * Runs the SQL library's files on the production dataset: the file's own BigQuery SQL, with
 * `${dataset}` replaced by the (validated) dataset name and every param sent as a typed,
 * NAMED query parameter (`@since` in the SQL, `queryParameters` in the request). Values
 * never become SQL text. The views must exist in the dataset (the deploy creates them, see
 * `bigQueryViewDdl`).
 */
export interface BigQueryQueryOptions {
  /** null: the client finds the project from the environment (ADC) */
  projectId: string | null;
  dataset: string;
  /** a local endpoint (emulator or test server) reached without credentials */
  apiEndpoint?: string | null;
  /** BigQuery location of the dataset, when it cannot be inferred */
  location?: string | null;
  /** most bytes a query may bill (a guard against an unfiltered scan); BigQuery fails the query above it */
  maximumBytesBilled?: string | null;
}

function client(options: BigQueryQueryOptions): BigQuery {
  return bigQueryClient({ projectId: options.projectId, apiEndpoint: options.apiEndpoint ?? null });
}

/**
 * The client reads TIMESTAMP and DATE values from a `.value` (its own wrappers would round
 * a timestamp to milliseconds), and INT64 goes as a string (no float rounding).
 */
function paramValue(p: BoundParam): unknown {
  if (p.value === null) return null;
  if (p.type === 'TIMESTAMP' || p.type === 'DATE') return { value: String(p.value) };
  if (p.type === 'INT64') return String(p.value);
  return p.value;
}

/** The `query()` request for one file; exported so the wire test can compare. */
export function queryRequest(qualifier: string, file: SqlFile, params: readonly BoundParam[], options: BigQueryQueryOptions): Query {
  const used = params.filter((p) => file.uses.includes(p.name));
  const request: Query = {
    query: file.kind === 'view' ? `SELECT * FROM ${qualifier}.${file.name}` : renderBigQuery(file, qualifier),
    useLegacySql: false,
    labels: { component: 'faultline', query: file.name },
  };
  if (used.length > 0) {
    request.params = Object.fromEntries(used.map((p) => [p.name, paramValue(p)]));
    // Types always: a NULL value has no type of its own.
    request.types = Object.fromEntries(used.map((p) => [p.name, p.type]));
  }
  if (options.location) request.location = options.location;
  if (options.maximumBytesBilled) request.maximumBytesBilled = options.maximumBytesBilled;
  return request;
}

interface QueryResponse {
  schema?: { fields?: { name?: string }[] };
}

/** Rows as the client parses them; JSON columns stay strings (normalised by the caller). */
export function bigQueryQueryEngine(options: BigQueryQueryOptions): QueryEngine {
  const located = bigQueryQualifier(options.projectId, options.dataset);
  if (!located.ok) throw new Error(located.error);
  const bq = client(options);
  return {
    name: `bigquery:${options.projectId ?? '(default project)'}.${options.dataset}`,
    async run(_lib, file, params): Promise<RawResult> {
      // The promise resolves to [rows, nextQuery, response] (the typings stop at two).
      const [rows, , response] = (await bq.query(queryRequest(located.qualifier, file, params, options))) as unknown as [unknown[], unknown, QueryResponse | undefined];
      const fields = response?.schema?.fields;
      const columns = fields ? fields.map((f) => String(f.name)) : Object.keys((rows[0] as object | undefined) ?? {});
      return { columns, rows: rows as Record<string, unknown>[] };
    },
    close: async () => undefined,
  };
}
