import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../functions/core/taxonomy.js';
import { runEntry, shippedEngine } from '../../helpers/entries.js';

const engine = shippedEngine();
const categories = new Set<string>(CATEGORIES);

// Pieces of real messages, so that generated texts reach deep into rules and stack parsing.
const fragments = fc.constantFrom(
  'Traceback (most recent call last):\n', '  File "/app/main.py", line 3, in <module>\n', 'Error: ', 'ModuleNotFoundError: ',
  "No module named '", 'timeout after ', '20.0s', 'Phase 3 ', 'Caused by: ', '\tat com.x.Y.z(Y.java:1)\n', 'panic: ',
  'goroutine 1 [running]:\n', 'postgresql://u:p@h/db', 'Bearer abc.def.ghi', 'exit(3)', 'port 8080', '"', '\n', ' ',
);
const messyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.array(fc.oneof(fragments, fc.string({ maxLength: 12 })), { maxLength: 40 }).map((a) => a.join('')));

function checkOne(out: ReturnType<typeof engine.classifyRecord>): void {
  if (out.status === 'classified') {
    expect(categories.has(out.category)).toBe(true);
    if (out.fragment === null) expect(out.signature_id).toMatch(/^[0-9a-f]{16}$/);
  } else {
    expect(out.reason).toMatch(/^[A-Z]+\.[A-Z_0-9]+$/);
  }
}

describe('classification is total', () => {
  it('classifies any text payload into exactly one category without throwing', () => {
    fc.assert(fc.property(messyText, (text) => checkOne(engine.classifyRecord(JSON.stringify(runEntry(text))))), { numRuns: 400 });
  });

  it('classifies any JSON payload without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), messyText, (value, text) => {
        const { textPayload: _t, ...rest } = runEntry('');
        const payload = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, message: text } : { message: text, value };
        checkOne(engine.classifyRecord(JSON.stringify({ ...rest, jsonPayload: payload })));
      }),
      { numRuns: 300 },
    );
  });

  it('answers every arbitrary record with one result', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (raw) => checkOne(engine.classifyRecord(raw))), { numRuns: 300 });
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(messyText, (text) => {
        const record = JSON.stringify(runEntry(text));
        expect(engine.classifyRecord(record)).toEqual(engine.classifyRecord(record));
      }),
      { numRuns: 100 },
    );
  });
});

describe('the memo of repeated lines', () => {
  it('gives a repeated text what a fresh classification gives, frozen', async () => {
    const { classifyMessage } = await import('../../../functions/core/classify/classify.js');
    const { excerptOf, messageOutcome } = await import('../../../functions/core/classify/entry.js');
    const { redactParams } = await import('../../../functions/core/redact-params.js');
    const { loadRules } = await import('../../../functions/rules/load.js');
    const { rules } = loadRules();
    // control characters and short parts, so that texts that differ only in how they split collide if keys are ambiguous
    const part = fc.option(fc.oneof(messyText, fc.array(fc.constantFrom('a', '\u0001', '\u0002', ',', ':', '1', '-'), { maxLength: 4 }).map((cs) => cs.join(''))));
    const texts = fc.record({ message: part, stack: part, detail: part, source: fc.constant('test') });
    fc.assert(
      fc.property(texts, fc.constantFrom('run:p/a', 'run:p/b'), fc.constantFrom('ERROR', 'INFO'), (text, scope, severity) => {
        const first = messageOutcome(rules, text, scope, severity);
        const again = messageOutcome(rules, { ...text }, scope, severity);
        const fresh = classifyMessage(rules, text, scope, severity);
        expect(again.c).toEqual(fresh);
        expect(again.params).toEqual(redactParams(fresh.params));
        expect(again.excerpt).toBe(excerptOf(text));
        expect(first).toEqual(again);
        expect(Object.isFrozen(again) && Object.isFrozen(again.c) && Object.isFrozen(again.params)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
