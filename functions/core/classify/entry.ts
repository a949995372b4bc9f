import type { Category, Params, ReasonCode } from '../taxonomy.js';
import { eventId } from '../hash.js';
import { redactEnds } from '../redact-head.js';
import { redactParams } from '../redact-params.js';
import { SCAN_LIMIT_CHARS } from './candidates.js';
import { finishReading, readMessage, type MessageClassification, type MessageReading } from './classify.js';
import type { RuleSet } from './compile.js';
import { extractText, type EntryLike, type EntryText } from './message.js';
import type { FragmentKind } from './stack.js';
import { OutcomeMemo } from './outcome-memo.js';
import { isFailureSeverity } from './failure-evidence.js';
import { workloadOf, type ResourceLike } from './workload.js';

/** How much redacted text of an entry travels with its row: a long text's first and last KiB (see redactEnds). */
export const EXCERPT_HEAD_CHARS = 1024;
export const EXCERPT_TAIL_CHARS = 1024;

export type DecodedLike = EntryLike &
  ResourceLike & {
    logName: string;
    timestamp: string;
    insertId?: string | undefined;
    receiveTimestamp?: string | undefined;
    trace?: string | undefined;
  };

export interface ClassifiedRecord {
  status: 'classified';
  category: Category;
  params: Params;
  signature_id: string | null;
  template: string;
  rule_id: string | null;
  event_id: string;
  service: string | null;
  timestamp: string;
  severity: string;
  log_name: string;
  project: string | null;
  revision: string | null;
  location: string | null;
  instance_id: string | null;
  trace: string | null;
  fragment: FragmentKind | null;
  stack_id: string | null;
  looks_like_failure: boolean;
  message_source: string;
  excerpt: string;
  message_id: string | null;
  publish_time: string | null;
  receive_timestamp: string | null;
  classifier_version: string;
}

export interface RejectedRecord {
  status: 'rejected';
  reason: ReasonCode;
  detail: string;
  message_id: string | null;
  publish_time: string | null;
}

export type OutputRecord = ClassifiedRecord | RejectedRecord;

export interface DeliveryMeta {
  messageId: string | null;
  publishTime: string | null;
}

/** A payload with no message field (an unusual jsonPayload) is still classified by its JSON. */
function withFallbackText(entry: DecodedLike, text: EntryText): EntryText {
  if (text.message !== null || text.stack !== null) return text;
  const payload = entry.jsonPayload ?? entry.protoPayload;
  if (payload === undefined) return text;
  return { message: JSON.stringify(payload).slice(0, SCAN_LIMIT_CHARS), stack: null, detail: null, source: text.source };
}

export function excerptOf(text: EntryText): string {
  const joined =
    text.detail === null && text.stack === null ? (text.message ?? '') : [text.message, text.detail, text.stack].filter((t) => t !== null).join('\n');
  return redactEnds(joined, EXCERPT_HEAD_CHARS, EXCERPT_TAIL_CHARS);
}

/** Everything an entry's record takes from its text; shared between entries, so frozen. */
export interface MessageOutcome {
  readonly c: Readonly<MessageClassification>;
  readonly params: Readonly<Params>;
  readonly excerpt: string;
}

/** What an entry's record takes from its text alone, whatever workload logged it. */
interface TextOutcome {
  readonly reading: MessageReading;
  readonly params: Readonly<Params>;
  readonly excerpt: string;
}

const memos = new WeakMap<RuleSet, OutcomeMemo<TextOutcome, MessageOutcome>>();

/**
 * Fleet logs repeat the same lines over and over, and what a record takes from its text is a
 * pure function of (rules, text, workload, severity): a repeated line reuses it instead of
 * paying for rule matching, masking, redaction and hashing again. The text is looked up once;
 * only its ids and failure look are made per workload and kind of severity (a probe, a
 * platform's OOM message, a stderr line stored at ERROR and INFO): a finished outcome depends
 * on the severity only through isFailureSeverity (see finishReading).
 */
export function messageOutcome(rules: RuleSet, text: EntryText, scope: string, severity: string): MessageOutcome {
  let memo = memos.get(rules);
  if (!memo) memos.set(rules, (memo = new OutcomeMemo((t) => textOutcome(rules, t), finished)));
  return memo.get(text, scope, severity, isFailureSeverity(severity));
}

function finished(t: TextOutcome, scope: string, severity: string): MessageOutcome {
  return Object.freeze({ c: Object.freeze(finishReading(t.reading, scope, severity)), params: t.params, excerpt: t.excerpt });
}

function textOutcome(rules: RuleSet, text: EntryText): TextOutcome {
  const reading = readMessage(rules, text);
  Object.freeze(reading.params);
  return Object.freeze({ reading: Object.freeze(reading), params: Object.freeze(redactParams(reading.params)), excerpt: excerptOf(text) });
}

export function classifyEntry(
  rules: RuleSet,
  entry: DecodedLike,
  meta: DeliveryMeta,
  classifierVersion: string,
): ClassifiedRecord {
  const workload = workloadOf(entry);
  const severity = typeof entry.severity === 'string' ? entry.severity : 'DEFAULT';
  const text = withFallbackText(entry, extractText(entry));
  const outcome = messageOutcome(rules, text, workload.scope, severity);
  const c = outcome.c;
  // insertId is optional in LogEntry; the payload then stands in so that re-exports still dedupe.
  const insertId = entry.insertId ?? JSON.stringify(entry.textPayload ?? entry.jsonPayload ?? entry.protoPayload ?? entry.httpRequest ?? null);
  return {
    status: 'classified',
    category: c.category,
    params: outcome.params,
    signature_id: c.signature_id,
    template: c.template,
    rule_id: c.rule_id,
    event_id: eventId(entry.logName, entry.timestamp, insertId),
    service: workload.service,
    timestamp: entry.timestamp,
    severity,
    log_name: entry.logName,
    project: workload.project,
    revision: workload.revision,
    location: workload.location,
    instance_id: workload.instanceId,
    trace: entry.trace ?? null,
    fragment: c.fragment,
    stack_id: c.stack_id,
    looks_like_failure: c.looks_like_failure,
    message_source: text.source,
    excerpt: outcome.excerpt,
    message_id: meta.messageId,
    publish_time: meta.publishTime,
    receive_timestamp: entry.receiveTimestamp ?? null,
    classifier_version: classifierVersion,
  };
}
