import { describe, expect, it } from 'vitest';
import { FlushReport, type Schedule } from '../../functions/app/flush-report.js';
import { IngestService } from '../../functions/app/ingest.js';
import { decodeRecord } from '../../functions/core/decode/index.js';
import type { EventSink } from '../../functions/ports/event-sink.js';
import type { Telemetry, TelemetrySeverity } from '../../functions/ports/telemetry.js';
import { runEntry, shippedEngine } from '../helpers/entries.js';

interface Line {
  severity: TelemetrySeverity;
  event: string;
  fields: Record<string, unknown>;
}

function recording(): Telemetry & { lines: Line[] } {
  const lines: Line[] = [];
  return { lines, emit: (severity, event, fields = {}) => void lines.push({ severity, event, fields }) };
}

/** A timer the test fires by hand; it records the delays asked for. */
function manualTimer(): { schedule: Schedule; fire: () => void; delays: number[]; pending: () => number } {
  let runs: (() => void)[] = [];
  const delays: number[] = [];
  return {
    delays,
    pending: () => runs.length,
    schedule: (run, ms) => {
      delays.push(ms);
      runs.push(run);
      return { cancel: () => void (runs = runs.filter((r) => r !== run)) };
    },
    fire: () => {
      const due = runs;
      runs = [];
      for (const run of due) run();
    },
  };
}

/** A clock the test moves by hand, in ms. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A report on `table` with a recorded telemetry, a hand-fired timer and a hand-moved clock. */
function setup(intervalMs = 60_000, table = 'failure_events') {
  const telemetry = recording();
  const timer = manualTimer();
  const clock = manualClock();
  const report = new FlushReport(telemetry, table, intervalMs, timer.schedule, clock.now);
  return { telemetry, timer, clock, report };
}

describe('FlushReport', () => {
  it('sums the successful batches of an interval into one line, sent when the interval ends', () => {
    const { telemetry, timer, clock, report } = setup();
    report.record(1, 0, 4);
    clock.advance(20_000);
    report.record(3, 0, 10);
    report.record(2, 0, 7);
    expect(telemetry.lines).toEqual([]);
    expect(timer.delays).toEqual([60_000]);
    clock.advance(40_000);
    timer.fire();
    expect(telemetry.lines).toEqual([
      { severity: 'INFO', event: 'BatchesFlushed', fields: { table: 'failure_events', batches: 3, rows: 6, window_s: 60, ms_mean: 7, ms_max: 10 } },
    ]);
    // the next batch opens a new interval
    report.record(5, 0, 1);
    expect(timer.delays).toEqual([60_000, 60_000]);
    timer.fire();
    expect(telemetry.lines.map((l) => l.fields.rows)).toEqual([6, 5]);
  });

  it('sends the sum with the first batch recorded after the interval, even when the timer runs late', () => {
    const { telemetry, timer, clock, report } = setup();
    report.record(1, 0, 2);
    clock.advance(59_000);
    report.record(1, 0, 2);
    expect(telemetry.lines).toEqual([]);
    // the timer has not run (Cloud Run throttled the CPU): the next batch past the interval sends the sum
    clock.advance(90_000);
    report.record(4, 0, 3);
    expect(telemetry.lines.map((l) => [l.event, l.fields.batches, l.fields.rows, l.fields.window_s])).toEqual([['BatchesFlushed', 3, 6, 149]]);
    expect(timer.pending()).toBe(0);
  });

  it('reports a batch with failed rows at once, on its own, as a warning', () => {
    const { telemetry, timer, report } = setup();
    report.record(2, 0, 3);
    report.record(4, 4, 30);
    expect(telemetry.lines).toEqual([{ severity: 'WARNING', event: 'BatchFlushed', fields: { table: 'failure_events', rows: 4, failed: 4, ms: 30 } }]);
    timer.fire();
    expect(telemetry.lines.map((l) => [l.event, l.fields.batches])).toEqual([
      ['BatchFlushed', undefined],
      ['BatchesFlushed', 1],
    ]);
  });

  it('sends what is pending on demand and then nothing more; an empty interval sends nothing', () => {
    const { telemetry, timer, report } = setup(60_000, 'rejected_entries');
    report.emitPending();
    expect(telemetry.lines).toEqual([]);
    report.record(1, 0, 2);
    report.emitPending();
    expect(timer.pending()).toBe(0);
    timer.fire();
    expect(telemetry.lines.map((l) => [l.event, l.fields.table, l.fields.rows])).toEqual([['BatchesFlushed', 'rejected_entries', 1]]);
  });

  it('with an interval of 0 reports every batch on its own', () => {
    const { telemetry, timer, report } = setup(0);
    report.record(1, 0, 2.4);
    report.record(2, 0, 5);
    expect(telemetry.lines).toEqual([
      { severity: 'INFO', event: 'BatchFlushed', fields: { table: 'failure_events', rows: 1, failed: 0, ms: 2 } },
      { severity: 'INFO', event: 'BatchFlushed', fields: { table: 'failure_events', rows: 2, failed: 0, ms: 5 } },
    ]);
    expect(timer.delays).toEqual([]);
  });
});

describe('IngestService telemetry of its writes', () => {
  const sink: EventSink = { writeEvents: async () => [], writeRejected: async () => [] };
  const clock = { nowIso: () => '2026-03-02T12:00:00.000Z' };

  it('logs one summary per table for many single-row writes, and sends it on flush', async () => {
    const telemetry = recording();
    const timer = manualTimer();
    const service = new IngestService(shippedEngine(), sink, clock, telemetry, {
      batch: { maxRows: 500, maxDelayMs: 25 },
      storeUnrelated: true,
      flushReportSchedule: timer.schedule,
    });
    // one at a time, as at concurrency 1: each row is a write of its own
    for (let i = 0; i < 5; i++) await service.ingest(decodeRecord(JSON.stringify(runEntry(`Container called exit(${i + 1}).`, { insertId: `x${i}` }))), 'test');
    await service.ingest(decodeRecord('not json'), 'test');
    expect(telemetry.lines.filter((l) => l.event.startsWith('Batch'))).toEqual([]);
    expect(timer.delays).toEqual([60_000, 60_000]);
    await service.flush();
    const summaries = telemetry.lines.filter((l) => l.event === 'BatchesFlushed').map((l) => [l.fields.table, l.fields.batches, l.fields.rows]);
    expect(summaries).toEqual([
      ['failure_events', 5, 5],
      ['rejected_entries', 1, 1],
    ]);
  });
});
