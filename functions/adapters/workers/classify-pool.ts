import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordFormat } from '../../core/decode/index.js';
import type { BatchClassifier, Preclassified } from '../../ports/batch-classifier.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

/** The compiled worker script (dist/); absent when running from TypeScript sources. */
export const WORKER_SCRIPT = fileURLToPath(new URL('./classify-worker.js', import.meta.url));

interface Pending {
  resolve: (results: Preclassified[]) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** set once the worker failed or exited: later batches are refused at once, not left waiting */
  dead: Error | null;
}

/** Starts one worker and waits for its rules to load; its classifier version must be ours. */
function start(expectedVersion: string): Promise<Slot> {
  const worker = new Worker(WORKER_SCRIPT);
  const slot: Slot = { worker, pending: new Map(), dead: null };
  return new Promise<Slot>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: WorkerReply) => {
      worker.off('error', reject);
      if (!('ready' in m)) return reject(new Error('a classify worker answered before it was ready'));
      if (m.ready !== expectedVersion) return reject(new Error(`a classify worker runs ${m.ready}, this process ${expectedVersion}`));
      listen(slot);
      resolve(slot);
    });
  });
}

function listen(slot: Slot): void {
  const failAll = (err: Error) => {
    slot.dead ??= err;
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
  };
  slot.worker.on('message', (m: WorkerReply) => {
    if ('ready' in m) return;
    const p = slot.pending.get(m.id);
    slot.pending.delete(m.id);
    if ('error' in m) p?.reject(new Error(`classify worker: ${m.error}`));
    else p?.resolve(m.results);
  });
  slot.worker.on('error', failAll);
  slot.worker.on('exit', (code) => failAll(new Error(`a classify worker exited (code ${code})`)));
}

/**
 * Worker threads that decode and classify for a local replay, so that the main thread only
 * stores rows and raises alerts. Each batch goes to the worker with the fewest batches
 * waiting; results come back per batch, in the order of its texts.
 */
export class ClassifyPool implements BatchClassifier {
  private nextId = 0;

  private constructor(
    private readonly slots: Slot[],
    readonly classifierVersion: string,
  ) {}

  /** `size` workers with the rules of `classifierVersion`; fails when the worker script is absent. */
  static async open(size: number, classifierVersion: string): Promise<ClassifyPool> {
    if (!existsSync(WORKER_SCRIPT)) throw new Error(`no worker script at ${WORKER_SCRIPT} (run \`npm run build\`)`);
    const started = await Promise.allSettled(Array.from({ length: size }, () => start(classifierVersion)));
    const slots = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return new ClassifyPool(slots, classifierVersion);
  }

  classify(texts: readonly string[], format: RecordFormat): Promise<Preclassified[]> {
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    if (slot.dead) return Promise.reject(slot.dead);
    const id = this.nextId++;
    return new Promise<Preclassified[]>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, texts, format } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
