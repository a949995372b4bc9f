import { describe, expect, it } from 'vitest';
import { toEventRow, toRejectedRow, type FailureEventRow, type RejectedEntryRow } from '../../functions/core/rows.js';
import type { EventSink } from '../../functions/ports/event-sink.js';
import { classified, runEntry, shippedEngine } from '../helpers/entries.js';

/** What a contract run needs from an adapter: the sink, and a way to see what it stored. */
export interface EventSinkHarness {
  sink: EventSink;
  /** the stored events, one per event_id as analysts see them (after any de-duplication the design relies on) */
  storedEvents(): Promise<FailureEventRow[]>;
  storedRejected(): Promise<RejectedEntryRow[]>;
  close(): Promise<void>;
}

export function eventRows(n: number, prefix = 'c'): FailureEventRow[] {
  const texts = ['Phase 3 database initialization timeout after 20.0s', "ModuleNotFoundError: No module named 'app.monitoring'", 'INFO:     Application startup complete.'];
  return Array.from({ length: n }, (_, i) => {
    const record = classified(runEntry(texts[i % texts.length] as string, { insertId: `${prefix}-${i}`, timestamp: `2026-03-01T10:${String(i % 60).padStart(2, '0')}:00.123456Z` }));
    return toEventRow(record, '2026-03-01T11:00:00.000Z');
  });
}

export function rejectedRows(n: number): RejectedEntryRow[] {
  return Array.from({ length: n }, (_, i) =>
    toRejectedRow(
      { reason: 'ENTRY.MISSING_FIELD', detail: 'missing field resource', messageId: `m-${i}`, publishTime: '2026-03-01T10:00:00Z', raw: `{"logName":"x","n":${i},"password":"hunter2"}`, source: 'pubsub' },
      '2026-03-01T11:00:00.000Z',
      shippedEngine().classifierVersion,
    ),
  );
}

const byId = (rows: FailureEventRow[]) => [...rows].sort((a, b) => a.event_id.localeCompare(b.event_id));
const instant = (s: string | null) => (s === null ? null : new Date(s).getTime());

/** The behaviour every EventSink adapter must have. Run it with `describeEventSinkContract('duckdb', factory)`. */
export function describeEventSinkContract(name: string, open: () => Promise<EventSinkHarness>): void {
  describe(`EventSink contract: ${name}`, () => {
    it('stores events with their values intact', async () => {
      const h = await open();
      try {
        const rows = eventRows(6);
        expect(await h.sink.writeEvents(rows)).toEqual([]);
        const stored = byId(await h.storedEvents());
        expect(stored.map((r) => r.event_id)).toEqual(byId(rows).map((r) => r.event_id));
        const want = byId(rows)[0] as FailureEventRow;
        const got = stored[0] as FailureEventRow;
        expect({ ...got, params: JSON.parse(got.params ?? 'null'), event_timestamp: instant(got.event_timestamp), ingest_time: instant(got.ingest_time) })
          .toEqual({ ...want, params: JSON.parse(want.params ?? 'null'), event_timestamp: instant(want.event_timestamp), ingest_time: instant(want.ingest_time) });
      } finally {
        await h.close();
      }
    });

    it('is idempotent by event_id across batches and redeliveries', async () => {
      const h = await open();
      try {
        const rows = eventRows(10);
        await h.sink.writeEvents(rows);
        await h.sink.writeEvents(rows.slice(3, 8));
        await h.sink.writeEvents([...rows.slice(0, 2), ...eventRows(2, 'new')]);
        const ids = (await h.storedEvents()).map((r) => r.event_id);
        expect(ids.length).toBe(12);
        expect(new Set(ids).size).toBe(12);
      } finally {
        await h.close();
      }
    });

    it('stores rejected records once each, redacted', async () => {
      const h = await open();
      try {
        const rows = rejectedRows(4);
        await h.sink.writeRejected(rows);
        await h.sink.writeRejected(rows);
        const stored = await h.storedRejected();
        expect(stored.map((r) => r.rejection_id).sort()).toEqual(rows.map((r) => r.rejection_id).sort());
        expect(JSON.stringify(stored)).not.toContain('hunter2');
      } finally {
        await h.close();
      }
    });

    it('accepts an empty batch', async () => {
      const h = await open();
      try {
        expect(await h.sink.writeEvents([])).toEqual([]);
        expect(await h.storedEvents()).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });
}
