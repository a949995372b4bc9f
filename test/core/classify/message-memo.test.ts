import { describe, expect, it } from 'vitest';
import { MEMO_MAX_CHARS, MessageMemo } from '../../../functions/core/classify/message-memo.js';
import type { EntryText } from '../../../functions/core/classify/message.js';

const text = (message: string | null, stack: string | null = null, detail: string | null = null): EntryText => ({ message, stack, detail, source: 'test' });

/** A memo whose values say which computation made them, and a count of computations. */
function counted() {
  const memo = new MessageMemo<string>();
  let computed = 0;
  const get = (t: EntryText) => memo.get(t, () => `${++computed}`);
  return { get, computed: () => computed, memo };
}

describe('MessageMemo', () => {
  it('keeps a text from its second time on', () => {
    const m = counted();
    const a = () => m.get(text('a'));
    expect([a(), a(), a(), a()]).toEqual(['1', '2', '2', '2']);
    expect([m.get(text('b')), m.get(text('b')), m.get(text('b')), a()]).toEqual(['3', '4', '4', '2']);
  });

  it('never confuses texts whose parts only split differently', () => {
    const m = counted();
    const texts = [text('a'), text('a', null, ''), text('a', ''), text(null, 'a'), text(null, null, 'a'), text('a\u0001b', 'c'), text('a', 'b\u0001c'), text('a', 'b'), text('ab'), text('a', 'b', null), text('a', null, 'b'), text('1,1,-1:ab')];
    const kept = texts.map((t) => (m.get(t), m.get(t)));
    expect(new Set(kept).size).toBe(kept.length - 1); // text('a','b') and text('a','b',null) are the same text
    expect(texts.map((t) => m.get({ ...t }))).toEqual(kept);
  });

  it('does not keep texts over the size bound, and drops what was not asked for in two generations', () => {
    const m = counted();
    const long = text('x'.repeat(MEMO_MAX_CHARS + 1));
    expect([m.get(long), m.get(long), m.get(long)]).toEqual(['1', '2', '3']);
    for (let i = 0; i < 9000; i++) {
      m.get(text(`line ${i}`));
      m.get(text(`line ${i}`));
    }
    const before = m.computed();
    m.get(text('line 8999'));
    m.get(text('line 0'));
    expect(m.computed()).toBe(before + 1); // the recent one was kept, the old one dropped
  });

  it('keeps a line that keeps coming back through a flood of one-off lines', () => {
    const memo = new MessageMemo<string>();
    const made: string[] = [];
    const get = (message: string) => memo.get(text(message), () => (made.push(message), message));
    for (let i = 0; i < 50_000; i++) {
      if (i % 1000 === 0) get('Application startup complete.');
      get(`GET /orders/${i}`);
    }
    expect(made.filter((m) => m === 'Application startup complete.')).toHaveLength(2);
    expect(made).toHaveLength(50_002);
  });

  it('keeps almost no value for lines asked about once, however many such lines come', () => {
    const m = counted();
    // fewer lines than a generation holds: without the door every one of them would be kept
    for (let i = 0; i < 4_000; i++) m.get(text(`GET /orders/${i}`));
    // only a line whose door slot another line marked first is kept: a few percent
    expect(memoSize(m.memo)).toBeLessThan(400);
    expect(m.computed()).toBe(4_000);
  });
});

/** How many values the memo holds, counted through its generations' maps. */
function memoSize<V>(memo: MessageMemo<V>): number {
  const generations = Object.values(memo as unknown as Record<string, unknown>).filter((g): g is { size: number } => typeof g === 'object' && g !== null && 'size' in g && 'plain' in g);
  // a renamed field must fail here, not make every count 0
  expect(generations).toHaveLength(2);
  return generations.reduce((n, g) => n + g.size, 0);
}
