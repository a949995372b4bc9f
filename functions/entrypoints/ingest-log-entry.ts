import { composeIngest, type IngestApp } from '../app/compose.js';
import { RowWriteError } from '../app/batcher.js';
import { config } from '../config.js';
import { decodeCloudEvent } from '../core/decode/index.js';
import { outsideDomain } from './outside-domain.js';

/** What the functions-framework calls: resolve = 204 (ack), throw = 500 (Pub/Sub redelivers). */
export type CloudEventHandler = (event: unknown) => Promise<void>;

/** Builds once, on first use; a failed build is retried by the next delivery rather than cached. */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= build().catch((err: unknown) => {
      pending = null;
      throw err;
    }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function without(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

/**
 * The event without what changes from one delivery of a message to the next (the trace
 * header, the dead-letter delivery counter), so that a rejected message stores the same raw
 * payload, hence the same rejection_id, however often Pub/Sub redelivers it.
 */
export function stableEvent(event: unknown): unknown {
  if (!isObject(event)) return event;
  const out = without(event, ['traceparent']);
  if (!isObject(out.data)) return out;
  const data = without(out.data, ['deliveryAttempt', 'delivery_attempt']);
  if (isObject(data.message)) data.message = without(data.message, ['deliveryAttempt', 'delivery_attempt']);
  return { ...out, data };
}

/**
 * The handler: decode, classify and write one delivery. A rejected message resolves once its
 * rejected_entries row is durable (the poison message is acknowledged, never looped); a
 * write that may succeed later throws.
 */
export function createIngestLogEntry(app: () => Promise<IngestApp>): CloudEventHandler {
  const handle = async (event: unknown): Promise<void> => {
    const { service, telemetry } = await app();
    const decoded = decodeCloudEvent(stableEvent(event));
    try {
      await service.ingest(decoded, 'pubsub');
    } catch (err) {
      telemetry.emit('ERROR', 'DeliveryFailed', {
        message_id: decoded.messageId,
        transient: !(err instanceof RowWriteError) || err.transient,
        error: err,
      });
      throw err;
    }
  };
  return (event) => outsideDomain(() => handle(event));
}

/**
 * The production handler. The configuration is read here, at module load, so that a bad
 * value fails the cold start with one clear message; the rules and the client are built
 * lazily, once per instance.
 */
export function ingestLogEntryFromEnv(): CloudEventHandler {
  const settings = config();
  return createIngestLogEntry(once(() => composeIngest(settings)));
}
