import { describe, expect, it } from 'vitest';
import type { RowWriteError } from '../../functions/app/batcher.js';
import { Batcher } from '../../functions/app/batcher.js';
import type { RowFailure } from '../../functions/ports/event-sink.js';

function recorder(answer: (items: number[]) => Promise<RowFailure[]> = async () => []) {
  const batches: number[][] = [];
  return { batches, write: async (items: number[]) => (batches.push(items), answer(items)) };
}

describe('Batcher', () => {
  it('writes a lone row at once and gathers rows that arrive while a write is out', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const rec = recorder(async () => (await gate, []));
    const b = new Batcher(rec.write, { maxRows: 100, maxDelayMs: 10_000 });
    const first = b.add(1);
    await new Promise((r) => setImmediate(r));
    expect(rec.batches).toEqual([[1]]);
    const later = [b.add(2), b.add(3), b.add(4)];
    await new Promise((r) => setImmediate(r));
    expect(rec.batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(rec.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never writes more than maxRows at once', async () => {
    const rec = recorder();
    const b = new Batcher(rec.write, { maxRows: 3, maxDelayMs: 10_000 });
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => b.add(i)));
    expect(Math.max(...rec.batches.map((x) => x.length))).toBeLessThanOrEqual(3);
    expect(rec.batches.flat().sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rejects exactly the rows a batch failed, transient or not', async () => {
    const rec = recorder(async (items) =>
      items.flatMap((v, index): RowFailure[] =>
        v === 2 ? [{ index, reason: 'backendError', transient: true }] : v === 3 ? [{ index, reason: 'invalid', transient: false }] : [],
      ),
    );
    const b = new Batcher(rec.write, { maxRows: 10, maxDelayMs: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => b.add(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as RowWriteError] : []));
    expect(reasons.map((e) => [e.message, e.transient])).toEqual([['backendError', true], ['invalid', false]]);
  });

  it('fails every row of a batch whose write threw, and only those', async () => {
    let calls = 0;
    const b = new Batcher(async () => {
      calls += 1;
      if (calls === 1) throw new Error('503 backend');
      return [];
    }, { maxRows: 2, maxDelayMs: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => b.add(i)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });
});
