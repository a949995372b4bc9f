import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBigQuerySink, InsertTimeoutError, type BigQuerySinkOptions } from '../../../functions/adapters/bigquery/event-sink.js';
import { FailureEventRow, RejectedEntryRow } from '../../../functions/core/rows.js';
import type { Telemetry } from '../../../functions/ports/telemetry.js';
import { describeEventSinkContract, eventRows, rejectedRows } from '../../contracts/event-sink.contract.js';
import { type FakeBigQuery, PATH, startFakeBigQuery } from './fake-bigquery.js';

const TABLES = { events: 'failure_events', rejected: 'rejected_entries' };

function recordingTelemetry(): Telemetry & { events: { severity: string; event: string; fields: Record<string, unknown> }[] } {
  const events: { severity: string; event: string; fields: Record<string, unknown> }[] = [];
  return { events, emit: (severity, event, fields = {}) => void events.push({ severity, event, fields }) };
}

describe('BigQuery adapter at the wire (local HTTP server)', () => {
  let fake: FakeBigQuery;
  let endpoint: string;
  const sinkFor = (over: Partial<BigQuerySinkOptions> = {}) => createBigQuerySink({ projectId: 'P', dataset: 'D', tables: TABLES, apiEndpoint: endpoint, ...over });

  beforeAll(async () => ({ fake, endpoint } = await startFakeBigQuery()));
  afterAll(async () => fake.stop());
  afterEach(() => fake.reset());

  it('posts one insertAll per batch, each row with its event_id as insertId and valid against the row schema', async () => {
    const rows = eventRows(5, 'wire');
    expect(await sinkFor().writeEvents(rows)).toEqual([]);
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0];
    expect(call?.path).toBe('/bigquery/v2/projects/P/datasets/D/tables/failure_events/insertAll');
    expect(call?.body.skipInvalidRows).toBe(true);
    expect(call?.body.rows.map((r) => r.insertId)).toEqual(rows.map((r) => r.event_id));
    for (const sent of call?.body.rows ?? []) expect(FailureEventRow.strict().safeParse(sent.json).success).toBe(true);
    expect(fake.rows('failure_events')).toEqual(rows);
    expect(fake.unexpected).toEqual([]);
  });

  it('sends the same insertIds when the same rows are written again, so the copy is de-duplicated', async () => {
    const rows = eventRows(4, 'again');
    const sink = sinkFor();
    await sink.writeEvents(rows);
    await sink.writeEvents([...rows].reverse());
    const [first, second] = fake.calls.map((c) => c.body.rows.map((r) => r.insertId).sort());
    expect(second).toEqual(first);
    expect(fake.raw.get('failure_events')).toHaveLength(8);
    expect(fake.rows('failure_events').map((r) => r.event_id).sort()).toEqual(rows.map((r) => r.event_id).sort());
  });

  it('writes rejected rows with their rejection_id as insertId', async () => {
    const rows = rejectedRows(3);
    expect(await sinkFor().writeRejected(rows)).toEqual([]);
    const call = fake.calls[0];
    expect(call?.path).toMatch(/\/tables\/rejected_entries\/insertAll$/);
    expect(call?.body.rows.map((r) => r.insertId)).toEqual(rows.map((r) => r.rejection_id));
    for (const sent of call?.body.rows ?? []) expect(RejectedEntryRow.strict().safeParse(sent.json).success).toBe(true);
  });

  it('reports per-row insertErrors row by row: invalid is permanent, backendError transient, the rest is stored', async () => {
    const rows = eventRows(6, 'partial');
    const invalid = rows[1]?.event_id as string;
    const backend = rows[4]?.event_id as string;
    fake.plan = () => ({ rowErrors: { [invalid]: 'invalid', [backend]: 'backendError' } });
    const telemetry = recordingTelemetry();
    const failures = await sinkFor({ telemetry }).writeEvents(rows);
    expect(failures.map(({ index, transient }) => ({ index, transient }))).toEqual([
      { index: 1, transient: false },
      { index: 4, transient: true },
    ]);
    expect(failures[0]?.reason).toContain('invalid');
    expect(fake.rows('failure_events').map((r) => r.event_id)).toEqual(rows.filter((_, i) => i !== 1 && i !== 4).map((r) => r.event_id));
    expect(telemetry.events.map((e) => [e.severity, e.event, e.fields.failed])).toEqual([['WARNING', 'BigQueryInsertFailed', 2]]);
  });

  it('maps a row the table refuses by its schema to a permanent failure at its index', async () => {
    const rows = eventRows(3, 'schema');
    const bad = { ...rows[2], severity: null } as unknown as FailureEventRow;
    const failures = await sinkFor().writeEvents([rows[0] as FailureEventRow, rows[1] as FailureEventRow, bad]);
    expect(failures).toEqual([{ index: 2, transient: false, reason: expect.stringContaining('invalid') }]);
    expect(fake.rows('failure_events')).toHaveLength(2);
  });

  it.each([500, 503, 429, 403])('throws the whole batch on HTTP %i, storing nothing', async (status) => {
    fake.plan = () => ({ status });
    const telemetry = recordingTelemetry();
    await expect(sinkFor({ telemetry }).writeEvents(eventRows(3, `http${status}`))).rejects.toMatchObject({ code: status });
    expect(fake.calls).toHaveLength(1);
    expect(fake.rows('failure_events')).toEqual([]);
    expect(telemetry.events.map((e) => [e.severity, e.event, e.fields.status])).toEqual([['ERROR', 'BigQueryInsertFailed', status]]);
  });

  it('throws when the endpoint does not answer within the timeout', async () => {
    fake.plan = () => ({ hang: true });
    await expect(sinkFor({ timeoutMs: 300 }).writeEvents(eventRows(1, 'hang'))).rejects.toThrow(InsertTimeoutError);
  });

  it('throws on a network failure (nothing listening)', async () => {
    const gone = await startFakeBigQuery();
    await gone.fake.stop();
    await expect(createBigQuerySink({ projectId: 'P', dataset: 'D', tables: TABLES, apiEndpoint: gone.endpoint }).writeEvents(eventRows(1, 'net'))).rejects.toThrow();
  });

  it('sends nothing for an empty batch', async () => {
    expect(await sinkFor().writeEvents([])).toEqual([]);
    expect(fake.calls).toEqual([]);
  });

  it('keeps the /bigquery/v2 paths when BIGQUERY_EMULATOR_HOST is also set (the Node client reads it verbatim)', async () => {
    const saved = process.env.BIGQUERY_EMULATOR_HOST;
    process.env.BIGQUERY_EMULATOR_HOST = endpoint;
    try {
      await sinkFor().writeEvents(eventRows(1, 'env'));
    } finally {
      if (saved === undefined) delete process.env.BIGQUERY_EMULATOR_HOST;
      else process.env.BIGQUERY_EMULATOR_HOST = saved;
    }
    expect(fake.calls.map((c) => PATH.test(c.path))).toEqual([true]);
    expect(fake.unexpected).toEqual([]);
  });
});

describeEventSinkContract('bigquery at the wire', async () => {
  const { fake, endpoint } = await startFakeBigQuery();
  const sink = createBigQuerySink({ projectId: 'P', dataset: 'D', tables: TABLES, apiEndpoint: endpoint });
  return {
    sink,
    storedEvents: async () => fake.rows('failure_events').map((r) => FailureEventRow.parse(r)),
    storedRejected: async () => fake.rows('rejected_entries').map((r) => RejectedEntryRow.parse(r)),
    close: () => fake.stop(),
  };
});
