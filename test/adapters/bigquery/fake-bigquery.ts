import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import { FailureEventRow, RejectedEntryRow } from '../../../functions/core/rows.js';
import { closeServer, listenLocal } from '../../helpers/http.js';

/**
 * A local stand-in for the BigQuery insertAll endpoint, for the real @google-cloud/bigquery
 * client. It records every request, validates rows against the zod row schemas (strictly: an
 * unknown column is an error, as with ignoreUnknownValues: false), and de-duplicates by
 * insertId, modelling BigQuery's best-effort de-duplication at its best. BigQuery only
 * promises that for about a minute, so analysts read the de-duplicating `events` view,
 * which is the real guarantee.
 */
export interface SentRow {
  insertId?: string;
  json: Record<string, unknown>;
}

export interface InsertAllCall {
  path: string;
  table: string;
  body: { rows: SentRow[]; skipInvalidRows?: boolean; ignoreUnknownValues?: boolean; [key: string]: unknown };
}

/** How to answer one request; the default stores valid rows and answers 200. */
export interface Plan {
  /** answer this status with a BigQuery error body instead of 200 */
  status?: number;
  /** store the rows before answering `status`: the write happened but the answer is lost */
  storeAnyway?: boolean;
  /** per-row errors by insertId (e.g. 'invalid', 'backendError'); those rows are not stored */
  rowErrors?: Record<string, string>;
  /** answer only once this settles (and store at that moment) */
  hold?: Promise<void>;
  /** never answer: the client's timeout fires */
  hang?: boolean;
}

export const PATH = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)\/insertAll$/;

const SCHEMAS: Record<string, z.ZodObject> = { failure_events: FailureEventRow.strict(), rejected_entries: RejectedEntryRow.strict() };

export class FakeBigQuery {
  readonly calls: InsertAllCall[] = [];
  /** requests to any other path, or with another project or dataset */
  readonly unexpected: string[] = [];
  /** rows as BigQuery stores them without de-duplication, per table */
  readonly raw = new Map<string, SentRow[]>();
  plan: (call: InsertAllCall) => Plan = () => ({});
  private readonly deduped = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly waiters: { n: number; resolve: () => void }[] = [];
  private readonly server = createServer((req, res) => void this.handle(req, res));

  constructor(
    readonly project = 'P',
    readonly dataset = 'D',
  ) {}

  start(): Promise<string> {
    return listenLocal(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  reset(): void {
    this.calls.length = 0;
    this.unexpected.length = 0;
    this.raw.clear();
    this.deduped.clear();
    this.plan = () => ({});
  }

  /** the table as seen through de-duplication by insertId (first write wins) */
  rows(table: string): Record<string, unknown>[] {
    return [...(this.deduped.get(table)?.values() ?? [])];
  }

  /** resolves once at least `n` insertAll requests have arrived */
  waitForCalls(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://local');
    const m = PATH.exec(url.pathname);
    if (req.method !== 'POST' || !m || m[1] !== this.project || m[2] !== this.dataset) {
      this.unexpected.push(`${req.method} ${url.pathname}`);
      return reply(res, 404, errorBody(404, 'notFound', `Not found: ${url.pathname}`));
    }
    const call: InsertAllCall = { path: url.pathname, table: decodeURIComponent(m[3] as string), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
    this.calls.push(call);
    for (const w of this.waiters.filter((w) => this.calls.length >= w.n)) w.resolve();
    const plan = this.plan(call);
    if (plan.hang) return;
    if (plan.hold) await plan.hold;
    if (plan.status !== undefined) {
      if (plan.storeAnyway) this.store(call, {});
      return reply(res, plan.status, errorBody(plan.status, plan.status === 429 ? 'rateLimitExceeded' : 'backendError', 'injected failure'));
    }
    const insertErrors = this.store(call, plan.rowErrors ?? {});
    reply(res, 200, insertErrors.length > 0 ? { kind: 'bigquery#tableDataInsertAllResponse', insertErrors } : { kind: 'bigquery#tableDataInsertAllResponse' });
  }

  /** Stores the valid rows (all or none without skipInvalidRows) and returns the insertErrors. */
  private store(call: InsertAllCall, injected: Record<string, string>): { index: number; errors: { reason: string; location: string; message: string }[] }[] {
    const schema = SCHEMAS[call.table];
    const errors = call.body.rows.flatMap((row, index) => {
      const forced = row.insertId === undefined ? undefined : injected[row.insertId];
      if (forced) return [{ index, errors: [{ reason: forced, location: '', message: `injected ${forced}` }] }];
      const check = schema?.safeParse(row.json);
      if (!check || check.success) return [];
      const issue = check.error.issues[0];
      return [{ index, errors: [{ reason: 'invalid', location: issue?.path.join('.') ?? '', message: issue?.message ?? 'invalid row' }] }];
    });
    const failed = new Set(errors.map((e) => e.index));
    if (failed.size > 0 && !call.body.skipInvalidRows) {
      // Without skipInvalidRows BigQuery stores nothing and marks the other rows "stopped".
      return call.body.rows.map((_, index) => errors.find((e) => e.index === index) ?? { index, errors: [{ reason: 'stopped', location: '', message: '' }] });
    }
    const raw = this.raw.get(call.table) ?? [];
    const table = this.deduped.get(call.table) ?? new Map<string, Record<string, unknown>>();
    call.body.rows.forEach((row, index) => {
      if (failed.has(index)) return;
      raw.push(row);
      const key = row.insertId ?? `no-insert-id-${raw.length}`;
      if (!table.has(key)) table.set(key, row.json);
    });
    this.raw.set(call.table, raw);
    this.deduped.set(call.table, table);
    return errors;
  }
}

function errorBody(code: number, reason: string, message: string): unknown {
  return { error: { code, message, errors: [{ reason, message, domain: 'global' }], status: code === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

export async function startFakeBigQuery(project?: string, dataset?: string): Promise<{ fake: FakeBigQuery; endpoint: string }> {
  const fake = new FakeBigQuery(project, dataset);
  return { fake, endpoint: await fake.start() };
}
