import { BigQuerySignatureStore } from '../adapters/bigquery/signature-store.js';
import type { Config } from '../config.js';
import type { Clock } from '../ports/clock.js';
import type { SignatureStore } from '../ports/signature-store.js';
import type { Telemetry } from '../ports/telemetry.js';
import { openAlertChannels } from './alert-channels.js';
import { AlertService } from './alerts.js';

/** The production first-seen store: MERGE on the dataset's alert_keys table. */
export function bigQueryStore(config: Config): SignatureStore {
  return new BigQuerySignatureStore({ projectId: config.project, dataset: config.dataset, table: config.alerts.table, apiEndpoint: config.bigqueryEndpoint });
}

export interface OpenAlerts {
  service: AlertService;
  close(): Promise<void>;
}

/**
 * The alert service of one instance. Issues are not loaded yet (no BigQuery issue registry):
 * new-signature and escalation alerts work, regression alerts need the linked issues.
 */
export function openAlerts(config: Config, telemetry: Telemetry, clock: Clock, store: SignatureStore = bigQueryStore(config)): OpenAlerts {
  // Channels by configuration: stdout always, Pub/Sub with FAULTLINE_ALERTS_TOPIC, the webhook with FAULTLINE_WEBHOOK_URL.
  const channels = openAlertChannels(config, telemetry);
  // TODO(issue 6): issues from a BigQuery IssueRegistry (issues, issue_links) once one exists.
  const service = new AlertService({ store, publishers: [channels.publisher], issues: [], clock, telemetry });
  return { service, close: channels.close };
}
