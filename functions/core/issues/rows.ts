import { z } from 'zod';

/** Rows of schemas/bigquery/{issues,issue_links,alert_keys}.json (test/schemas.test.ts checks them). */
const ts = () => z.string().meta({ bq: 'TIMESTAMP' });
const json = () => z.string().meta({ bq: 'JSON' });

export const IssueRow = z.object({
  issue_id: z.string(),
  repository: z.string(),
  number: z.number().int(),
  title: z.string(),
  url: z.string(),
  state: z.string(),
  created_at: ts(),
  closed_at: ts().nullable(),
  labels: json(),
  definition: json(),
  imported_at: ts(),
});
export type IssueRow = z.infer<typeof IssueRow>;

export const LINK_SOURCES = ['explicit', 'predicate', 'marker', 'symptom'] as const;
export type LinkSource = (typeof LINK_SOURCES)[number];

export const IssueLinkRow = z.object({
  link_id: z.string(),
  issue_id: z.string(),
  number: z.number().int(),
  signature_id: z.string(),
  service: z.string().nullable(),
  source: z.string(),
  detail: z.string().nullable(),
  linked_at: ts(),
});
export type IssueLinkRow = z.infer<typeof IssueLinkRow>;

export const AlertKeyRow = z.object({
  alert_key: z.string(),
  kind: z.string(),
  service: z.string().nullable(),
  signature_id: z.string().nullable(),
  first_seen: ts().nullable(),
  claimed_at: ts(),
  delivery: z.string(),
  alert: json(),
  delivered_at: ts().nullable(),
});
export type AlertKeyRow = z.infer<typeof AlertKeyRow>;
