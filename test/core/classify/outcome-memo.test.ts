import { describe, expect, it } from 'vitest';
import type { EntryText } from '../../../functions/core/classify/message.js';
import { OutcomeMemo, SLOT_SCOPES } from '../../../functions/core/classify/outcome-memo.js';

const text = (message: string): EntryText => ({ message, stack: null, detail: null, source: 'test' });

/** A memo whose outcomes name what they were finished for, with counts of reads and finishes. */
function counted(budget?: number) {
  const counts = { reads: 0, finishes: 0 };
  // the severity stands in for whether it is a failure one, as messageOutcome's finishReading does
  const memo = new OutcomeMemo<string, string>(
    (t) => (counts.reads++, t.message as string),
    (t, scope, severity) => (counts.finishes++, `${t}|${scope}|${severity}`),
    budget,
  );
  const get = (message: string, scope: string, failing: boolean) => memo.get(text(message), scope, String(failing), failing);
  return { memo, counts, get };
}

describe('OutcomeMemo', () => {
  it('reads a text once and finishes it once per workload and kind of severity', () => {
    const m = counted();
    const scopes = Array.from({ length: SLOT_SCOPES + 1 }, (_, i) => `run:p/s${i}`);
    for (let round = 0; round < 3; round++) {
      for (const scope of scopes) for (const failing of [false, true]) expect(m.get('probe failed', scope, failing)).toBe(`probe failed|${scope}|${failing}`);
    }
    expect(m.counts.reads).toBe(2); // the first sighting is not kept (MessageMemo's door)
    // every (workload, kind) once, and the first sighting's again: its slot was not kept
    expect(m.counts.finishes).toBe(2 * scopes.length + 1);
  });

  it('keeps no more outcomes past the first workloads than its budget, and answers right beyond it', () => {
    const m = counted(100);
    for (let i = 0; i < 200; i++) {
      for (let round = 0; round < 2; round++) {
        for (const scope of ['a', 'b', 'c']) expect(m.get(`line ${i}`, scope, round === 1)).toBe(`line ${i}|${scope}|${round === 1}`);
      }
    }
    expect(m.memo.extraOutcomes).toBeLessThanOrEqual(100);
    expect(m.memo.extraOutcomes).toBeGreaterThan(0);
  });

  it('gives back the budget of the texts it drops', () => {
    const m = counted(1000);
    const fill = (prefix: string) => {
      for (let i = 0; i < 300; i++) for (let round = 0; round < 2; round++) for (const scope of ['a', 'b', 'c', 'd']) m.get(`${prefix} ${i}`, scope, false);
    };
    fill('first');
    expect(m.memo.extraOutcomes).toBe(900); // 300 kept texts, 3 workloads past the first each
    // one-off lines roll both generations over: the first texts go, and their outcomes with them
    for (let i = 0; i < 20_000; i++) for (let round = 0; round < 2; round++) m.get(`one-off ${i}`, 'a', false);
    expect(m.memo.extraOutcomes).toBe(0);
    fill('second');
    expect(m.memo.extraOutcomes).toBe(900);
  });
});
