/**
 * failure_events rows for seeding a table directly (the fake BigQuery's DuckDB), with the
 * required columns of schemas/bigquery/failure_events.json filled in. Only what issue
 * links read varies: signature, category, rule, params, service, instance and time.
 */
export type EventRow = Record<string, string | number | boolean | null>;

export interface EventFields {
  event_id: string;
  signature_id: string;
  category: string;
  /** RFC 3339 */
  event_timestamp: string;
  instance_id?: string | null;
  service?: string | null;
  rule_id?: string | null;
  params?: Record<string, string | number>;
}

export function failureEvent(f: EventFields): EventRow {
  return {
    event_id: f.event_id,
    event_timestamp: f.event_timestamp,
    ingest_time: f.event_timestamp,
    log_name: 'projects/test-project/logs/run.googleapis.com%2Fstderr',
    severity: 'ERROR',
    category: f.category,
    classifier_version: 'test',
    service: f.service === undefined ? 'orders-api' : f.service,
    instance_id: f.instance_id === undefined ? 'instance-1' : f.instance_id,
    rule_id: f.rule_id ?? null,
    signature_id: f.signature_id,
    params: JSON.stringify(f.params ?? {}),
    looks_like_failure: false,
  };
}

export const hoursAgo = (hours: number, from = Date.now()) => new Date(from - hours * 3_600_000).toISOString();
