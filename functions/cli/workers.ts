import { availableParallelism } from 'node:os';
import { ClassifyPool } from '../adapters/workers/classify-pool.js';
import type { BatchClassifier } from '../ports/batch-classifier.js';

export type WorkersOption = number | 'auto';

/** Below this much input, starting workers (each loads the rules) costs more than it saves. */
export const AUTO_WORKERS_MIN_BYTES = 8 * 1024 * 1024;

export const WORKERS_HELP = `  --workers N        classify on N worker threads while the main thread stores rows
                     (default auto: one fewer than the CPUs, at least 1, for inputs of
                     8 MB or more and for stdin; 0: everything on the main thread)`;

/** `--workers` as given: a count from 0 to 64, or auto. */
export function parseWorkers(value: string | undefined): WorkersOption | undefined {
  if (value === undefined || value === 'auto') return 'auto';
  if (!/^\d+$/.test(value) || Number(value) > 64) return undefined;
  return Number(value);
}

function workerCount(option: WorkersOption, totalBytes: number | null): number {
  if (option !== 'auto') return option;
  if (totalBytes !== null && totalBytes < AUTO_WORKERS_MIN_BYTES) return 0;
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * The classifier of a replay: worker threads, or null for the main thread. An automatic
 * choice falls back to the main thread when workers cannot start (running from sources
 * without a build); an explicit count fails instead.
 */
export async function openClassifier(option: WorkersOption, totalBytes: number | null, classifierVersion: string): Promise<BatchClassifier | null> {
  const count = workerCount(option, totalBytes);
  if (count === 0) return null;
  try {
    return await ClassifyPool.open(count, classifierVersion);
  } catch (err) {
    if (option === 'auto') return null;
    throw err;
  }
}
