import type { Telemetry } from '../ports/telemetry.js';

/** Schedules `run` after `ms`; the handle cancels it. */
export type Schedule = (run: () => void, ms: number) => { cancel(): void };

/** A timer that never keeps the process alive: a summary is not worth waiting for at exit. */
export const unrefTimer: Schedule = (run, ms) => {
  const t = setTimeout(run, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
};

interface Totals {
  batches: number;
  rows: number;
  msTotal: number;
  msMax: number;
  /** when the first batch of these was recorded (`now()`, ms) */
  openedAtMs: number;
}

const empty = (): Totals => ({ batches: 0, rows: 0, msTotal: 0, msMax: 0, openedAtMs: 0 });

/**
 * Reports a table's batch writes. A batch with failed rows is reported at once, on its own
 * (`BatchFlushed`, WARNING). Batches that succeeded are summed into one `BatchesFlushed` line
 * (INFO) per interval: at concurrency 1 every event is a batch of its own, and a line per
 * batch was a Cloud Logging entry per ingested entry, doubling what logging the function
 * costs. The sum goes out with the first batch recorded once the interval that the first of
 * them opened is over, or from a timer at its end when no batch comes (Cloud Run may run that
 * timer late: it throttles the CPU between requests), or at `emitPending`. `window_s` says
 * how long the summed batches took to gather. An interval of 0 reports every batch on its
 * own, as `BatchFlushed`.
 */
export class FlushReport {
  private totals = empty();
  private timer: { cancel(): void } | null = null;

  constructor(
    private readonly telemetry: Telemetry,
    private readonly table: string,
    private readonly intervalMs: number,
    private readonly schedule: Schedule = unrefTimer,
    private readonly now: () => number = () => performance.now(),
  ) {}

  record(rows: number, failed: number, ms: number): void {
    if (failed > 0 || this.intervalMs === 0) {
      this.telemetry.emit(failed > 0 ? 'WARNING' : 'INFO', 'BatchFlushed', { table: this.table, rows, failed, ms: Math.round(ms) });
      return;
    }
    const t = this.totals;
    if (t.batches === 0) t.openedAtMs = this.now();
    t.batches += 1;
    t.rows += rows;
    t.msTotal += ms;
    t.msMax = Math.max(t.msMax, ms);
    if (this.now() - t.openedAtMs >= this.intervalMs) this.emitPending();
    else this.timer ??= this.schedule(() => this.emitPending(), this.intervalMs);
  }

  /** Sends the summary of the batches not yet reported, if any. */
  emitPending(): void {
    this.timer?.cancel();
    this.timer = null;
    const t = this.totals;
    if (t.batches === 0) return;
    this.totals = empty();
    this.telemetry.emit('INFO', 'BatchesFlushed', {
      table: this.table,
      batches: t.batches,
      rows: t.rows,
      window_s: Math.round((this.now() - t.openedAtMs) / 100) / 10,
      ms_mean: Math.round(t.msTotal / t.batches),
      ms_max: Math.round(t.msMax),
    });
  }
}
