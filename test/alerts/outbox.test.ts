import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../functions/adapters/duckdb/database.js';
import { DuckDbSignatureStore } from '../../functions/adapters/duckdb/signature-store.js';
import { createWebhookPublisher } from '../../functions/adapters/webhook/publisher.js';
import { fanOutPublisher } from '../../functions/app/alert-fanout.js';
import { AlertService } from '../../functions/app/alerts.js';
import type { OutputRecord } from '../../functions/core/classify/entry.js';
import type { AlertPublisher } from '../../functions/ports/alert-publisher.js';
import { silentTelemetry, type Telemetry } from '../../functions/ports/telemetry.js';
import { closeServer, listenLocal } from '../helpers/http.js';

type Classified = OutputRecord & { status: 'classified' };

const KEY = 'new_signature|svc|aaaaaaaaaaaaaaaa';
const CLAIMED = '2026-03-02T12:00:00.000Z';
const LATER = '2026-03-02T12:05:00.000Z';

function record(): Classified {
  return {
    status: 'classified', event_id: 'e1', timestamp: '2026-03-02T11:59:58.000Z', project: 'p', service: 'svc', revision: 'r1', instance_id: 'i1',
    category: 'db_init_timeout', rule_id: 'r', signature_id: 'aaaaaaaaaaaaaaaa', params: { timeout_s: 8 }, excerpt: 'timeout', looks_like_failure: false,
  } as unknown as Classified;
}

/** A channel recording what it got, as the stdout and Pub/Sub channels would have. */
function recorder(): AlertPublisher & { got: string[] } {
  const got: string[] = [];
  return { name: 'recorder', got, publish: async (a) => void got.push(a.alert_key) };
}

let db: Database;
let store: DuckDbSignatureStore;
let now = CLAIMED;
const clock = { nowIso: () => now };
const service = (publishers: AlertPublisher[], telemetry: Telemetry = silentTelemetry) => new AlertService({ store, publishers, issues: [], clock, telemetry });

beforeEach(async () => {
  db = await Database.open(':memory:');
  store = new DuckDbSignatureStore(db);
  now = CLAIMED;
  return () => db.close();
});

describe('a webhook answering 500 to the first attempts', () => {
  let server: Server;
  let url = '';
  let failFirst = 0;
  let posts = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume().on('end', () => {
        posts += 1;
        res.writeHead(posts <= failFirst ? 500 : 200).end();
      });
    });
    url = await listenLocal(server);
  });
  afterAll(() => closeServer(server));

  const webhook = () =>
    createWebhookPublisher(
      { url: `${url}/hook`, allowedHosts: ['127.0.0.1'], telemetry: silentTelemetry, sleep: async () => undefined, retry: { maxAttempts: 3, totalMs: 60_000, attemptTimeoutMs: 2_000 } },
      { allowPlainHttpLoopback: true },
    );

  it('leaves the claimed alert undelivered; redeliver sends it to every channel once and marks it', async () => {
    failFirst = 3;
    posts = 0;
    const other = recorder();
    const events: string[] = [];
    const alerts = service([fanOutPublisher([other, webhook()], silentTelemetry)], { emit: (_s, e) => void events.push(e) });
    await alerts.observe(record());
    expect(posts).toBe(3);
    expect(other.got).toEqual([KEY]);
    expect(events).toContain('AlertDeliveryFailed');
    expect((await store.list()).map((r) => r.alert.alert_key)).toEqual([KEY]);
    expect((await store.undelivered(LATER)).map((a) => a.alert_key)).toEqual([KEY]);

    // a claim younger than the cutoff may still be in its first delivery: left alone
    expect(await alerts.redeliver(CLAIMED)).toEqual([]);
    expect(posts).toBe(3);

    now = LATER;
    expect((await alerts.redeliver(LATER)).map((a) => a.alert_key)).toEqual([KEY]);
    expect(posts).toBe(4);
    // at least once: the channel that took it the first time gets it again
    expect(other.got).toEqual([KEY, KEY]);
    expect(await store.undelivered(LATER)).toEqual([]);
    expect(events).toContain('AlertRedelivered');

    expect(await alerts.redeliver('2026-03-02T13:00:00.000Z')).toEqual([]);
    expect(posts).toBe(4);
    expect(other.got).toEqual([KEY, KEY]);
  });

  it('a webhook that recovers within its own retries delivers at once: nothing to redeliver', async () => {
    failFirst = 2;
    posts = 0;
    const alerts = service([fanOutPublisher([webhook()], silentTelemetry)]);
    await alerts.observe(record());
    expect(posts).toBe(3);
    expect(await store.undelivered(LATER)).toEqual([]);
  });
});

describe('a crash between claim and publish', () => {
  it('an instance that died while publishing: the entry redelivered to another instance stays silent, redeliver sends the alert', async () => {
    // The first instance claims, then never gets past publishing (killed mid-request).
    const dying = service([{ name: 'hangs', publish: () => new Promise<void>(() => undefined) }]);
    void dying.observe(record());
    await expect.poll(async () => (await store.list()).length).toBe(1);

    const channel = recorder();
    const survivor = service([channel]);
    await survivor.observe(record()); // Pub/Sub redelivers the unacknowledged entry
    expect(channel.got).toEqual([]);

    now = LATER;
    expect((await survivor.redeliver(LATER)).map((a) => a.alert_key)).toEqual([KEY]);
    expect(channel.got).toEqual([KEY]);
    expect(await survivor.redeliver(LATER)).toEqual([]);
    expect(channel.got).toEqual([KEY]);
  });

  it('a publisher throwing an unexpected error leaves the alert for redeliver', async () => {
    const channel = recorder();
    let broken = true;
    const flaky: AlertPublisher = {
      name: 'flaky',
      publish: async (a) => {
        if (broken) throw new TypeError('Cannot read properties of undefined');
        await channel.publish(a);
      },
    };
    const alerts = service([flaky]);
    await alerts.observe(record());
    expect(channel.got).toEqual([]);
    broken = false;
    now = LATER;
    expect((await alerts.redeliver(LATER)).map((a) => a.alert_key)).toEqual([KEY]);
    expect(channel.got).toEqual([KEY]);
  });
});

describe('redeliver', () => {
  it('without channels leaves undelivered alerts for a run that has some', async () => {
    await service([{ name: 'down', publish: async () => Promise.reject(new Error('503')) }]).observe(record());
    expect(await service([]).redeliver(LATER)).toEqual([]);
    expect((await store.undelivered(LATER)).map((a) => a.alert_key)).toEqual([KEY]);
  });

  it('starts no alert from the deadline on; the rest wait for the next call', async () => {
    const down: AlertPublisher = { name: 'down', publish: async () => Promise.reject(new Error('503')) };
    const first = service([down]);
    await first.observe(record());
    await first.observe({ ...record(), event_id: 'e2', signature_id: 'bbbbbbbbbbbbbbbb' } as Classified);
    const events: string[] = [];
    const channel: AlertPublisher & { got: string[] } = { ...recorder(), publish: async (a) => void (channel.got.push(a.alert_key), (now = '2026-03-02T12:10:00.000Z')) };
    now = LATER;
    const sent = await service([channel], { emit: (_s, e) => void events.push(e) }).redeliver(LATER, '2026-03-02T12:06:00.000Z');
    expect(sent).toHaveLength(1);
    expect(events).toEqual(['AlertRedelivered', 'AlertRedeliveryDeferred']);
    expect(await store.undelivered(LATER)).toHaveLength(1);
  });
});
