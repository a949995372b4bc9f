import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeBigQuery } from '../adapters/bigquery/fake-bigquery.js';
import { classified, runEntry } from '../helpers/entries.js';
import { binaryDelivery, deliver, entryMessage, type SinkMessage } from './deliveries.js';
import { serveIngestAgainstFake, type IngestAgainstFake, type ServedFunction } from './function-server.js';

const BATCH_ROWS = 10;

/** Distinct entries, so each delivery's row can be told from the others by message_id. */
function messages(n: number): SinkMessage[] {
  return Array.from({ length: n }, (_, i) => entryMessage(runEntry(`Phase ${i} database initialization timeout after 20.0s`)));
}

describe('batching across concurrent invocations (functions-framework over HTTP, BigQuery at a local HTTP server)', () => {
  let fake: FakeBigQuery;
  let fn: ServedFunction;
  let served: IngestAgainstFake;

  beforeAll(async () => {
    // The row bound decides the batches; the delay is only a backstop far beyond how long
    // a burst of concurrent requests takes to arrive.
    served = await serveIngestAgainstFake({ FAULTLINE_BATCH_MAX_ROWS: String(BATCH_ROWS), FAULTLINE_BATCH_MAX_DELAY_MS: '1500' });
    ({ fake, fn } = served);
  });
  afterAll(() => served.close());
  afterEach(() => fake.reset());

  const messageIdsOf = (callIndex: number) => new Set(fake.calls[callIndex]?.body.rows.map((r) => r.json.message_id as string));

  it('shares insertAll calls between concurrent invocations, never above the row bound', async () => {
    const sent = messages(3 * BATCH_ROWS);
    const answers = await Promise.all(sent.map((m) => deliver(fn.url, binaryDelivery(m))));
    expect(answers.map((a) => a.status)).toEqual(sent.map(() => 204));
    const sizes = fake.calls.map((c) => c.body.rows.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3 * BATCH_ROWS);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(BATCH_ROWS);
    expect(sizes.length).toBeLessThan(3 * BATCH_ROWS);
    expect(fake.rows('failure_events')).toHaveLength(3 * BATCH_ROWS);
  });

  it('answers each invocation only after the batch holding its row was written', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    fake.plan = () => ({ hold: gate });
    const order: string[] = [];
    const sent = messages(BATCH_ROWS);
    const answers = Promise.all(sent.map((m) => deliver(fn.url, binaryDelivery(m)).then((a) => (order.push('answer'), a))));
    await fake.waitForCalls(1);
    // Give an invocation that wrongly answered early the time to be seen.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    expect(fake.rows('failure_events')).toEqual([]);
    order.push('written');
    release();
    expect((await answers).map((a) => a.status)).toEqual(sent.map(() => 204));
    expect(order[0]).toBe('written');
    expect(fake.rows('failure_events')).toHaveLength(BATCH_ROWS);
  });

  it('fails exactly the invocations whose rows the failed batch held', async () => {
    fake.plan = (call) => (fake.calls.indexOf(call) === 0 ? { status: 500 } : {});
    const sent = messages(2 * BATCH_ROWS);
    const answers = await Promise.all(sent.map((m) => deliver(fn.url, binaryDelivery(m))));
    const failedBatch = messageIdsOf(0);
    expect(failedBatch.size).toBeGreaterThan(0);
    const written = new Set(fake.calls.slice(1).flatMap((_, i) => [...messageIdsOf(i + 1)]));
    const status = new Map(sent.map((m, i) => [m.messageId, answers[i]?.status]));
    expect(sent.filter((m) => status.get(m.messageId) === 500).map((m) => m.messageId).sort()).toEqual([...failedBatch].sort());
    expect(sent.filter((m) => status.get(m.messageId) === 204).map((m) => m.messageId).sort()).toEqual([...written].sort());
    expect(fake.rows('failure_events').map((r) => r.message_id).sort()).toEqual([...written].sort());
  });

  it('fails only the invocation whose row had a transient row error; a refused row goes to rejected_entries', async () => {
    const sent = messages(BATCH_ROWS);
    const ids = sent.map((m) => classified(JSON.parse(Buffer.from(m.data, 'base64').toString('utf8'))).event_id);
    fake.plan = (call) => (call.table === 'failure_events' ? { rowErrors: { [ids[3] as string]: 'backendError', [ids[7] as string]: 'invalid' } } : {});
    const answers = await Promise.all(sent.map((m) => deliver(fn.url, binaryDelivery(m))));
    expect(answers.map((a) => a.status)).toEqual(sent.map((_, i) => (i === 3 ? 500 : 204)));
    expect(fake.rows('failure_events')).toHaveLength(BATCH_ROWS - 2);
    expect(fake.rows('rejected_entries').map((r) => [r.reason, r.message_id])).toEqual([['STORE.ROW_REFUSED', sent[7]?.messageId]]);
  });
});
