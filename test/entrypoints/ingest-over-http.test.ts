import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FailureEventRow, RejectedEntryRow } from '../../functions/core/rows.js';
import type { FakeBigQuery } from '../adapters/bigquery/fake-bigquery.js';
import { classified, runEntry } from '../helpers/entries.js';
import { binaryDelivery, deliver, delivery, entryMessage, MODES, pushDelivery, sinkMessage, structuredDelivery } from './deliveries.js';
import { serveIngestAgainstFake, type IngestAgainstFake, type ServedFunction } from './function-server.js';

describe('ingestLogEntry served by the functions-framework over HTTP (in-process server, BigQuery at a local HTTP server)', () => {
  let fake: FakeBigQuery;
  let fn: ServedFunction;
  let served: IngestAgainstFake;

  beforeAll(async () => {
    served = await serveIngestAgainstFake({ FAULTLINE_BATCH_MAX_DELAY_MS: '1' }, 'acme-faultline', 'faultline');
    ({ fake, fn } = served);
  });
  afterAll(() => served.close());
  afterEach(() => fake.reset());

  const events = () => fake.rows('failure_events').map((r) => FailureEventRow.parse(r));
  const rejected = () => fake.rows('rejected_entries').map((r) => RejectedEntryRow.parse(r));

  it.each(MODES)('%s mode: answers 204 after writing the classified row, keyed by event_id', async (mode) => {
    const entry = runEntry('Phase 3 database initialization timeout after 20.0s');
    const message = entryMessage(entry);
    const res = await deliver(fn.url, delivery(mode, message));
    expect(res.status).toBe(204);
    const want = classified(entry);
    expect(events().map((r) => [r.event_id, r.category, r.message_id, r.publish_time, r.service])).toEqual([
      [want.event_id, want.category, message.messageId, message.publishTime, 'api'],
    ]);
    expect(fake.calls.flatMap((c) => c.body.rows.map((r) => r.insertId))).toEqual([want.event_id]);
    expect(fake.calls.map((c) => c.path)).toEqual(['/bigquery/v2/projects/acme-faultline/datasets/faultline/tables/failure_events/insertAll']);
  });

  it('sends the same insertId on every redelivery, whatever the mode, so one row remains', async () => {
    const entry = runEntry("ModuleNotFoundError: No module named 'app.monitoring'");
    const message = entryMessage(entry);
    for (const d of [binaryDelivery(message), structuredDelivery(message, { deliveryAttempt: 2 }), pushDelivery(message)]) {
      expect((await deliver(fn.url, d)).status).toBe(204);
    }
    const ids = fake.calls.flatMap((c) => c.body.rows.map((r) => r.insertId));
    expect(ids).toEqual([classified(entry).event_id, classified(entry).event_id, classified(entry).event_id]);
    expect(fake.raw.get('failure_events')).toHaveLength(3);
    expect(events()).toHaveLength(1);
  });

  it.each([
    ['data that is not base64', () => ({ ...sinkMessage('{}'), data: '%%%not-base64' }), 'PAYLOAD.BAD_BASE64'],
    ['data that is not JSON', () => sinkMessage('Traceback (most recent call last): password=hunter2'), 'INPUT.BAD_JSON'],
    ['a LogEntry without resource', () => entryMessage({ ...runEntry('boot'), resource: undefined, labels: { token: 'password=hunter2' } }), 'ENTRY.MISSING_FIELD'],
  ])('acknowledges a message with %s (204) once its rejected_entries row is written', async (_, make, reason) => {
    const message = make();
    const res = await deliver(fn.url, binaryDelivery(message));
    expect(res.status).toBe(204);
    expect(events()).toEqual([]);
    const rows = rejected();
    expect(rows.map((r) => [r.reason, r.message_id, r.source])).toEqual([[reason, message.messageId, 'pubsub']]);
    expect(rows[0]?.payload).not.toContain('hunter2');
    expect(fake.calls.flatMap((c) => c.body.rows.map((r) => r.insertId))).toEqual([rows[0]?.rejection_id]);
    const line = fn.telemetry.findLast((t) => t.event === 'EntryRejected');
    expect(line).toMatchObject({ severity: 'WARNING', reason, message_id: message.messageId, 'logging.googleapis.com/labels': { component: 'faultline' } });
  });

  it('gives a redelivered poison message the same rejection_id despite a new delivery counter and trace', async () => {
    // Bad base64 is one of the rejections that keep the whole event as the raw payload.
    const message = { ...sinkMessage('x'), data: 'bm90IGJhc2U2NA=!' };
    await deliver(fn.url, binaryDelivery(message, { deliveryAttempt: 1, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }));
    await deliver(fn.url, binaryDelivery(message, { deliveryAttempt: 2, traceparent: '00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01' }));
    expect(fake.raw.get('rejected_entries')).toHaveLength(2);
    expect(rejected()).toHaveLength(1);
  });

  it.each([500, 503, 429])('answers 500 when BigQuery answers %i, so Pub/Sub redelivers; the redelivery is stored once', async (status) => {
    const entry = runEntry('INFO:     Application startup complete.');
    const message = entryMessage(entry);
    fake.plan = () => ({ status });
    expect((await deliver(fn.url, binaryDelivery(message))).status).toBe(500);
    expect(events()).toEqual([]);
    fake.plan = () => ({});
    expect((await deliver(fn.url, binaryDelivery(message))).status).toBe(204);
    expect(events().map((r) => r.event_id)).toEqual([classified(entry).event_id]);
    expect(fn.telemetry.some((t) => t.event === 'BigQueryInsertFailed' && t.status === status)).toBe(true);
  });

  it('answers 500 for a poison message while its rejected row cannot be written', async () => {
    fake.plan = () => ({ status: 500 });
    const message = sinkMessage('not json');
    expect((await deliver(fn.url, binaryDelivery(message))).status).toBe(500);
    expect(rejected()).toEqual([]);
  });

  it('keeps an entry whose row BigQuery refuses for good in rejected_entries (STORE.ROW_REFUSED) and acknowledges it', async () => {
    const entry = runEntry('Phase 3 database initialization timeout after 20.0s');
    const eventId = classified(entry).event_id;
    fake.plan = (call) => (call.table === 'failure_events' ? { rowErrors: { [eventId]: 'invalid' } } : {});
    const message = entryMessage(entry);
    expect((await deliver(fn.url, structuredDelivery(message))).status).toBe(204);
    expect(events()).toEqual([]);
    expect(rejected().map((r) => [r.reason, r.message_id, r.detail?.includes(eventId)])).toEqual([['STORE.ROW_REFUSED', message.messageId, true]]);
  });

  it('stores a poison message\'s row without its payload when BigQuery refuses the full row for good, and acknowledges', async () => {
    fake.plan = (call) => {
      const full = call.body.rows.find((r) => call.table === 'rejected_entries' && r.json.payload !== null);
      return full ? { rowErrors: { [String(full.insertId)]: 'invalid' } } : {};
    };
    const message = sinkMessage('not json');
    expect((await deliver(fn.url, binaryDelivery(message))).status).toBe(204);
    expect(rejected().map((r) => [r.reason, r.message_id, r.payload, r.detail?.includes('payload not stored')])).toEqual([['INPUT.BAD_JSON', message.messageId, null, true]]);
  });

  it('acknowledges a poison message whose rejected row BigQuery refuses even without payload, and logs the row', async () => {
    fake.plan = (call) => (call.table === 'rejected_entries' ? { rowErrors: Object.fromEntries(call.body.rows.map((r) => [r.insertId, 'invalid'])) } : {});
    const before = fn.telemetry.length;
    const message = sinkMessage('not json');
    expect((await deliver(fn.url, binaryDelivery(message))).status).toBe(204);
    expect(rejected()).toEqual([]);
    const logged = fn.telemetry.slice(before).filter((t) => t.event === 'RejectedRowRefused');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ severity: 'ERROR', row: { message_id: message.messageId, reason: 'INPUT.BAD_JSON' } });
  });

  it('answers 500 when BigQuery reports a transient error for the row (backendError)', async () => {
    const entry = runEntry('Phase 3 database initialization timeout after 20.0s');
    fake.plan = () => ({ rowErrors: { [classified(entry).event_id]: 'backendError' } });
    expect((await deliver(fn.url, pushDelivery(entryMessage(entry)))).status).toBe(500);
    expect(events()).toEqual([]);
    expect(rejected()).toEqual([]);
  });
});
