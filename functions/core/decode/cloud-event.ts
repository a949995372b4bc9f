import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { decodeUtf8 } from './base64.js';
import { decodeMessage, messageMeta } from './pubsub.js';
import { guarded, isPlainObject, kindOf, reject, safeStringify, type DecodeResult, type MessageMeta } from './result.js';

export const MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

/**
 * What a Pub/Sub push delivers and what a messagePublished CloudEvent carries as `data`. The
 * pull API's ReceivedMessage (`{ackId, message}`) has the same shape and is read the same way.
 */
export const PushEnvelopeSchema = z.looseObject({
  message: z.unknown(),
  subscription: z.string().optional(),
});

/**
 * Structured-mode CloudEvent (application/cloudevents+json). Only `type` and `data.message`
 * decide anything; the other context attributes are typed for callers but never reasons to
 * refuse an event the platform already accepted.
 */
export const StructuredCloudEventSchema = z.looseObject({
  specversion: z.string(),
  id: z.string(),
  source: z.string(),
  type: z.string(),
  time: z.string().optional(),
  datacontenttype: z.string().optional(),
  subject: z.string().optional(),
  data: z.unknown(),
});

export type PushEnvelope = z.output<typeof PushEnvelopeSchema>;
export type StructuredCloudEvent = z.output<typeof StructuredCloudEventSchema>;
export type EventHeaders = Record<string, string | string[] | undefined>;

interface Unwrapped {
  type: string | null;
  data: unknown;
  meta: MessageMeta;
}

/**
 * Modes, in the order they are recognised: binary (a `ce-type` header; the body is the data),
 * structured (a `specversion` or `type` in the body), raw Pub/Sub push (anything else).
 * Pipeline order: INPUT.BAD_JSON (string bodies), EVENT.NOT_OBJECT, EVENT.BAD_TYPE,
 * EVENT.MISSING_MESSAGE, then the message's own reasons.
 */
export function decodeCloudEvent(body: unknown, headers?: EventHeaders): DecodeResult {
  return guarded(
    () => (typeof body === 'string' ? body : safeStringify(body)),
    () => decodeBody(body, headers ?? {}),
  );
}

/** A body the framework did not parse (another content type) arrives as text or bytes. */
function decodeBody(body: unknown, headers: EventHeaders): DecodeResult {
  if (typeof body === 'string') return decodeEventText(body, headers);
  if (!(body instanceof Uint8Array)) return decodeEvent(body, headers, undefined);
  const text = decodeUtf8(body);
  if (text.ok) return decodeEventText(text.text, headers);
  return reject('INPUT.BAD_JSON', 'event body is not UTF-8, so not JSON', Buffer.from(body).toString('utf8'));
}

export function decodeEvent(body: unknown, headers: EventHeaders, rawText: string | undefined): DecodeResult {
  const raw = (): string => rawText ?? safeStringify(body);
  if (!isPlainObject(body)) return reject('EVENT.NOT_OBJECT', `event body is ${kindOf(body)}, not an object`, raw());
  const event = unwrap(body, headers);
  if (event.type !== null && event.type !== MESSAGE_PUBLISHED) {
    return reject('EVENT.BAD_TYPE', `event type ${event.type.slice(0, 100)} is not ${MESSAGE_PUBLISHED}`, raw(), event.meta);
  }
  const message = isPlainObject(event.data) ? event.data.message : undefined;
  if (message === undefined) return reject('EVENT.MISSING_MESSAGE', 'event has no data.message', raw(), event.meta);
  const result = decodeMessage(message, raw);
  return { ...result, ...mergeMeta(messageMeta(message), event.meta) };
}

function decodeEventText(text: string, headers: EventHeaders): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return reject('INPUT.BAD_JSON', 'event body is not JSON', text);
  }
  return decodeEvent(value, headers, text);
}

function unwrap(body: Record<string, unknown>, headers: EventHeaders): Unwrapped {
  const headerType = header(headers, 'ce-type');
  if (headerType !== null) {
    const meta = { messageId: header(headers, 'ce-id'), publishTime: header(headers, 'ce-time') };
    return { type: headerType, data: body, meta };
  }
  if (body.specversion !== undefined || body.type !== undefined) {
    const meta = { messageId: stringOrNull(body.id), publishTime: stringOrNull(body.time) };
    return { type: typeof body.type === 'string' ? body.type : `<${kindOf(body.type)}>`, data: body.data, meta };
  }
  return { type: null, data: body, meta: { messageId: null, publishTime: null } };
}

/** Header names are case-insensitive; Node lowercases them but other callers may not. */
function header(headers: EventHeaders, name: string): string | null {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first !== '') return first;
  }
  return null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The message's own identity wins; the event's (same values for Pub/Sub events) fills gaps. */
function mergeMeta(message: MessageMeta, event: MessageMeta): MessageMeta {
  return { messageId: message.messageId ?? event.messageId, publishTime: message.publishTime ?? event.publishTime };
}
