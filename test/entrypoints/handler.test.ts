import { create as createDomain } from 'node:domain';
import { describe, expect, it } from 'vitest';
import type { IngestApp } from '../../functions/app/compose.js';
import { createIngestLogEntry, once, stableEvent } from '../../functions/entrypoints/ingest-log-entry.js';
import type { IngestService } from '../../functions/app/ingest.js';

describe('ingestLogEntry handler (unit)', () => {
  it('builds the app once, and again after a failed build instead of caching the failure', async () => {
    let builds = 0;
    const ingested: unknown[] = [];
    const app = once(async (): Promise<IngestApp> => {
      builds += 1;
      if (builds === 1) throw new Error('rules could not be loaded');
      const service = { ingest: async (d: unknown) => void ingested.push(d) } as unknown as IngestService;
      return { service, telemetry: { emit: () => undefined }, close: async () => undefined };
    });
    const handler = createIngestLogEntry(app);
    await expect(handler({})).rejects.toThrow('rules could not be loaded');
    await handler({});
    await handler({});
    expect([builds, ingested.length]).toEqual([2, 2]);
  });

  it('drops only what changes between deliveries of one message', () => {
    const event = {
      id: '1',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      traceparent: '00-abc-def-01',
      data: { subscription: 's', deliveryAttempt: 3, message: { data: 'e30=', messageId: '1', deliveryAttempt: 3 } },
    };
    expect(stableEvent(event)).toEqual({ id: '1', type: event.type, data: { subscription: 's', message: { data: 'e30=', messageId: '1' } } });
    expect(stableEvent('text body')).toBe('text body');
  });

  it('reports a failed write and throws it, so the framework answers 500', async () => {
    const emitted: string[] = [];
    const service = { ingest: async () => Promise.reject(new Error('503 Service Unavailable')) } as unknown as IngestService;
    const handler = createIngestLogEntry(async () => ({ service, telemetry: { emit: (_s, e) => void emitted.push(e) }, close: async () => undefined }));
    await expect(handler({ specversion: '1.0', type: 'google.cloud.pubsub.topic.v1.messagePublished', data: {} })).rejects.toThrow('503');
    expect(emitted).toEqual(['DeliveryFailed']);
  });

  it("runs the work outside the framework's per-request domain, which stays active for the caller", async () => {
    const domainNow = () => (process as { domain?: unknown }).domain ?? null;
    const seen: unknown[] = [];
    const service = {
      ingest: async () => {
        seen.push(domainNow());
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(domainNow());
      },
    } as unknown as IngestService;
    const handler = createIngestLogEntry(async () => ({ service, telemetry: { emit: () => undefined }, close: async () => undefined }));
    const request = createDomain();
    let callerDomain: unknown = 'not run';
    await new Promise<void>((resolve, reject) =>
      request.run(() => {
        const done = handler({});
        callerDomain = domainNow();
        done.then(resolve, reject);
      }),
    );
    expect(callerDomain).toBe(request);
    expect(seen).toEqual([null, null]);
  });
});
