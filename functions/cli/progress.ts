import type { Writable } from 'node:stream';
import { bar, formatCount, formatRate } from './table.js';

/** What a progress display is told: totals so far, and the bytes expected when known. */
export interface ProgressState {
  records: number;
  bytes: number;
  totalBytes: number | null;
}

export interface Progress {
  update(state: ProgressState): void;
  done(): void;
}

const silent: Progress = { update: () => undefined, done: () => undefined };

/**
 * A one-line progress bar with the rate, redrawn in place on a terminal. Short runs never
 * show it (it appears after `delayMs`), and a stream that is not a TTY gets nothing, so logs
 * and pipes stay clean.
 */
export function progressBar(out: Writable & { isTTY?: boolean; columns?: number }, options: { delayMs?: number; everyMs?: number } = {}): Progress {
  if (!out.isTTY) return silent;
  const started = performance.now();
  const delayMs = options.delayMs ?? 500;
  const everyMs = options.everyMs ?? 100;
  let last = 0;
  let shown = false;
  return {
    update(state) {
      const now = performance.now();
      if (now - started < delayMs || now - last < everyMs) return;
      last = now;
      shown = true;
      out.write(`\r${progressLine(state, now - started)}`.slice(0, (out.columns ?? 100) + 1) + '\u001b[K');
    },
    done() {
      if (shown) out.write('\r\u001b[K');
    },
  };
}

export function progressLine(state: ProgressState, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (state.records * 1000) / elapsedMs : 0;
  const counts = `${formatCount(state.records)} entries  ${formatRate(rate)}`;
  if (state.totalBytes === null || state.totalBytes === 0) return `replaying  ${counts}`;
  const fraction = Math.min(1, state.bytes / state.totalBytes);
  const etaS = fraction > 0 ? ((elapsedMs / fraction) * (1 - fraction)) / 1000 : 0;
  return `[${bar(fraction, 24)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${counts}  eta ${Math.ceil(etaS)} s`;
}
