import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ResultSet } from '../../sql/fake-bigquery-query.js';
import { closeServer, listenLocal } from '../../helpers/http.js';
import { FakeSqlTables, type RestParam } from './fake-bigquery-sql.js';

/**
 * A local stand-in for BigQuery's query jobs, for the real @google-cloud/bigquery client:
 * jobs.query (POST .../queries) and getQueryResults (GET .../queries/JOB_ID). It models the
 * alert_keys table well enough for the signature store: a MERGE inserts its @key when absent
 * and answers numDmlAffectedRows 1, else 0 (1 again when the row is the caller's own: same
 * claimed_at and delivery, as the MERGE's WHEN MATCHED clause says); the UPDATE sets a
 * key's delivered_at once; the SELECTs on alert_keys filter and order as theirs do. Any
 * other query is answered from `results`, by the request's `query` label (the saved SQL
 * file's name), when a result is given for it. Otherwise queries on the issue tables (issues,
 * issue_links) and on failure_events are executed for real: translated to DuckDB (`sql`, see
 * fake-bigquery-sql.ts; seed failure_events with `sql.insert`). Requests are handled one at a time by the event loop, like
 * BigQuery's serialized commits on one table.
 */
export interface QueryCall {
  query: string;
  /** the named params as sent: name -> value (null for a NULL) */
  params: Record<string, unknown>;
  /** name -> parameterType.type */
  types: Record<string, string>;
  labels: Record<string, string>;
  body: Record<string, unknown>;
}

export interface StoredKey {
  alert_key: string;
  kind: string;
  service: string | null;
  signature_id: string | null;
  first_seen: string | null;
  claimed_at: string;
  delivery: string;
  alert: string;
  delivered_at?: string | null;
}

const PATH = /^\/bigquery\/v2\/projects\/([^/]+)\/queries(?:\/([^/]+))?$/;

export class FakeBigQueryJobs {
  readonly calls: QueryCall[] = [];
  readonly unexpected: string[] = [];
  readonly keys = new Map<string, StoredKey>();
  /** saved-query answers by file name */
  results: Record<string, ResultSet> = {};
  /** the next N MERGEs fail with BigQuery's serialization conflict, writing nothing */
  conflicts = 0;
  /** the next N MERGEs commit, then answer 503 (the answer is lost) */
  lostAnswers = 0;
  /** answer jobComplete: false; the client then polls getQueryResults, which answers */
  pending = false;
  /** the issue tables, executed on DuckDB */
  readonly sql = new FakeSqlTables();
  private readonly done = new Map<string, Record<string, unknown>>();
  private jobs = 0;
  private readonly server = createServer((req, res) => void this.handle(req, res));

  start(): Promise<string> {
    return listenLocal(this.server);
  }

  async stop(): Promise<void> {
    await this.sql.close();
    await closeServer(this.server);
  }

  merges(): QueryCall[] {
    return this.calls.filter((c) => /^\s*MERGE\b/i.test(c.query));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const path = (req.url ?? '').split('?')[0] as string;
    const m = PATH.exec(path);
    if (!m) {
      this.unexpected.push(`${req.method} ${path}`);
      return send(res, 404, { error: { code: 404, message: `not found: ${path}` } });
    }
    const project = m[1] as string;
    if (req.method === 'GET' && m[2]) {
      const answer = this.done.get(m[2]);
      return answer ? send(res, 200, answer) : send(res, 404, { error: { code: 404, message: `no job ${m[2]}` } });
    }
    const body = JSON.parse(text) as Record<string, unknown>;
    const call = toCall(body);
    this.calls.push(call);
    let answered: Record<string, unknown>;
    try {
      const given = this.results[call.labels.query ?? ''];
      if (given) answered = table(given);
      else answered = this.sql.handles(call.query) ? table(await this.sql.execute(call.query, (body.queryParameters ?? []) as RestParam[])) : this.modelled(call);
    } catch (err) {
      const f = err instanceof Failure ? err : new Failure(400, 'invalidQuery', (err as Error).message);
      return send(res, f.status, { error: { code: f.status, message: f.message, errors: [{ reason: f.reason, message: f.message }] } });
    }
    const jobId = `job_${(this.jobs += 1)}`;
    const answer = { kind: 'bigquery#queryResponse', jobReference: { projectId: project, jobId, location: 'EU' }, jobComplete: true, ...answered };
    if (!this.pending) return send(res, 200, answer);
    this.done.set(jobId, { ...answer, kind: 'bigquery#getQueryResultsResponse' });
    send(res, 200, { kind: 'bigquery#queryResponse', jobReference: answer.jobReference, jobComplete: false });
  }

  private modelled(call: QueryCall): Record<string, unknown> {
    const failure = this.fail(call);
    if (failure) throw new Failure(failure.status, failure.reason, failure.message);
    return this.answer(call);
  }

  private fail(call: QueryCall): { status: number; reason: string; message: string } | null {
    if (!/^\s*MERGE\b/i.test(call.query)) return null;
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      const message = 'Could not serialize access to table P:D.alert_keys due to concurrent update';
      return { status: 400, reason: 'invalidQuery', message };
    }
    if (this.lostAnswers > 0) {
      this.lostAnswers -= 1;
      this.merge(call);
      return { status: 503, reason: 'backendError', message: 'the answer was lost' };
    }
    return null;
  }

  private answer(call: QueryCall): Record<string, unknown> {
    if (/^\s*MERGE\b/i.test(call.query)) return { numDmlAffectedRows: String(this.merge(call)), totalRows: '0' };
    if (/^\s*UPDATE\b/i.test(call.query)) return { numDmlAffectedRows: String(this.markDelivered(call)), totalRows: '0' };
    if (/alert_keys/.test(call.query)) return table(this.select(call));
    const label = call.labels.query ?? '';
    const result = this.results[label];
    if (!result) throw new Error(`no result for query ${label}`);
    return table(result);
  }

  private merge(call: QueryCall): number {
    const p = call.params;
    const key = String(p.key);
    const had = this.keys.get(key);
    if (had) return had.claimed_at === p.claimed_at && had.delivery === p.delivery ? 1 : 0;
    const row = { alert_key: key, kind: p.kind, service: p.service, signature_id: p.signature_id, first_seen: p.first_seen, claimed_at: p.claimed_at, delivery: p.delivery, alert: p.alert, delivered_at: null };
    this.keys.set(key, row as StoredKey);
    return 1;
  }

  private markDelivered(call: QueryCall): number {
    const row = this.keys.get(String(call.params.key));
    if (!row || (row.delivered_at ?? null) !== null) return 0;
    row.delivered_at = String(call.params.delivered_at);
    return 1;
  }

  private select(call: QueryCall): ResultSet {
    const p = call.params;
    let rows = [...this.keys.values()];
    if ('before' in p) {
      rows = rows.filter((r) => r.delivery === p.delivery && (r.delivered_at ?? null) === null && Date.parse(r.claimed_at) < Date.parse(String(p.before)) && (p.from == null || Date.parse(r.claimed_at) >= Date.parse(String(p.from))));
      rows.sort((a, b) => Date.parse(a.claimed_at) - Date.parse(b.claimed_at) || (a.alert_key < b.alert_key ? -1 : 1));
      return { fields: [{ name: 'alert', type: 'STRING' }], rows: rows.map((r) => ({ f: [{ v: r.alert }] })) };
    }
    if ('signature_id' in p) rows = rows.filter((r) => r.service === p.service && r.signature_id === p.signature_id);
    if ('since' in p && p.since !== null) rows = rows.filter((r) => r.first_seen !== null && Date.parse(r.first_seen) >= Date.parse(String(p.since)));
    rows.sort((a, b) => Date.parse(a.first_seen ?? '') - Date.parse(b.first_seen ?? '') || (a.alert_key < b.alert_key ? -1 : 1));
    const withDelivery = /\bdelivery\b\s*\n?\s*FROM/i.test(call.query);
    const fields = [{ name: 'alert', type: 'STRING' }, ...(withDelivery ? [{ name: 'delivery', type: 'STRING' }] : [])];
    return { fields, rows: rows.map((r) => ({ f: [{ v: r.alert }, ...(withDelivery ? [{ v: r.delivery }] : [])] })) };
  }
}

class Failure extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

function toCall(body: Record<string, unknown>): QueryCall {
  const list = (body.queryParameters ?? []) as RestParam[];
  return {
    query: String(body.query ?? ''),
    params: Object.fromEntries(list.map((q) => [q.name, q.parameterValue?.value ?? null])),
    types: Object.fromEntries(list.map((q) => [q.name, q.parameterType.type])),
    labels: (body.labels ?? {}) as Record<string, string>,
    body,
  };
}

function table(result: ResultSet): Record<string, unknown> {
  const out: Record<string, unknown> = { schema: { fields: result.fields }, totalRows: String(result.rows.length) };
  if (result.rows.length > 0) out.rows = result.rows;
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
