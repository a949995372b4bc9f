import { z } from 'zod';
import { decodeStrictBase64, decodeUtf8 } from './base64.js';
import { Rfc3339 } from './log-entry.js';
import { decodeEntryText } from './entry.js';
import { MAX_RECORD_BYTES, guarded, isPlainObject, kindOf, reject, safeStringify, type DecodeResult, type MessageMeta } from './result.js';

/**
 * The Pub/Sub message a Cloud Logging sink publishes: `data` is one LogEntry as base64 JSON.
 * Push deliveries carry both spellings (messageId and message_id, publishTime and
 * publish_time); client libraries and the functions-framework use one or the other.
 */
export const PubsubMessageSchema = z.looseObject({
  data: z.string().optional(),
  attributes: z.record(z.string(), z.string()).optional(),
  messageId: z.string().optional(),
  message_id: z.string().optional(),
  publishTime: Rfc3339.optional(),
  publish_time: Rfc3339.optional(),
  orderingKey: z.string().optional(),
  ordering_key: z.string().optional(),
  deliveryAttempt: z.number().int().optional(),
  delivery_attempt: z.number().int().optional(),
});

export type PubsubMessage = z.output<typeof PubsubMessageSchema>;

/** base64 grows 3 bytes into 4 characters; anything longer decodes past the record bound. */
const MAX_DATA_CHARS = Math.ceil(MAX_RECORD_BYTES / 3) * 4;

/** Reads the identity even from a message that is otherwise invalid, preferring camelCase. */
export function messageMeta(message: unknown): MessageMeta {
  if (!isPlainObject(message)) return { messageId: null, publishTime: null };
  return {
    messageId: firstString(message.messageId, message.message_id),
    publishTime: firstString(message.publishTime, message.publish_time),
  };
}

function firstString(...values: unknown[]): string | null {
  const found = values.find((v) => typeof v === 'string' && v !== '');
  return typeof found === 'string' ? found : null;
}

/**
 * Pipeline order, first failure wins: MESSAGE.NOT_OBJECT, MESSAGE.MISSING_DATA,
 * MESSAGE.BAD_FIELD_TYPE, INPUT.TOO_LARGE, PAYLOAD.BAD_BASE64, PAYLOAD.EMPTY, PAYLOAD.BAD_UTF8,
 * PAYLOAD.EMPTY (whitespace only), INPUT.BAD_JSON, then the entry's own reasons.
 */
export function decodePubsubMessage(value: unknown): DecodeResult {
  return guarded(
    () => safeStringify(value),
    () => decodeMessage(value, () => safeStringify(value)),
  );
}

/**
 * `raw` gives what to store when the message itself is at fault: the record as read, or the
 * whole event around the message, rather than a re-serialisation of this object.
 */
export function decodeMessage(value: unknown, raw: () => string): DecodeResult {
  if (!isPlainObject(value)) return reject('MESSAGE.NOT_OBJECT', `message is ${kindOf(value)}, not an object`, raw());
  const meta = messageMeta(value);
  if (value.data === undefined) return reject('MESSAGE.MISSING_DATA', 'message has no data', raw(), meta);
  const parsed = PubsubMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    return reject('MESSAGE.BAD_FIELD_TYPE', `message ${path} is invalid: ${issue?.message ?? ''}`, raw(), meta);
  }
  return decodeData(parsed.data.data ?? '', raw, meta);
}

function decodeData(data: string, raw: () => string, meta: MessageMeta): DecodeResult {
  if (data.length > MAX_DATA_CHARS) {
    return reject('INPUT.TOO_LARGE', `data is ${data.length} base64 characters, over the ${MAX_RECORD_BYTES}-byte bound`, raw(), meta);
  }
  const bytes = decodeStrictBase64(data);
  if (!bytes.ok) return reject('PAYLOAD.BAD_BASE64', bytes.detail, raw(), meta);
  if (bytes.bytes.byteLength === 0) return reject('PAYLOAD.EMPTY', 'data decodes to zero bytes', raw(), meta);
  const text = decodeUtf8(bytes.bytes);
  if (!text.ok) return reject('PAYLOAD.BAD_UTF8', text.detail, raw(), meta);
  if (text.text.trim() === '') return reject('PAYLOAD.EMPTY', 'data decodes to whitespace only', raw(), meta);
  return decodeEntryText(text.text, meta);
}
