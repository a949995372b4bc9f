import type { Database } from '../adapters/duckdb/database.js';
import { DuckDbIssueRegistry } from '../adapters/duckdb/issue-registry.js';
import { duckDbQueryEngine } from '../adapters/duckdb/query.js';
import { requireSqlLibrary } from '../adapters/sql/load.js';
import { DuckDbSignatureStore, hourlySignatureCounts } from '../adapters/duckdb/signature-store.js';
import { hourlyStartups } from '../adapters/duckdb/reports.js';
import { fileAlertPublisher } from '../adapters/file/alert-file.js';
import { createWebhookPublisher } from '../adapters/webhook/publisher.js';
import { fanOutPublisher } from '../app/alert-fanout.js';
import { parseConfig } from '../config.js';
import { AlertService, evaluateAlerts } from '../app/alerts.js';
import { redeliverStale } from '../app/evaluate-alerts.js';
import { ALL_TIME, relinkFromQueries } from '../app/relink.js';
import { DEFAULT_EVALUATE } from '../core/alerts/evaluate.js';
import { systemClock } from '../ports/clock.js';
import type { AlertPublisher } from '../ports/alert-publisher.js';
import { silentTelemetry, type Telemetry } from '../ports/telemetry.js';
import { importIssuesFileInto } from './issues-file.js';
import { LocalError } from './local.js';

/** Local mode's alerting: the DuckDB file's alert_keys and issues, channels from options. */
export interface LocalAlertOptions {
  /** a faultline-issues/v1 file imported before anything is classified */
  issuesFile?: string;
  /** JSON lines of sent alerts appended here */
  alertsFile?: string;
}

export async function importIssuesFile(db: Database, path: string): Promise<number> {
  return importIssuesFileInto(new DuckDbIssueRegistry(db), path);
}

export async function openLocalAlerts(db: Database, options: LocalAlertOptions): Promise<AlertService> {
  if (options.issuesFile !== undefined) await importIssuesFile(db, options.issuesFile);
  const issues = (await new DuckDbIssueRegistry(db).list()).map((x) => x.issue);
  const publishers: AlertPublisher[] = options.alertsFile ? [fileAlertPublisher(options.alertsFile)] : [];
  publishers.push(...localWebhook(process.env));
  return new AlertService({ store: new DuckDbSignatureStore(db), publishers, issues, clock: systemClock, telemetry: silentTelemetry });
}

/** Webhook retries and failures on stderr: local output on stdout stays parseable. */
const stderrTelemetry: Telemetry = {
  emit: (severity, event, fields = {}) => {
    if (severity === 'WARNING' || severity === 'ERROR') process.stderr.write(`faultline: ${event} ${JSON.stringify(fields)}\n`);
  },
};

/**
 * FAULTLINE_WEBHOOK_URL (with FAULTLINE_WEBHOOK_ALLOWED_HOSTS) sends local alerts to the webhook
 * too. An environment variable and not a flag: the URL is a secret, and argv is not.
 */
export function localWebhook(env: Record<string, string | undefined>): AlertPublisher[] {
  const url = env['FAULTLINE_WEBHOOK_URL'];
  if (!url) return [];
  const { webhook } = parseConfig({ FAULTLINE_SINK: 'duckdb', FAULTLINE_WEBHOOK_URL: url, FAULTLINE_WEBHOOK_ALLOWED_HOSTS: env['FAULTLINE_WEBHOOK_ALLOWED_HOSTS'] });
  try {
    const channel = createWebhookPublisher({ url, allowedHosts: webhook.allowedHosts, telemetry: stderrTelemetry });
    return [fanOutPublisher([channel], stderrTelemetry)];
  } catch (err) {
    throw new LocalError(`FAULTLINE_WEBHOOK_URL refused: ${(err as Error).message}`);
  }
}

/**
 * After a replay: links recomputed, then spike and SLO evaluation, then pending digests, then
 * alerts left undelivered by earlier runs (a failed webhook) re-sent, as evaluateAlerts does.
 */
export async function finishLocalAlerts(db: Database, alerts: AlertService): Promise<void> {
  await relinkLocal(db);
  await evaluateAlerts(alerts, { outcomes: await hourlyStartups(db), counts: await hourlySignatureCounts(db) }, DEFAULT_EVALUATE, systemClock.nowIso());
  await redeliverStale(alerts, systemClock.nowIso());
}

/**
 * The saved SQL production relinks with, transpiled, over every stored entry. The engine is
 * not closed: that would close the caller's database.
 */
export async function relinkLocal(db: Database): Promise<number> {
  const engine = duckDbQueryEngine(db, { shared: true });
  const run = { nowIso: systemClock.nowIso(), sinceIso: ALL_TIME, mode: 'replace' as const };
  return (await relinkFromQueries(new DuckDbIssueRegistry(db), engine, requireSqlLibrary(), run)).links;
}
