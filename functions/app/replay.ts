import { decodeRecord, RecordSplitter, type RecordFormat, type SplitMode } from '../core/decode/index.js';
import type { BatchClassifier } from '../ports/batch-classifier.js';
import type { IngestOutcome, IngestService } from './ingest.js';
import { Dispatcher } from './replay-dispatch.js';

/** One input of a replay: its name (kept in rejected rows' `source`) and its text, chunk by chunk. */
export interface ReplayInput {
  name: string;
  chunks: AsyncIterable<string>;
}

export interface ReplayOptions {
  split: SplitMode;
  record: RecordFormat;
  /**
   * Records handed to the IngestService per group; at most `groupsInFlight` groups wait for
   * their writes, so memory stays flat while classification overlaps the store's writes.
   */
  groupSize: number;
  groupsInFlight: number;
  /** called after each chunk of input, with the totals so far */
  onProgress?: (progress: ReplayProgress) => void;
  /** decodes and classifies on other threads (worker threads); absent: on this one */
  classifier?: BatchClassifier | null;
}

export interface ReplayProgress {
  input: string;
  records: number;
}

export interface ReplaySummary {
  /** records read (entries, messages, array elements), good or bad */
  records: number;
  /** classified and stored */
  stored: number;
  /** classified, but not stored (unrelated entries with storeUnrelated off) */
  skipped: number;
  /** stored in rejected_entries instead: undecodable records, and rows the store refused */
  rejected: number;
  byCategory: Record<string, number>;
  byReason: Record<string, number>;
  elapsedMs: number;
}

export const DEFAULT_REPLAY_OPTIONS: ReplayOptions = { split: 'auto', record: 'auto', groupSize: 4096, groupsInFlight: 1 };

class Tally {
  readonly summary: ReplaySummary = { records: 0, stored: 0, skipped: 0, rejected: 0, byCategory: {}, byReason: {}, elapsedMs: 0 };

  add(outcome: IngestOutcome): void {
    const s = this.summary;
    if (outcome.kind === 'rejected') {
      s.rejected += 1;
      s.byReason[outcome.row.reason] = (s.byReason[outcome.row.reason] ?? 0) + 1;
      return;
    }
    if (outcome.kind === 'stored') s.stored += 1;
    else s.skipped += 1;
    const c = outcome.record.category;
    s.byCategory[c] = (s.byCategory[c] ?? 0) + 1;
  }
}

/** Ingests records without awaiting each one, keeping a bounded number of groups in flight. */
class Window {
  private current: Promise<void>[] = [];
  private readonly waiting: Promise<void>[][] = [];
  private failure: unknown = null;

  constructor(
    private readonly tally: Tally,
    private readonly options: ReplayOptions,
  ) {}

  push(pending: Promise<IngestOutcome>): void {
    this.current.push(
      pending.then(
        (o) => this.tally.add(o),
        (err: unknown) => void (this.failure ??= err),
      ),
    );
    if (this.current.length >= this.options.groupSize) {
      this.waiting.push(this.current);
      this.current = [];
    }
  }

  /** Waits for the oldest groups while too many are in flight; rethrows a write failure. */
  async throttle(): Promise<void> {
    while (this.waiting.length > this.options.groupsInFlight) await Promise.all(this.waiting.shift() as Promise<void>[]);
    this.check();
  }

  async drain(flush: () => Promise<void>): Promise<void> {
    await flush();
    for (const group of [...this.waiting, this.current]) await Promise.all(group);
    this.check();
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
  }
}

/**
 * Local mode's use case: every record of every input, decoded and ingested exactly as the
 * Cloud Function would. Bad records become rejected rows and the replay goes on; a failed
 * write (the store is unusable) ends it with that error, after the rows already accepted
 * were flushed.
 */
export async function replay(inputs: readonly ReplayInput[], ingest: IngestService, options: ReplayOptions = DEFAULT_REPLAY_OPTIONS): Promise<ReplaySummary> {
  const started = performance.now();
  const tally = new Tally();
  const window = new Window(tally, options);
  const dispatcher = options.classifier ? new Dispatcher(options.classifier, options.record, ingest, (p) => window.push(p)) : null;
  try {
    for (const input of inputs) {
      const splitter = new RecordSplitter(options.split);
      let n = 0;
      const feed = (records: string[]) => {
        for (const text of records) {
          n += 1;
          tally.summary.records += 1;
          const source = `replay:${input.name}:${n}`;
          if (dispatcher) dispatcher.push(text, source);
          else window.push(ingest.ingest(decodeRecord(text, options.record), source));
        }
      };
      for await (const chunk of input.chunks) {
        feed(splitter.push(chunk));
        await dispatcher?.throttle();
        await window.throttle();
        options.onProgress?.({ input: input.name, records: tally.summary.records });
      }
      feed(splitter.end());
    }
    await dispatcher?.finish();
  } finally {
    await window.drain(() => ingest.flush());
  }
  tally.summary.elapsedMs = performance.now() - started;
  return tally.summary;
}
