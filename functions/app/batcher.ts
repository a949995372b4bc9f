import type { RowFailure } from '../ports/event-sink.js';

export interface BatcherOptions {
  /** flush as soon as this many rows wait */
  maxRows: number;
  /** flush at the latest this long after the first waiting row arrived */
  maxDelayMs: number;
}

/** A row of a batch failed; `transient` says whether a redelivery may succeed. */
export class RowWriteError extends Error {
  override name = 'RowWriteError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Collects rows from concurrent invocations into one write. Each `add` resolves only after
 * the batch holding its row was written, and rejects when that row (or its whole batch)
 * failed: a failed batch fails exactly the invocations whose rows it held.
 *
 * Adaptive: when no write is in flight, rows go out at once (after the current tick, so
 * rows that arrive together share a write); while one is in flight they gather, and go
 * when it returns, when `maxRows` wait, or `maxDelayMs` after the first of them arrived.
 * A lone event pays one round trip, and under load batches grow by themselves.
 */
export class Batcher<T> {
  private pending: Pending<T>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly write: (items: T[]) => Promise<RowFailure[]>,
    private readonly options: BatcherOptions,
    private readonly onFlush: (size: number, failed: number, ms: number) => void = () => undefined,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxRows) void this.flush();
      else if (this.inFlight.size === 0) this.scheduleSoon();
      else if (this.timer === null) this.timer = setTimeout(() => void this.flush(), this.options.maxDelayMs);
    });
  }

  /** Writes what waits now; resolves when every batch started so far has settled. */
  async flush(): Promise<void> {
    this.startBatch();
    await Promise.all([...this.inFlight]);
  }

  private scheduleSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight.size === 0) this.startBatch();
    });
  }

  private startBatch(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const p = this.writeBatch(batch);
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      // rows that gathered while this write was out go now
      if (this.inFlight.size === 0 && this.pending.length > 0) this.scheduleSoon();
    });
  }

  private async writeBatch(batch: Pending<T>[]): Promise<void> {
    const started = performance.now();
    let failures: RowFailure[];
    try {
      failures = await this.write(batch.map((p) => p.item));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of batch) p.reject(error);
      this.onFlush(batch.length, batch.length, performance.now() - started);
      return;
    }
    const failed = new Map(failures.map((f) => [f.index, f]));
    batch.forEach((p, i) => {
      const f = failed.get(i);
      if (f) p.reject(new RowWriteError(f.reason, f.transient));
      else p.resolve();
    });
    this.onFlush(batch.length, failed.size, performance.now() - started);
  }
}
