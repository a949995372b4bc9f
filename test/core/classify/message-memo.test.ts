import { describe, expect, it } from 'vitest';
import { MEMO_MAX_CHARS, MessageMemo } from '../../../functions/core/classify/message-memo.js';
import type { EntryText } from '../../../functions/core/classify/message.js';

const text = (message: string | null, stack: string | null = null, detail: string | null = null): EntryText => ({ message, stack, detail, source: 'test' });

/** A memo whose values say which computation made them, and a count of computations. */
function counted() {
  const memo = new MessageMemo<string>();
  let computed = 0;
  const get = (t: EntryText, scope = 's', severity = 'ERROR') => memo.get(t, scope, severity, () => `${++computed}`);
  return { get, computed: () => computed };
}

describe('MessageMemo', () => {
  it('computes a text once per scope and severity', () => {
    const m = counted();
    expect([m.get(text('a')), m.get(text('a')), m.get(text('a'), 't'), m.get(text('a'), 's', 'INFO'), m.get(text('a'))]).toEqual(['1', '1', '2', '3', '1']);
  });

  it('never confuses texts whose parts only split differently', () => {
    const m = counted();
    const texts = [text('a'), text('a', null, ''), text('a', ''), text(null, 'a'), text(null, null, 'a'), text('a\u0001b', 'c'), text('a', 'b\u0001c'), text('a', 'b'), text('ab'), text('a', 'b', null), text('a', null, 'b'), text('1,1,-1:ab')];
    const firsts = texts.map((t) => m.get(t));
    expect(new Set(firsts).size).toBe(firsts.length - 1); // text('a','b') and text('a','b',null) are the same text
    expect(texts.map((t) => m.get({ ...t }))).toEqual(firsts);
  });

  it('does not keep texts over the size bound, and starts over when full', () => {
    const m = counted();
    const long = text('x'.repeat(MEMO_MAX_CHARS + 1));
    expect([m.get(long), m.get(long)]).toEqual(['1', '2']);
    for (let i = 0; i < 9000; i++) m.get(text(`line ${i}`));
    const before = m.computed();
    m.get(text('line 8999'));
    m.get(text('line 0'));
    expect(m.computed()).toBe(before + 1); // the recent one was kept, the old one dropped
  });

  it('keeps a line that keeps coming back through a flood of one-off lines', () => {
    const memo = new MessageMemo<string>();
    const made: string[] = [];
    const get = (message: string) => memo.get(text(message), 's', 'ERROR', () => (made.push(message), message));
    for (let i = 0; i < 50_000; i++) {
      if (i % 1000 === 0) get('Application startup complete.');
      get(`GET /orders/${i}`);
    }
    expect(made.filter((m) => m === 'Application startup complete.')).toHaveLength(1);
    expect(made).toHaveLength(50_001);
  });
});
