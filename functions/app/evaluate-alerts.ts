import type { HourlyCount, HourlyOutcome } from '../core/alerts/evaluate.js';
import { DEFAULT_EVALUATE, type EvaluateOptions } from '../core/alerts/evaluate.js';
import type { Alert } from '../core/alerts/schema.js';
import type { SqlLibrary } from '../core/sql/library.js';
import type { ResultRow } from '../core/sql/values.js';
import type { QueryEngine } from '../ports/saved-query.js';
import { evaluateAlerts, type AlertService } from './alerts.js';
import { runSavedQuery } from './saved-query.js';

/** The saved SQL behind spike and SLO alerts (sql/analyses). */
export const EVALUATION_QUERIES = { counts: 'alert_signature_hourly', outcomes: 'alert_startup_hourly' } as const;

const HOUR_MS = 3_600_000;

/** Hours as the local evaluation names them (`2026-03-02T10:00:00Z`), so alert keys agree across engines. */
const hourOf = (v: unknown) => new Date(String(v)).toISOString().replace(/\.\d+Z$/, 'Z');

async function rows(engine: QueryEngine, lib: SqlLibrary, name: string, sinceIso: string): Promise<ResultRow[]> {
  const outcome = await runSavedQuery(engine, lib, name, { since: sinceIso });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.answer.rows;
}

export interface EvaluationRun {
  nowIso: string;
  lookbackHours: number;
  options?: EvaluateOptions;
}

/**
 * Claims at least this old and still undelivered are re-sent. Past the longest a first
 * delivery can run (ingestLogEntry's 60 s timeout; the webhook's 30 s retry budget), so an
 * alert still being published by the instance that claimed it is not sent twice.
 */
export const REDELIVER_AFTER_MS = 120_000;
/** Redelivery stops starting alerts after this, leaving evaluateAlerts' 300 s to the evaluation. */
export const REDELIVER_BUDGET_MS = 120_000;
/**
 * Older claims are given up: an alert a day late is no longer news, a channel that refused it
 * for a day would otherwise get it every tick forever, and claims made before delivery was
 * recorded (a table upgraded in place) are not sent again.
 */
export const REDELIVER_MAX_AGE_MS = 24 * 3_600_000;

const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The outbox's retry, run by every tick before it evaluates: undelivered alerts re-sent. */
export function redeliverStale(alerts: AlertService, nowIso: string): Promise<Alert[]> {
  return alerts.redeliver(shift(nowIso, -REDELIVER_AFTER_MS), shift(nowIso, REDELIVER_BUDGET_MS), shift(nowIso, -REDELIVER_MAX_AGE_MS));
}

/**
 * What `evaluateAlerts` does on each Cloud Scheduler tick: undelivered alerts re-sent, then
 * the hourly aggregates of the last hours from BigQuery, spike and SLO alerts computed from
 * them, each alert key claimed once through the store (ticks overlap: a key already claimed
 * is not raised again) and sent.
 */
export async function runEvaluation(engine: QueryEngine, lib: SqlLibrary, alerts: AlertService, run: EvaluationRun): Promise<Alert[]> {
  await redeliverStale(alerts, run.nowIso);
  const since = new Date(Math.floor(Date.parse(run.nowIso) / HOUR_MS) * HOUR_MS - run.lookbackHours * HOUR_MS).toISOString();
  const [countRows, outcomeRows] = await Promise.all([rows(engine, lib, EVALUATION_QUERIES.counts, since), rows(engine, lib, EVALUATION_QUERIES.outcomes, since)]);
  const counts: HourlyCount[] = countRows.map((r) => ({
    hour: hourOf(r.hour), service: (r.service as string | null) ?? null, signature_id: String(r.signature_id), category: String(r.category), count: Number(r.count),
  }));
  const outcomes: HourlyOutcome[] = outcomeRows.map((r) => ({ hour: hourOf(r.hour), service: String(r.service), successes: Number(r.successes), failures: Number(r.failures) }));
  return evaluateAlerts(alerts, { counts, outcomes, windowStartIso: since }, run.options ?? DEFAULT_EVALUATE, run.nowIso);
}
