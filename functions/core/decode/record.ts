import { decodeEvent } from './cloud-event.js';
import { decodeParsedEntry } from './entry.js';
import { decodeMessage } from './pubsub.js';
import { MAX_RECORD_BYTES, NO_META, TRUNCATED_RAW_CHARS, guarded, isPlainObject, jsonErrorDetail, reject, utf8Length, type DecodeResult } from './result.js';

/**
 * `entry`: a LogEntry; `pubsub`: a Pub/Sub message ({data, messageId, ...}); `push`: a push
 * body or pull ReceivedMessage ({message, subscription} / {ackId, message}) or a structured
 * CloudEvent; `auto`: decided per record by shape (see detectFormat).
 */
export type RecordFormat = 'auto' | 'entry' | 'pubsub' | 'push';
export type ConcreteFormat = Exclude<RecordFormat, 'auto'>;

const ENTRY_KEYS = ['logName', 'resource', 'timestamp'];
const PUSH_KEYS = ['subscription', 'ackId', 'ack_id', 'specversion'];
const MESSAGE_KEYS = ['data', 'messageId', 'message_id', 'attributes', 'publishTime', 'publish_time'];

/**
 * Entry keys win, so an entry that merely has a `data` label is never read as a message. An
 * object `message` makes a push body even without `subscription`; a string `message` (an app's
 * structured log line pasted as a record) stays an entry and is rejected as one. Whatever
 * matches nothing is an entry, which yields the most telling reason (NOT_OBJECT, MISSING_FIELD).
 */
export function detectFormat(value: unknown): ConcreteFormat {
  if (!isPlainObject(value)) return 'entry';
  if (hasAnyKey(value, ENTRY_KEYS)) return 'entry';
  if (hasAnyKey(value, PUSH_KEYS) || isPlainObject(value.message)) return 'push';
  if (hasAnyKey(value, MESSAGE_KEYS)) return 'pubsub';
  return 'entry';
}

function hasAnyKey(value: object, keys: readonly string[]): boolean {
  for (const key of keys) if (key in value) return true;
  return false;
}

/**
 * One record's JSON text in, one result out. Order: INPUT.TOO_LARGE (over MAX_RECORD_BYTES of
 * UTF-8; `raw` keeps the first TRUNCATED_RAW_CHARS), INPUT.EMPTY, INPUT.BAD_JSON, then the
 * chosen format's pipeline. A leading BOM and surrounding whitespace (a CR) are not content.
 */
export function decodeRecord(text: string, format: RecordFormat = 'auto'): DecodeResult {
  return guarded(
    () => String(text),
    () => decodeText(text, format),
  );
}

function decodeText(text: string, format: RecordFormat): DecodeResult {
  if (typeof text !== 'string') return reject('INPUT.BAD_JSON', 'record is not text', String(text));
  // a UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair is 4 for 2), so short text needs no count
  if (text.length > MAX_RECORD_BYTES || (text.length * 3 > MAX_RECORD_BYTES && utf8Length(text) > MAX_RECORD_BYTES)) {
    const detail = `record is over the ${MAX_RECORD_BYTES}-byte bound (first ${TRUNCATED_RAW_CHARS} characters kept)`;
    return reject('INPUT.TOO_LARGE', detail, text.slice(0, TRUNCATED_RAW_CHARS));
  }
  const body = isBare(text) ? text : text.replace(/^\uFEFF/, '').trim();
  if (body === '') return reject('INPUT.EMPTY', 'empty record', text);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return reject('INPUT.BAD_JSON', jsonErrorDetail(error), text);
  }
  // an unknown format from an untyped caller falls back to detection rather than to nothing
  const chosen = format === 'entry' || format === 'pubsub' || format === 'push' ? format : detectFormat(value);
  return decodeValue(value, chosen, text);
}

/**
 * Printable ASCII at both ends: no BOM (U+FEFF) and nothing trim() would remove, so the record
 * is its own body. An empty text is not bare.
 */
function isBare(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f;
}

function decodeValue(value: unknown, format: ConcreteFormat, text: string): DecodeResult {
  switch (format) {
    case 'entry':
      return decodeParsedEntry(value, text, NO_META);
    case 'pubsub':
      return decodeMessage(value, () => text);
    case 'push':
      return decodeEvent(value, {}, text);
  }
}
