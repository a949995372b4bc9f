import { Buffer } from 'node:buffer';

/**
 * Deliveries of one Cloud Logging sink message, as they reach the function: the Pub/Sub
 * message (data = base64 LogEntry JSON), and the HTTP requests Eventarc (binary mode),
 * a structured-mode sender and a raw Pub/Sub push subscription make of it.
 */
export const TOPIC = 'projects/acme-prod/topics/faultline-logs';
export const SUBSCRIPTION = 'projects/acme-prod/subscriptions/eventarc-europe-west1-ingest-log-entry-sub-042';
const PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

export interface SinkMessage {
  data: string;
  attributes: Record<string, string>;
  messageId: string;
  message_id: string;
  publishTime: string;
  publish_time: string;
}

export interface HttpDelivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type Mode = 'binary' | 'structured' | 'push';
export const MODES: readonly Mode[] = ['binary', 'structured', 'push'];

let seq = 0;

/** A message whose data is the given bytes (a LogEntry's JSON, or anything broken). */
export function sinkMessage(data: string | Buffer, over: Partial<SinkMessage> = {}): SinkMessage {
  seq += 1;
  const id = over.messageId ?? `${11_000_000_000_000 + seq * 7919}`;
  const time = over.publishTime ?? `2026-03-01T10:00:0${seq % 10}.${String(100 + seq).padStart(3, '0')}Z`;
  return {
    data: Buffer.from(data).toString('base64'),
    attributes: { 'logging.googleapis.com/timestamp': '2026-03-01T10:00:00.123456Z' },
    messageId: id,
    message_id: id,
    publishTime: time,
    publish_time: time,
    ...over,
  };
}

export const entryMessage = (entry: Record<string, unknown>, over: Partial<SinkMessage> = {}) => sinkMessage(JSON.stringify(entry), over);

export interface DeliveryExtras {
  /** the dead-letter counter Pub/Sub adds to push requests; it changes on every redelivery */
  deliveryAttempt?: number;
  traceparent?: string;
}

/** Eventarc's binary mode: the context in ce-* headers, the envelope as the body. */
export function binaryDelivery(m: SinkMessage, extras: DeliveryExtras = {}): HttpDelivery {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'ce-id': m.messageId,
    'ce-source': `//pubsub.googleapis.com/${TOPIC}`,
    'ce-specversion': '1.0',
    'ce-type': PUBLISHED,
    'ce-time': m.publishTime,
  };
  if (extras.traceparent) headers.traceparent = extras.traceparent;
  return { path: '/', headers, body: JSON.stringify(envelope(m, extras)) };
}

export function structuredDelivery(m: SinkMessage, extras: DeliveryExtras = {}): HttpDelivery {
  const event = {
    specversion: '1.0',
    id: m.messageId,
    source: `//pubsub.googleapis.com/${TOPIC}`,
    type: PUBLISHED,
    time: m.publishTime,
    datacontenttype: 'application/json',
    data: envelope(m, extras),
  };
  const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
  if (extras.traceparent) headers.traceparent = extras.traceparent;
  return { path: '/', headers, body: JSON.stringify(event) };
}

/** A push subscription pointed straight at the function (the framework converts it). */
export function pushDelivery(m: SinkMessage, extras: DeliveryExtras = {}): HttpDelivery {
  return { path: `/${TOPIC}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope(m, extras)) };
}

function envelope(m: SinkMessage, extras: DeliveryExtras): Record<string, unknown> {
  const body: Record<string, unknown> = { message: m, subscription: SUBSCRIPTION };
  if (extras.deliveryAttempt !== undefined) body.deliveryAttempt = extras.deliveryAttempt;
  return body;
}

export function delivery(mode: Mode, m: SinkMessage, extras: DeliveryExtras = {}): HttpDelivery {
  if (mode === 'binary') return binaryDelivery(m, extras);
  if (mode === 'structured') return structuredDelivery(m, extras);
  return pushDelivery(m, extras);
}

export async function deliver(url: string, d: HttpDelivery): Promise<{ status: number; body: string }> {
  const res = await fetch(new URL(d.path, url), { method: 'POST', headers: d.headers, body: d.body });
  return { status: res.status, body: await res.text() };
}

/** One Cloud Scheduler tick of evaluateAlerts (its Pub/Sub message carries nothing it reads): the HTTP status. */
export async function schedulerTick(functionUrl: string): Promise<number> {
  const d = binaryDelivery(sinkMessage('{}'));
  return (await fetch(functionUrl + d.path, { method: 'POST', headers: d.headers, body: d.body })).status;
}
