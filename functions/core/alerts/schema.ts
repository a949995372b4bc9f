import { z } from 'zod';

/**
 * The alert message every channel carries (Pub/Sub body, webhook, stdout/file, the
 * alert_keys.alert column). Documented in README "Alerts"; texts are redacted upstream.
 */
export const ALERT_KINDS = ['new_signature', 'regression', 'escalation', 'spike', 'slo', 'digest'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const iso = z.iso.datetime({ offset: true });

export const AlertIssue = z.object({
  number: z.number().int(),
  title: z.string(),
  url: z.string(),
  state: z.enum(['open', 'closed']),
  closed_at: iso.nullable(),
  /** how the signature links to it: explicit, predicate, marker, symptom */
  link: z.string(),
});
export type AlertIssue = z.infer<typeof AlertIssue>;

export const Alert = z.object({
  schema: z.literal('faultline-alert/v1'),
  alert_key: z.string().min(1),
  kind: z.enum(ALERT_KINDS),
  /** one line for people */
  summary: z.string(),
  service: z.string().nullable(),
  project: z.string().nullable(),
  signature_id: z.string().nullable(),
  category: z.string().nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** time of the entry (or start of the hour) that raised it */
  first_seen: iso,
  raised_at: iso,
  /** entries behind it: 1 at ingestion, the hour's count for spike and slo */
  count: z.number().int().nonnegative(),
  revision: z.string().nullable(),
  event_id: z.string().nullable(),
  /** the redacted log line */
  example: z.string().nullable(),
  /** the issue that owns the signature now (open first), when linked */
  issue: AlertIssue.nullable(),
  regression: z.object({ closed_issue: AlertIssue, closed_at: iso }).nullable(),
  escalation: z.object({ param: z.string(), from: z.number(), to: z.number() }).nullable(),
  /** slo: success rate and threshold; spike: hourly rate and baseline */
  measure: z.object({ value: z.number(), threshold: z.number(), baseline: z.number().nullable() }).nullable(),
  /** digest: the alerts rolled into it */
  digest: z.array(z.object({ alert_key: z.string(), kind: z.string(), summary: z.string() })).nullable(),
  logs_url: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;
