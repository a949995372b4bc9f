import type { BigQuery, Query } from '@google-cloud/bigquery';
import { Alert } from '../../core/alerts/schema.js';
import { bigQueryQualifier } from '../../core/sql/library.js';
import type { SignatureStore } from '../../ports/signature-store.js';
import { bigQueryClient } from './client.js';

export interface BigQuerySignatureStoreOptions {
  /** null: the client finds the project from the environment (ADC) */
  projectId: string | null;
  dataset: string;
  /** the alert_keys table (schemas/bigquery/alert_keys.json) */
  table?: string;
  /** a local endpoint (emulator or test server) reached without credentials */
  apiEndpoint?: string | null;
  location?: string | null;
  /** DML attempts per claim (or delivery mark) when BigQuery reports a transient failure (serialization conflict, 5xx) */
  attempts?: number;
  /** first backoff; doubled per attempt, with jitter */
  backoffMs?: number;
  /** the backoff's sleep, replaceable in tests */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The claim. Only the inserter alerts: `numDmlAffectedRows` is 1 for it and 0 for everyone
 * else. BigQuery runs concurrent MERGEs on one table with snapshot isolation and fails the
 * loser of a conflict with "Could not serialize access", so two callers never both insert
 * (the table has no unique constraint; the MERGE's NOT MATCHED is the check).
 *
 * WHEN MATCHED … UPDATE makes the claim idempotent for its own caller: if an earlier attempt
 * committed but its answer was lost (a timeout, a 5xx), the retry finds the row it wrote
 * (same claimed_at and delivery, set from this caller's clock) and still answers 1; another
 * caller's row, or a redelivery's (a later claimed_at), answers 0.
 */
const mergeSql = (table: string) => `MERGE ${table} AS T
USING (
  SELECT @key AS alert_key, @kind AS kind, @service AS service, @signature_id AS signature_id,
    @first_seen AS first_seen, @claimed_at AS claimed_at, @delivery AS delivery, PARSE_JSON(@alert) AS alert
) AS S
ON T.alert_key = S.alert_key
WHEN NOT MATCHED THEN
  INSERT (alert_key, kind, service, signature_id, first_seen, claimed_at, delivery, alert)
  VALUES (S.alert_key, S.kind, S.service, S.signature_id, S.first_seen, S.claimed_at, S.delivery, S.alert)
WHEN MATCHED AND T.claimed_at = S.claimed_at AND T.delivery = S.delivery THEN
  UPDATE SET delivery = S.delivery`;

const historySql = (table: string) => `SELECT TO_JSON_STRING(alert) AS alert
FROM ${table}
WHERE (service = @service OR (service IS NULL AND @service IS NULL)) AND signature_id = @signature_id
ORDER BY first_seen, alert_key`;

const listSql = (table: string) => `SELECT TO_JSON_STRING(alert) AS alert, delivery
FROM ${table}
WHERE @since IS NULL OR first_seen >= @since
ORDER BY first_seen, alert_key`;

/** Idempotent: a retry after a lost answer finds delivered_at set and changes nothing. */
const markSql = (table: string) => `UPDATE ${table}
SET delivered_at = @delivered_at
WHERE alert_key = @key AND delivered_at IS NULL`;

const undeliveredSql = (table: string) => `SELECT TO_JSON_STRING(alert) AS alert
FROM ${table}
WHERE delivery = @delivery AND delivered_at IS NULL AND claimed_at < @before AND (@from IS NULL OR claimed_at >= @from)
ORDER BY claimed_at, alert_key`;

/** Errors after which the same MERGE may succeed; anything else is thrown at once. */
export function isRetryable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; errors?: { reason?: string; message?: string }[] };
  const text = [String(e.message ?? ''), ...(e.errors ?? []).map((x) => `${x.reason ?? ''} ${x.message ?? ''}`)].join(' ');
  if (/could not serialize access/i.test(text)) return true;
  if (/\b(backendError|internalError|rateLimitExceeded|jobRateLimitExceeded)\b/.test(text)) return true;
  return typeof e.code === 'number' && (e.code === 429 || e.code >= 500);
}

function client(o: BigQuerySignatureStoreOptions): BigQuery {
  // The retry policy is ours (below): the client's own would also retry what is not transient.
  return bigQueryClient({ projectId: o.projectId, apiEndpoint: o.apiEndpoint ?? null, autoRetry: false });
}

const parse = (text: unknown): Alert => Alert.parse(JSON.parse(String(text)));
const timestamp = (iso: string | null) => (iso === null ? null : { value: iso });

/**
 * Production first-seen on the alert_keys table: one MERGE per claim, with NAMED query
 * parameters (values never become SQL text). Serialization conflicts between concurrent
 * MERGEs are retried with backoff a bounded number of times, then thrown so that Pub/Sub
 * redelivers; the redelivered claim then finds the key and answers false.
 */
export class BigQuerySignatureStore implements SignatureStore {
  private readonly bq: BigQuery;
  private readonly table: string;

  constructor(private readonly o: BigQuerySignatureStoreOptions) {
    const located = bigQueryQualifier(o.projectId, o.dataset);
    if (!located.ok) throw new Error(located.error);
    this.table = `${located.qualifier}.${o.table ?? 'alert_keys'}`;
    this.bq = client(o);
  }

  async claim(alert: Alert, delivery: 'sent' | 'digested'): Promise<boolean> {
    const params = {
      key: alert.alert_key, kind: alert.kind, service: alert.service, signature_id: alert.signature_id,
      first_seen: timestamp(alert.first_seen), claimed_at: timestamp(alert.raised_at), delivery, alert: JSON.stringify(alert),
    };
    const types = { key: 'STRING', kind: 'STRING', service: 'STRING', signature_id: 'STRING', first_seen: 'TIMESTAMP', claimed_at: 'TIMESTAMP', delivery: 'STRING', alert: 'STRING' };
    return (await this.retrying(() => this.dml(this.request(mergeSql(this.table), params, types, 'claim')))) === 1;
  }

  async history(service: string | null, signatureId: string): Promise<Alert[]> {
    const rows = await this.select(this.request(historySql(this.table), { service, signature_id: signatureId }, { service: 'STRING', signature_id: 'STRING' }, 'history'));
    return rows.map((r) => parse(r.alert));
  }

  async list(since?: string): Promise<{ alert: Alert; delivery: string }[]> {
    const rows = await this.select(this.request(listSql(this.table), { since: timestamp(since ?? null) }, { since: 'TIMESTAMP' }, 'list'));
    return rows.map((r) => ({ alert: parse(r.alert), delivery: String(r.delivery) }));
  }

  /** An UPDATE beside concurrent claims' MERGEs may lose a serialization conflict: retried like them. */
  async markDelivered(alertKey: string, atIso: string): Promise<void> {
    const req = this.request(markSql(this.table), { key: alertKey, delivered_at: timestamp(atIso) }, { key: 'STRING', delivered_at: 'TIMESTAMP' }, 'mark_delivered');
    await this.retrying(() => this.dml(req));
  }

  async undelivered(olderThanIso: string, claimedFromIso?: string): Promise<Alert[]> {
    const params = { delivery: 'sent', before: timestamp(olderThanIso), from: timestamp(claimedFromIso ?? null) };
    const req = this.request(undeliveredSql(this.table), params, { delivery: 'STRING', before: 'TIMESTAMP', from: 'TIMESTAMP' }, 'undelivered');
    return (await this.select(req)).map((r) => parse(r.alert));
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    const attempts = this.o.attempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (err) {
        if (attempt >= attempts || !isRetryable(err)) throw err;
        await this.backoff(attempt);
      }
    }
  }

  private request(query: string, params: Record<string, unknown>, types: Record<string, string>, what: string): Query {
    const req: Query = { query, params, types, useLegacySql: false, labels: { component: 'faultline', query: `alert_keys_${what}` } };
    if (this.o.location) req.location = this.o.location;
    return req;
  }

  /** The DML's affected rows, from jobs.query's answer or getQueryResults' when it had to wait. */
  private async dml(req: Query): Promise<number> {
    const [, , response] = (await this.bq.query(req)) as unknown as [unknown[], unknown, { numDmlAffectedRows?: string } | undefined];
    const n = Number(response?.numDmlAffectedRows);
    // An answer without the count says nothing about who claimed: retried like a failure.
    if (!Number.isInteger(n)) throw Object.assign(new Error('DML answered without numDmlAffectedRows'), { code: 503 });
    return n;
  }

  private async select(req: Query): Promise<Record<string, unknown>[]> {
    const [rows] = await this.bq.query(req);
    return rows as Record<string, unknown>[];
  }

  private backoff(attempt: number): Promise<void> {
    const ms = (this.o.backoffMs ?? 200) * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
    return (this.o.sleep ?? ((t) => new Promise((r) => setTimeout(r, t))))(ms);
  }
}
