import { describe, expect, it } from 'vitest';
import { IngestService } from '../../functions/app/ingest.js';
import { replay, DEFAULT_REPLAY_OPTIONS, type ReplayInput } from '../../functions/app/replay.js';
import { decodeRecord, type RecordFormat } from '../../functions/core/decode/index.js';
import type { FailureEventRow, RejectedEntryRow } from '../../functions/core/rows.js';
import type { BatchClassifier, Preclassified } from '../../functions/ports/batch-classifier.js';
import type { EventSink } from '../../functions/ports/event-sink.js';
import { silentTelemetry } from '../../functions/ports/telemetry.js';
import { runEntry, shippedEngine } from '../helpers/entries.js';

const engine = shippedEngine();
const clock = { nowIso: () => '2026-03-02T12:00:00.000Z' };

/** Classifies with the shipped engine, but answers batches in reverse order of their arrival. */
class ReversingClassifier implements BatchClassifier {
  readonly classifierVersion = engine.classifierVersion;
  readonly batches: number[] = [];
  private waiting: (() => void)[] = [];
  constructor(private readonly failOnBatch = -1) {}

  classify(texts: readonly string[], format: RecordFormat): Promise<Preclassified[]> {
    const n = this.batches.push(texts.length) - 1;
    return new Promise((resolve, reject) => {
      this.waiting.unshift(() => {
        if (n === this.failOnBatch) return reject(new Error('worker died'));
        resolve(texts.map((t) => {
          const d = decodeRecord(t, format);
          return d.kind === 'rejected' ? d : (engine.classifyDecoded(d) as Preclassified);
        }));
      });
      // every batch of a chunk has arrived once the event loop turns: answer the newest first
      setTimeout(() => this.waiting.splice(0).forEach((answer) => answer()), 0);
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function setup() {
  const events: FailureEventRow[] = [];
  const rejected: RejectedEntryRow[] = [];
  const sink: EventSink = {
    writeEvents: (rows) => (events.push(...rows), Promise.resolve([])),
    writeRejected: (rows) => (rejected.push(...rows), Promise.resolve([])),
  };
  const observed: string[] = [];
  const ingest = new IngestService(engine, sink, clock, silentTelemetry, {
    batch: { maxRows: 500, maxDelayMs: 5 },
    storeUnrelated: true,
    observer: (r) => (observed.push(r.event_id), Promise.resolve()),
  });
  return { ingest, events, rejected, observed };
}

const lines = Array.from({ length: 5_000 }, (_, i) => (i % 997 === 3 ? '{"cut": ' : JSON.stringify(runEntry(`Phase 3 database initialization timeout after ${i}.0s`, { insertId: `d${i}` }))));
const input = (): ReplayInput => ({ name: 'mem', chunks: (async function* () { for (let i = 0; i < lines.length; i += 700) yield lines.slice(i, i + 700).join('\n') + '\n'; })() });

describe('replay with a BatchClassifier (worker threads)', () => {
  it('ingests in input order even when batches come back out of order, and stores what an in-thread replay stores', async () => {
    const inThread = setup();
    const plain = await replay([input()], inThread.ingest, DEFAULT_REPLAY_OPTIONS);
    const dispatched = setup();
    const classifier = new ReversingClassifier();
    const summary = await replay([input()], dispatched.ingest, { ...DEFAULT_REPLAY_OPTIONS, classifier });
    expect(classifier.batches.length).toBeGreaterThan(3);
    expect({ ...summary, elapsedMs: 0 }).toEqual({ ...plain, elapsedMs: 0 });
    expect(dispatched.observed).toEqual(inThread.observed);
    expect(dispatched.events).toEqual(inThread.events);
    expect(dispatched.rejected.map((r) => r.rejection_id)).toEqual(inThread.rejected.map((r) => r.rejection_id));
    expect(dispatched.rejected).toHaveLength(6);
  });

  it('fails the replay with the classifier\'s error, after storing what was classified before it', async () => {
    const run = setup();
    await expect(replay([input()], run.ingest, { ...DEFAULT_REPLAY_OPTIONS, classifier: new ReversingClassifier(2) })).rejects.toThrow('worker died');
    expect(run.events.length).toBeGreaterThan(0);
    expect(run.events.length).toBeLessThan(5_000);
  });
});
