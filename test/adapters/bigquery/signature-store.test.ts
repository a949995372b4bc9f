import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BigQuerySignatureStore, isRetryable } from '../../../functions/adapters/bigquery/signature-store.js';
import { alert, describeSignatureStoreContract } from '../../contracts/signature-store.contract.js';
import { FakeBigQueryJobs } from './fake-bigquery-jobs.js';

const noSleep = async () => undefined;

describeSignatureStoreContract('BigQuery (local fake, real client)', async () => {
  const fake = new FakeBigQueryJobs();
  const url = await fake.start();
  const store = new BigQuerySignatureStore({ projectId: 'test-project', dataset: 'D', apiEndpoint: url, sleep: noSleep });
  return { store, close: () => fake.stop() };
});

describe('BigQuerySignatureStore on the wire', () => {
  const fake = new FakeBigQueryJobs();
  let url = '';
  let store: BigQuerySignatureStore;
  const slept: number[] = [];

  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.keys.clear();
    fake.calls.length = 0;
    Object.assign(fake, { conflicts: 0, lostAnswers: 0, pending: false });
    slept.length = 0;
    store = new BigQuerySignatureStore({ projectId: 'test-project', dataset: 'D', apiEndpoint: url, attempts: 4, sleep: async (ms) => void slept.push(ms) });
  });

  it('sends one MERGE on alert_keys whose values are all named, typed parameters', async () => {
    const a = alert('new_signature|svc|aaaa', { summary: "it's `x`; DROP TABLE t --" });
    expect(await store.claim(a, 'sent')).toBe(true);
    const [merge] = fake.merges();
    expect(merge?.query).toMatch(/^MERGE `test-project\.D`\.alert_keys AS T\s+USING \(\s*SELECT @key AS alert_key/);
    expect(merge?.query).toMatch(/ON T\.alert_key = S\.alert_key\s+WHEN NOT MATCHED THEN\s+INSERT/);
    expect(merge?.types).toEqual({ key: 'STRING', kind: 'STRING', service: 'STRING', signature_id: 'STRING', first_seen: 'TIMESTAMP', claimed_at: 'TIMESTAMP', delivery: 'STRING', alert: 'STRING' });
    expect(merge?.params.key).toBe(a.alert_key);
    expect(merge?.params.delivery).toBe('sent');
    expect(JSON.parse(String(merge?.params.alert))).toEqual(a);
    // no value reaches the SQL text
    for (const v of [a.alert_key, a.summary, a.signature_id, 'sent']) expect(merge?.query).not.toContain(v);
    expect(merge?.body.useLegacySql).toBe(false);
  });

  it('lets numDmlAffectedRows decide: 0 means someone else claimed the key', async () => {
    fake.keys.set('k', { alert_key: 'k', kind: 'new_signature', service: 'svc', signature_id: 's', first_seen: null, claimed_at: 'elsewhere', delivery: 'sent', alert: '{}' });
    expect(await store.claim(alert('k'), 'sent')).toBe(false);
    expect(fake.merges()).toHaveLength(1);
  });

  it('reads numDmlAffectedRows from getQueryResults when the job was not complete at once', async () => {
    fake.pending = true;
    expect(await store.claim(alert('slow'), 'sent')).toBe(true);
    expect(await store.claim(alert('slow', { raised_at: '2026-03-02T11:00:00.000Z' }), 'sent')).toBe(false);
    expect(fake.calls.length).toBe(2);
  });

  it('retries serialization conflicts with growing backoff, then claims', async () => {
    fake.conflicts = 2;
    expect(await store.claim(alert('busy'), 'sent')).toBe(true);
    expect(fake.merges()).toHaveLength(3);
    expect(slept).toHaveLength(2);
    expect((slept[1] as number) / (slept[0] as number)).toBeGreaterThan(1);
  });

  it('throws after a bounded number of conflicts, so Pub/Sub redelivers; the redelivery finds the key', async () => {
    fake.conflicts = 10;
    await expect(store.claim(alert('hot'), 'sent')).rejects.toThrow(/could not serialize/i);
    expect(fake.merges()).toHaveLength(4);
    fake.conflicts = 0;
    // meanwhile another instance claimed it
    expect(await new BigQuerySignatureStore({ projectId: 'test-project', dataset: 'D', apiEndpoint: url }).claim(alert('hot', { raised_at: '2026-03-02T10:00:06.000Z' }), 'sent')).toBe(true);
    expect(await store.claim(alert('hot', { raised_at: '2026-03-02T10:00:09.000Z' }), 'sent')).toBe(false);
  });

  it('a MERGE that committed but whose answer was lost still claims for its caller on retry', async () => {
    fake.lostAnswers = 1;
    expect(await store.claim(alert('lost'), 'sent')).toBe(true);
    expect(fake.merges()).toHaveLength(2);
    expect(fake.keys.size).toBe(1);
  });

  it('marks delivery with one UPDATE and reads the outbox with one SELECT, values as named parameters only', async () => {
    await store.claim(alert('k'), 'sent');
    await store.markDelivered('k', '2026-03-02T10:00:07.000Z');
    expect(await store.undelivered('2026-03-03T00:00:00.000Z')).toEqual([]);
    const [update, read] = fake.calls.slice(1);
    expect(update?.query).toMatch(/^UPDATE `test-project\.D`\.alert_keys\s+SET delivered_at = @delivered_at\s+WHERE alert_key = @key AND delivered_at IS NULL$/);
    expect(update?.types).toEqual({ key: 'STRING', delivered_at: 'TIMESTAMP' });
    expect(read?.types).toEqual({ delivery: 'STRING', before: 'TIMESTAMP', from: 'TIMESTAMP' });
    expect(read?.params.delivery).toBe('sent');
    for (const c of [update, read]) expect(c?.query).not.toContain("'");
  });

  it('does not retry what cannot succeed', async () => {
    expect(isRetryable(Object.assign(new Error('Syntax error'), { code: 400, errors: [{ reason: 'invalidQuery', message: 'Syntax error' }] }))).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { code: 400, errors: [{ reason: 'invalidQuery', message: 'Could not serialize access to table p:d.alert_keys due to concurrent update' }] }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { code: 503 }))).toBe(true);
  });

  it('concurrent instances and redeliveries: each key alerts exactly once, conflicts included', async () => {
    fake.conflicts = 5;
    const stores = Array.from({ length: 4 }, () => new BigQuerySignatureStore({ projectId: 'test-project', dataset: 'D', apiEndpoint: url, attempts: 10, sleep: noSleep }));
    const keys = ['k1', 'k2', 'k3'];
    const claims = stores.flatMap((s, i) => [0, 1].flatMap((d) => keys.map(async (k) => ((await s.claim(alert(k, { raised_at: `2026-03-02T10:00:0${i}.${d}00Z` }), 'sent')) ? k : null))));
    const won = (await Promise.all(claims)).filter((k) => k !== null);
    expect(won.sort()).toEqual(keys);
  });
});
