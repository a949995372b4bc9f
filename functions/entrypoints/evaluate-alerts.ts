import { bigQueryQueryEngine } from '../adapters/bigquery/query.js';
import { loadSqlLibrary } from '../adapters/sql/load.js';
import { stdoutTelemetry } from '../adapters/telemetry/stdout.js';
import { bigQueryRegistry, openAlerts } from '../app/compose-alerts.js';
import { runEvaluation } from '../app/evaluate-alerts.js';
import { relinkRecent } from '../app/relink.js';
import { config, type Config } from '../config.js';
import type { SqlLibrary } from '../core/sql/library.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { IssueRegistry } from '../ports/issue-registry.js';
import type { QueryEngine } from '../ports/saved-query.js';
import type { Telemetry } from '../ports/telemetry.js';
import { once, type CloudEventHandler } from './ingest-log-entry.js';

interface EvaluateApp {
  engine: QueryEngine;
  lib: SqlLibrary;
  registry: IssueRegistry;
  open: typeof openAlerts;
}

async function build(settings: Config): Promise<EvaluateApp> {
  const loaded = loadSqlLibrary();
  if (loaded.errors.length > 0) throw new Error(`SQL library: ${loaded.errors.join('; ')}`);
  const engine = bigQueryQueryEngine({ projectId: settings.project, dataset: settings.dataset, apiEndpoint: settings.bigqueryEndpoint });
  return { engine, lib: loaded.library, registry: bigQueryRegistry(settings), open: openAlerts };
}

/**
 * issue_links is for analysts: no alert of this tick reads it (alerts match the issues
 * themselves). So a failed relink is reported (IssueLinksFailed) and does not fail the tick,
 * whose redelivery would evaluate the alerts again; the next tick, whose window overlaps this
 * one, catches up. Never rejects.
 */
async function relinkTick(app: EvaluateApp, settings: Config, telemetry: Telemetry, nowIso: string): Promise<void> {
  try {
    const { links, written } = await relinkRecent(app.registry, app.engine, app.lib, nowIso, settings.alerts.lookbackHours);
    telemetry.emit('INFO', 'IssueLinksRefreshed', { links, written });
  } catch (err) {
    telemetry.emit('ERROR', 'IssueLinksFailed', { error: err });
  }
}

/**
 * The Cloud Scheduler tick (through Pub/Sub; the message body is not read): alerts left
 * undelivered re-sent (runEvaluation), then spike and SLO alerts over the last hours. Resolve = ack; a throw (BigQuery unavailable, a claim that kept
 * conflicting) = 500, and the next tick or the redelivery runs it again, claims keeping it
 * exactly once. Alongside, issue_links gets the links of the same window (relinkTick),
 * awaited before answering: Cloud Functions throttles the CPU once the answer is sent.
 */
export function createEvaluateAlerts(settings: Config, telemetry: Telemetry, clock: Clock): CloudEventHandler {
  const app = once(() => build(settings));
  return async () => {
    const built = await app();
    const nowIso = clock.nowIso();
    const alerts = built.open(settings, telemetry, clock);
    const relinked = relinkTick(built, settings, telemetry, nowIso);
    try {
      // spike and SLO alerts name the linked issue too
      await alerts.refreshIssues();
      const raised = await runEvaluation(built.engine, built.lib, alerts.service, { nowIso, lookbackHours: settings.alerts.lookbackHours });
      telemetry.emit('INFO', 'AlertsEvaluated', { raised: raised.length, kinds: raised.map((a) => a.kind) });
    } catch (err) {
      telemetry.emit('ERROR', 'AlertEvaluationFailed', { error: err });
      throw err;
    } finally {
      await relinked;
      await alerts.close();
    }
  };
}

export function evaluateAlertsFromEnv(): CloudEventHandler {
  return createEvaluateAlerts(config(), stdoutTelemetry(), systemClock);
}
