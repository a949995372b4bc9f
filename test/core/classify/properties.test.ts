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

  it('gives every workload and severity its own ids and failure look for a text they all log', async () => {
    const { classifyMessage } = await import('../../../functions/core/classify/classify.js');
    const { messageOutcome } = await import('../../../functions/core/classify/entry.js');
    const { loadRules } = await import('../../../functions/rules/load.js');
    const { rules } = loadRules();
    const lines = [
      'Memory limit of 512 MiB exceeded with 530 MiB used.',
      'INFO:     Application startup complete.',
      'INFO:     Started reloader process [1] using WatchFiles', // below ERROR by its prefix: no failure at ERROR either
      'worker 7 picked up batch 99', // unknown: a failure look only at a failure severity
      'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\nKeyError: \'DATABASE_URL\'',
    ];
    // severities of one kind share a kept outcome (see messageOutcome): each must still get its own due
    const severities = ['ERROR', 'INFO', 'CRITICAL', 'DEFAULT', 'WARNING', 'EMERGENCY'];
    const workloads = ['run:p/a', 'run:p/b', 'gke:p/c', ...Array.from({ length: 12 }, (_, i) => `run:p/s${i}`)].flatMap((scope) => severities.map((severity) => ({ scope, severity })));
    for (const line of lines) {
      const text = { message: line, stack: null, detail: null, source: 'test' };
      // twice over: the second round finds every (workload, severity) remembered
      for (let round = 0; round < 2; round++) {
        const outcomes = workloads.map(({ scope, severity }) => messageOutcome(rules, { ...text }, scope, severity).c);
        expect(outcomes).toEqual(workloads.map(({ scope, severity }) => classifyMessage(rules, text, scope, severity)));
        expect(new Set(outcomes.map((c) => c.signature_id)).size).toBe(15);
      }
    }
    const unknown = (severity: string) => messageOutcome(rules, { message: lines[3] as string, stack: null, detail: null, source: 'test' }, 'run:p/a', severity).c;
    expect([unknown('ERROR').looks_like_failure, unknown('INFO').looks_like_failure]).toEqual([true, false]);
  });
});
