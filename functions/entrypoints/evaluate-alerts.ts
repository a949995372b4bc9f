import { bigQueryQueryEngine } from '../adapters/bigquery/query.js';
import { loadSqlLibrary } from '../adapters/sql/load.js';
import { stdoutTelemetry } from '../adapters/telemetry/stdout.js';
import { openAlerts } from '../app/compose-alerts.js';
import { runEvaluation } from '../app/evaluate-alerts.js';
import { config, type Config } from '../config.js';
import type { SqlLibrary } from '../core/sql/library.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { QueryEngine } from '../ports/saved-query.js';
import type { Telemetry } from '../ports/telemetry.js';
import { once, type CloudEventHandler } from './ingest-log-entry.js';

interface EvaluateApp {
  engine: QueryEngine;
  lib: SqlLibrary;
  open: typeof openAlerts;
}

async function build(settings: Config): Promise<EvaluateApp> {
  const loaded = loadSqlLibrary();
  if (loaded.errors.length > 0) throw new Error(`SQL library: ${loaded.errors.join('; ')}`);
  const engine = bigQueryQueryEngine({ projectId: settings.project, dataset: settings.dataset, apiEndpoint: settings.bigqueryEndpoint });
  return { engine, lib: loaded.library, open: openAlerts };
}

/**
 * The Cloud Scheduler tick (through Pub/Sub; the message body is not read): alerts left
 * undelivered re-sent (runEvaluation), then spike and SLO alerts over the last hours. Resolve = ack; a throw (BigQuery unavailable, a claim that kept
 * conflicting) = 500, and the next tick or the redelivery runs it again, claims keeping it
 * exactly once.
 */
export function createEvaluateAlerts(settings: Config, telemetry: Telemetry, clock: Clock): CloudEventHandler {
  const app = once(() => build(settings));
  return async () => {
    const { engine, lib, open } = await app();
    const alerts = open(settings, telemetry, clock);
    try {
      // spike and SLO alerts name the linked issue too
      await alerts.refreshIssues();
      const raised = await runEvaluation(engine, lib, alerts.service, { nowIso: clock.nowIso(), lookbackHours: settings.alerts.lookbackHours });
      telemetry.emit('INFO', 'AlertsEvaluated', { raised: raised.length, kinds: raised.map((a) => a.kind) });
    } catch (err) {
      telemetry.emit('ERROR', 'AlertEvaluationFailed', { error: err });
      throw err;
    } finally {
      await alerts.close();
    }
  };
}

export function evaluateAlertsFromEnv(): CloudEventHandler {
  return createEvaluateAlerts(config(), stdoutTelemetry(), systemClock);
}
