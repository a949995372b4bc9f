import { BigQueryIssueRegistry } from '../adapters/bigquery/issue-registry.js';
import { BigQuerySignatureStore } from '../adapters/bigquery/signature-store.js';
import type { Config } from '../config.js';
import type { OutputRecord } from '../core/classify/entry.js';
import type { Issue } from '../core/issues/schema.js';
import type { Clock } from '../ports/clock.js';
import type { IssueRegistry } from '../ports/issue-registry.js';
import type { SignatureStore } from '../ports/signature-store.js';
import type { Telemetry } from '../ports/telemetry.js';
import { openAlertChannels } from './alert-channels.js';
import { AlertService } from './alerts.js';

/** The production first-seen store: MERGE on the dataset's alert_keys table. */
export function bigQueryStore(config: Config): SignatureStore {
  return new BigQuerySignatureStore({ projectId: config.project, dataset: config.dataset, table: config.alerts.table, apiEndpoint: config.bigqueryEndpoint });
}

/** The production issue registry: the dataset's issues and issue_links tables. */
export function bigQueryRegistry(config: Config): IssueRegistry {
  return new BigQueryIssueRegistry({ projectId: config.project, dataset: config.dataset, apiEndpoint: config.bigqueryEndpoint });
}

/** What takes a freshly read issue list (AlertService). */
export interface IssueTarget {
  setIssues(issues: readonly Issue[]): void;
}

/** After a failed read, try again sooner than the TTL: the instance may hold no issues at all. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * Keeps an instance's issue list at most `ttlMs` old, so that an issue closed or imported
 * after cold start takes part in regression alerts within the TTL. Read on the request path
 * (`fresh`), not on a timer: Cloud Functions throttles the CPU between requests. One read at
 * a time; a failed read is reported and the previous list kept: ingestion never fails for it.
 */
export class IssueRefresher {
  private nextAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | null = null;
  private current: readonly Issue[] = [];

  constructor(
    private readonly registry: Pick<IssueRegistry, 'list'>,
    private readonly target: IssueTarget,
    private readonly clock: Clock,
    private readonly telemetry: Telemetry,
    private readonly ttlMs: number,
  ) {}

  get issues(): readonly Issue[] {
    return this.current;
  }

  /** Resolves once the list is fresh, or its read failed; never rejects. */
  fresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.now() < this.nextAt) return Promise.resolve();
    this.inflight = this.read().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async read(): Promise<void> {
    const started = this.now();
    try {
      const issues = (await this.registry.list()).map((x) => x.issue);
      this.current = issues;
      this.target.setIssues(issues);
      this.nextAt = started + this.ttlMs;
      this.telemetry.emit('INFO', 'IssuesLoaded', { issues: issues.length, closed: issues.filter((i) => i.state === 'closed').length });
    } catch (err) {
      this.nextAt = started + Math.min(this.ttlMs, RETRY_AFTER_FAILURE_MS);
      this.telemetry.emit('WARNING', 'IssuesRefreshFailed', { error: err instanceof Error ? err.message : String(err), kept: this.current.length });
    }
  }

  private now(): number {
    return Date.parse(this.clock.nowIso());
  }
}

export interface OpenAlerts {
  service: AlertService;
  /** service.observe after the issue list is fresh (at most FAULTLINE_ISSUES_REFRESH_S old) */
  observe(record: OutputRecord & { status: 'classified' }): Promise<void>;
  /** resolves once the issue list is fresh (or its read failed) */
  refreshIssues(): Promise<void>;
  close(): Promise<void>;
}

/** The alert service of one instance, with the issues of the BigQuery registry. */
export function openAlerts(
  config: Config,
  telemetry: Telemetry,
  clock: Clock,
  store: SignatureStore = bigQueryStore(config),
  registry: Pick<IssueRegistry, 'list'> = bigQueryRegistry(config),
): OpenAlerts {
  // Channels by configuration: stdout always, Pub/Sub with FAULTLINE_ALERTS_TOPIC, the webhook with FAULTLINE_WEBHOOK_URL.
  const channels = openAlertChannels(config, telemetry);
  const service = new AlertService({ store, publishers: [channels.publisher], issues: [], clock, telemetry });
  const refresher = new IssueRefresher(registry, service, clock, telemetry, config.alerts.issuesRefreshS * 1000);
  // The cold start's read begins now; the first delivery waits for this same read.
  void refresher.fresh();
  return {
    service,
    observe: async (record) => {
      await refresher.fresh();
      return service.observe(record);
    },
    refreshIssues: () => refresher.fresh(),
    close: channels.close,
  };
}
