import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBigQueryJobs } from '../adapters/bigquery/fake-bigquery-jobs.js';
import { schedulerTick } from './deliveries.js';
import { serveIngestFunction, type ServedFunction } from './function-server.js';

const HOUR_MS = 3_600_000;
const cell = (v: unknown) => ({ v: v === null ? null : String(v) });
const hourUs = (ms: number) => String(ms * 1000);

describe('evaluateAlerts served by the functions-framework, against a local BigQuery', () => {
  const bq = new FakeBigQueryJobs();
  let fn: ServedFunction;
  const spikeHour = Date.UTC(2026, 2, 2, 10);

  beforeAll(async () => {
    const url = await bq.start();
    const baseline = Array.from({ length: 24 }, (_, h) => ({ f: [hourUs(spikeHour - (h + 1) * HOUR_MS), 'orders-api', 'aaaaaaaaaaaaaaaa', 'db_init_timeout', 1].map(cell) }));
    bq.results.alert_signature_hourly = {
      fields: [{ name: 'hour', type: 'TIMESTAMP' }, { name: 'service', type: 'STRING' }, { name: 'signature_id', type: 'STRING' }, { name: 'category', type: 'STRING' }, { name: 'count', type: 'INTEGER' }],
      rows: [...baseline, { f: [hourUs(spikeHour), 'orders-api', 'aaaaaaaaaaaaaaaa', 'db_init_timeout', 40].map(cell) }],
    };
    bq.results.alert_startup_hourly = {
      fields: [{ name: 'hour', type: 'TIMESTAMP' }, { name: 'service', type: 'STRING' }, { name: 'successes', type: 'INTEGER' }, { name: 'failures', type: 'INTEGER' }],
      rows: [{ f: [hourUs(spikeHour), 'orders-api', 1, 9].map(cell) }, { f: [hourUs(spikeHour), 'payments-api', 10, 0].map(cell) }],
    };
    fn = await serveIngestFunction({ BIGQUERY_EMULATOR_HOST: url, FAULTLINE_PROJECT: 'test-project', FAULTLINE_DATASET: 'D' }, 'evaluateAlerts');
  });

  afterAll(async () => {
    await fn?.close();
    await bq.stop();
  });

  const tick = () => schedulerTick(fn.url);

  it('runs the saved SQL with a partition-pruning @since, claims each alert once and raises spike and slo', async () => {
    expect(await tick()).toBe(204);
    const queries = bq.calls.filter((c) => c.labels.query?.startsWith('alert_') && !c.labels.query.startsWith('alert_keys'));
    expect(queries.map((c) => c.labels.query).sort()).toEqual(['alert_signature_hourly', 'alert_startup_hourly']);
    for (const q of queries) {
      expect(q.types).toEqual({ since: 'TIMESTAMP' });
      expect(q.query).toMatch(/FROM `test-project\.D`\.failure_events\s+WHERE event_timestamp >= @since\s+QUALIFY/);
    }
    expect([...bq.keys.keys()].sort()).toEqual(['slo|orders-api|2026-03-02T10:00:00Z', 'spike|orders-api|aaaaaaaaaaaaaaaa|2026-03-02T10:00:00Z']);
    expect(fn.telemetry.find((t) => t.event === 'AlertsEvaluated')?.raised).toBe(2);
  });

  it('a second tick (or a redelivery) raises nothing again', async () => {
    const merges = bq.merges().length;
    expect(await tick()).toBe(204);
    expect(bq.merges().length).toBe(merges + 2);
    expect(bq.keys.size).toBe(2);
    expect(fn.telemetry.filter((t) => t.event === 'AlertsEvaluated').map((t) => t.raised)).toEqual([2, 0]);
  });

  it('marks what every channel took as delivered', () => {
    expect([...bq.keys.values()].map((k) => k.delivered_at)).toEqual([expect.any(String), expect.any(String)]);
  });

  it('re-sends a claim left undelivered (its instance died before publishing), once, before evaluating', async () => {
    const key = 'new_signature|orders-api|bbbbbbbbbbbbbbbb';
    // claimed ten minutes ago (the function runs on the system clock); a claim two days old is given up
    const seed = (k: string, agoMs: number) => {
      const alert = { ...JSON.parse(String(bq.keys.values().next().value?.alert)), alert_key: k, kind: 'new_signature', raised_at: new Date(Date.now() - agoMs).toISOString() };
      bq.keys.set(k, { alert_key: k, kind: 'new_signature', service: 'orders-api', signature_id: 'bbbbbbbbbbbbbbbb', first_seen: null, claimed_at: alert.raised_at, delivery: 'sent', alert: JSON.stringify(alert), delivered_at: null });
    };
    seed(key, 600_000);
    seed('new_signature|orders-api|cccccccccccccccc', 2 * 86_400_000);
    // stdout (the one channel here) always succeeds: each redelivery is an AlertRedelivered
    const sent = () => fn.telemetry.filter((t) => t.event === 'AlertRedelivered').map((t) => t.alert_key);
    expect(await tick()).toBe(204);
    expect(sent()).toEqual([key]);
    expect(bq.keys.get(key)?.delivered_at).toEqual(expect.any(String));
    const reads = bq.calls.filter((c) => c.labels.query === 'alert_keys_undelivered');
    expect(reads.at(-1)?.types).toEqual({ delivery: 'STRING', before: 'TIMESTAMP', from: 'TIMESTAMP' });
    expect(await tick()).toBe(204);
    expect(sent()).toEqual([key]);
  });

  it('answers 500 when a claim keeps conflicting, so Pub/Sub redelivers', async () => {
    bq.keys.clear();
    bq.conflicts = 1000;
    expect(await tick()).toBe(500);
    bq.conflicts = 0;
  }, 30_000);
});
