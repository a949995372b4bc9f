import type { RecordFormat } from '../core/decode/index.js';
import type { BatchClassifier, Preclassified } from '../ports/batch-classifier.js';
import type { IngestOutcome, IngestService } from './ingest.js';

/** Records sent to the classifier at a time: large enough to amortise a message between threads. */
export const DISPATCH_RECORDS = 1024;
/** Batches being classified at once: enough to keep every worker busy, few enough to bound memory. */
const BATCHES_IN_FLIGHT = 3;

/**
 * Hands a replay's records to a BatchClassifier (worker threads) in batches, and ingests
 * their results in input order, as the single-threaded replay would: the order matters to
 * alerts (escalation compares an entry with those before it).
 */
export class Dispatcher {
  private texts: string[] = [];
  private sources: string[] = [];
  private readonly batches: Promise<void>[] = [];
  private order: Promise<void> = Promise.resolve();

  constructor(
    private readonly classifier: BatchClassifier,
    private readonly format: RecordFormat,
    private readonly ingest: IngestService,
    private readonly issue: (pending: Promise<IngestOutcome>) => void,
  ) {}

  push(text: string, source: string): void {
    this.texts.push(text);
    this.sources.push(source);
    if (this.texts.length >= DISPATCH_RECORDS) this.dispatch();
  }

  /** Waits while too many batches are being classified; rethrows a classifier failure. */
  async throttle(): Promise<void> {
    while (this.batches.length > BATCHES_IN_FLIGHT) await this.batches.shift();
  }

  /** Dispatches what waits and resolves once every result was handed to ingestion. */
  async finish(): Promise<void> {
    this.dispatch();
    await this.order;
  }

  private dispatch(): void {
    if (this.texts.length === 0) return;
    const texts = this.texts;
    const sources = this.sources;
    this.texts = [];
    this.sources = [];
    const classified = this.classifier.classify(texts, this.format);
    // a rejection is handled through `order` (thrown by throttle or finish), not left unhandled
    classified.catch(() => undefined);
    this.order = this.order.then(async () => {
      const results = await classified;
      results.forEach((r, i) => this.issue(this.ingestOne(r, texts[i] as string, sources[i] as string)));
    });
    const link = this.order;
    // awaited by throttle or finish; a failure left behind by an ended replay is not unhandled
    link.catch(() => undefined);
    this.batches.push(link);
  }

  private ingestOne(r: Preclassified, text: string, source: string): Promise<IngestOutcome> {
    if ('kind' in r) return this.ingest.ingest(r, source);
    return this.ingest.ingestClassified(r, () => text, source);
  }
}
