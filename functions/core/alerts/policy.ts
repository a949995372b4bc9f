import { SYMPTOM_CATEGORIES } from '../issues/links.js';

/** What the alert policy reads from a classified entry. */
export interface AlertEntry {
  event_id: string;
  timestamp: string;
  project: string | null;
  service: string | null;
  revision: string | null;
  instance_id: string | null;
  category: string;
  rule_id: string | null;
  signature_id: string | null;
  params: Record<string, string | number>;
  excerpt: string | null;
  looks_like_failure: boolean | null;
}

/** Params that are configured limits: a rising value is escalation, not a new failure. */
export const ESCALATION_PARAMS: ReadonlySet<string> = new Set(['timeout_s', 'timeout_ms', 'pool_timeout_s', 'limit_mib', 'memory_limit_mib']);

const NEVER = new Set(['startup_progress', 'startup_success']);

export type Alertability = 'failure' | 'candidate' | 'none';

/**
 * Failures alert; unrelated entries that look like failures are new-signature candidates
 * (rate-limited harder); progress, success and noise never do.
 */
export function alertability(e: AlertEntry): Alertability {
  if (e.signature_id === null || NEVER.has(e.category)) return 'none';
  if (e.category === 'not_startup_related') return e.looks_like_failure === true ? 'candidate' : 'none';
  return 'failure';
}

export const isSymptom = (category: string) => SYMPTOM_CATEGORIES.has(category);

const part = (v: string | null) => v ?? '-';
export const newSignatureKey = (service: string | null, sig: string) => `new_signature|${part(service)}|${sig}`;
export const regressionKey = (service: string | null, sig: string, issue: number) => `regression|${part(service)}|${sig}|${issue}`;
export const escalationKey = (service: string | null, sig: string, param: string, value: number) => `escalation|${part(service)}|${sig}|${param}|${value}`;
export const sloKey = (service: string, hour: string) => `slo|${service}|${hour}`;
export const spikeKey = (service: string | null, sig: string, hour: string) => `spike|${part(service)}|${sig}|${hour}`;

/** A Cloud Logging query link to the entries of one signature's service around the time. */
export function logsUrl(e: { project: string | null; service: string | null; first_seen: string }): string | null {
  if (e.project === null || e.service === null) return null;
  const query = `resource.type="cloud_run_revision"\nresource.labels.service_name="${e.service}"`;
  const t = encodeURIComponent(e.first_seen);
  return `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(query)};cursorTimestamp=${t}?project=${encodeURIComponent(e.project)}`;
}
