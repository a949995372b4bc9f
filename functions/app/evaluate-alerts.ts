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
 * What `evaluateAlerts` does on each Cloud Scheduler tick: the hourly aggregates of the last
 * hours from BigQuery, spike and SLO alerts computed from them, each alert key claimed once
 * through the store (ticks overlap: a key already claimed is not raised again) and sent.
 */
export async function runEvaluation(engine: QueryEngine, lib: SqlLibrary, alerts: AlertService, run: EvaluationRun): Promise<Alert[]> {
  const since = new Date(Math.floor(Date.parse(run.nowIso) / HOUR_MS) * HOUR_MS - run.lookbackHours * HOUR_MS).toISOString();
  const [countRows, outcomeRows] = await Promise.all([rows(engine, lib, EVALUATION_QUERIES.counts, since), rows(engine, lib, EVALUATION_QUERIES.outcomes, since)]);
  const counts: HourlyCount[] = countRows.map((r) => ({
    hour: hourOf(r.hour), service: (r.service as string | null) ?? null, signature_id: String(r.signature_id), category: String(r.category), count: Number(r.count),
  }));
  const outcomes: HourlyOutcome[] = outcomeRows.map((r) => ({ hour: hourOf(r.hour), service: String(r.service), successes: Number(r.successes), failures: Number(r.failures) }));
  return evaluateAlerts(alerts, { counts, outcomes }, run.options ?? DEFAULT_EVALUATE, run.nowIso);
}
