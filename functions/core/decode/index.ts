/**
 * The pure decoding layer: raw records, Pub/Sub messages and CloudEvents in, exactly one
 * DecodeResult out per record, never an exception.
 */
export type { DecodeResult, Rejection, MessageMeta } from './result.js';
export { MAX_RECORD_BYTES, TRUNCATED_RAW_CHARS } from './result.js';
export {
  LOG_SEVERITIES,
  LogEntrySchema,
  MonitoredResource,
  HttpRequest,
  LogEntryOperation,
  LogEntrySourceLocation,
  LogSplit,
  ProtoPayload,
  JsonPayload,
  Severity,
  Rfc3339,
  toSeverityName,
} from './log-entry.js';
export type { LogEntry, LogSeverity } from './log-entry.js';
export { isRfc3339 } from './timestamp.js';
export { decodeStrictBase64, decodeUtf8 } from './base64.js';
export type { Base64Result, Utf8Result } from './base64.js';
export { ENTRY_REASON_PRECEDENCE, validateLogEntry, validateLogEntryReference, validateParsedLogEntry } from './validate-entry.js';
export type { EntryCheck, EntryReason } from './validate-entry.js';
export { PubsubMessageSchema, decodePubsubMessage } from './pubsub.js';
export type { PubsubMessage } from './pubsub.js';
export { MESSAGE_PUBLISHED, PushEnvelopeSchema, StructuredCloudEventSchema, decodeCloudEvent } from './cloud-event.js';
export type { EventHeaders, PushEnvelope, StructuredCloudEvent } from './cloud-event.js';
export { decodeRecord, detectFormat } from './record.js';
export type { RecordFormat, ConcreteFormat } from './record.js';
export { RecordSplitter, decideMode, splitRecords } from './splitter.js';
export type { SplitMode, SplitterOptions } from './splitter.js';
export { decodeLogEntry } from './entry.js';
