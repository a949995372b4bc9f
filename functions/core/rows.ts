import { z } from 'zod';
import type { ClassifiedRecord } from './classify/entry.js';
import { sha256Hex } from './hash.js';
import { redactHead } from './redact-head.js';
import type { ReasonCode } from './taxonomy.js';

/**
 * Row shapes of the tables in schemas/bigquery/*.json, as written by every EventSink.
 * Hand-written on purpose: a test checks them column by column against the JSON schemas,
 * so neither can drift. `bq` metadata names the BigQuery type where zod's is ambiguous.
 */
const ts = () => z.string().meta({ bq: 'TIMESTAMP' });
const json = () => z.string().meta({ bq: 'JSON' });

export const FailureEventRow = z.object({
  event_id: z.string(),
  message_id: z.string().nullable(),
  event_timestamp: ts(),
  receive_timestamp: ts().nullable(),
  publish_time: ts().nullable(),
  ingest_time: ts(),
  project: z.string().nullable(),
  service: z.string().nullable(),
  revision: z.string().nullable(),
  location: z.string().nullable(),
  instance_id: z.string().nullable(),
  log_name: z.string(),
  severity: z.string(),
  category: z.string(),
  rule_id: z.string().nullable(),
  signature_id: z.string().nullable(),
  template: z.string().nullable(),
  params: json().nullable(),
  excerpt: z.string().nullable(),
  trace: z.string().nullable(),
  fragment: z.string().nullable(),
  stack_id: z.string().nullable(),
  looks_like_failure: z.boolean().nullable(),
  message_source: z.string().nullable(),
  classifier_version: z.string(),
});
export type FailureEventRow = z.infer<typeof FailureEventRow>;

export const RejectedEntryRow = z.object({
  rejection_id: z.string(),
  reason: z.string(),
  detail: z.string().nullable(),
  message_id: z.string().nullable(),
  publish_time: ts().nullable(),
  receive_time: ts(),
  source: z.string().nullable(),
  payload: z.string().nullable(),
  payload_bytes: z.number().int(),
  payload_sha256: z.string(),
  classifier_version: z.string(),
});
export type RejectedEntryRow = z.infer<typeof RejectedEntryRow>;

/** Raw payloads of rejected records are kept up to this size, after redaction. */
export const REJECTED_PAYLOAD_LIMIT_CHARS = 16 * 1024;

export function toEventRow(r: ClassifiedRecord, ingestTime: string): FailureEventRow {
  return {
    event_id: r.event_id,
    message_id: r.message_id,
    event_timestamp: r.timestamp,
    receive_timestamp: r.receive_timestamp,
    publish_time: r.publish_time,
    ingest_time: ingestTime,
    project: r.project,
    service: r.service,
    revision: r.revision,
    location: r.location,
    instance_id: r.instance_id,
    log_name: r.log_name,
    severity: r.severity,
    category: r.category,
    rule_id: r.rule_id,
    signature_id: r.signature_id,
    template: r.template,
    params: JSON.stringify(r.params),
    excerpt: r.excerpt,
    trace: r.trace,
    fragment: r.fragment,
    stack_id: r.stack_id,
    looks_like_failure: r.looks_like_failure,
    message_source: r.message_source,
    classifier_version: r.classifier_version,
  };
}

export interface Rejection {
  reason: ReasonCode;
  detail: string;
  messageId: string | null;
  publishTime: string | null;
  /** the raw record as received; redacted and truncated here, never stored as is */
  raw: string;
  /** pubsub, or replay:<file>:<n>: distinguishes identical bad records of different origins */
  source: string;
}

export function toRejectedRow(r: Rejection, receiveTime: string, classifierVersion: string): RejectedEntryRow {
  const sha = sha256Hex(r.raw);
  // A Pub/Sub message id names one delivery for good (redeliveries keep it); without one the
  // record's origin and content do.
  const key = r.messageId !== null ? `message\u001f${r.messageId}` : `record\u001f${r.source}\u001f${sha}`;
  return {
    rejection_id: sha256Hex(key).slice(0, 32),
    reason: r.reason,
    detail: r.detail,
    message_id: r.messageId,
    publish_time: r.publishTime,
    receive_time: receiveTime,
    source: r.source,
    payload: redactHead(r.raw, REJECTED_PAYLOAD_LIMIT_CHARS),
    payload_bytes: Buffer.byteLength(r.raw, 'utf8'),
    payload_sha256: sha,
    classifier_version: classifierVersion,
  };
}
