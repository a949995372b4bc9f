import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadRules } from '../../../functions/rules/load.js';
import { jsCapturePattern } from '../../../functions/core/classify/js-pattern.js';
import { linearTwinRegExp } from '../../../functions/rules/linear-regexp.js';
import type { CompiledRule } from '../../../functions/core/classify/compile.js';

const { rules } = loadRules();
const withTwin = rules.rules.filter((c) => c.twin !== null);
// every example text of every rule: each rule sees texts it matches and many it does not
const texts = rules.rules.flatMap((c) => [...c.rule.examples.match.map((e) => e.text), ...c.rule.examples.noMatch]);

function groups(c: CompiledRule, m: readonly (string | undefined)[] | null): (string | undefined)[] | null {
  return m === null ? null : c.groupIndex.map((g) => m[g.index]);
}

describe('JavaScript twins of the rule patterns', () => {
  it('exist for most rules (else this speed-up silently stopped applying)', () => {
    expect(withTwin.length).toBeGreaterThan(rules.rules.length * 0.8);
  });

  it('exist for every rule above the default tier: such a rule is tried first on every text holding its needles', () => {
    // app.shutdown_phase_timeout once lost its twin to a {0,20} bound and ran on RE2 before every rule
    const first = rules.rules.filter((c) => c.priority > 300 && c.twin === null).map((c) => c.rule.id);
    expect(first).toEqual([]);
  });

  it('match exactly the texts RE2 matches, with the same groups, on every rule example', () => {
    const differences: string[] = [];
    for (const c of withTwin) {
      const twin = c.twin as RegExp;
      for (const text of texts) {
        const re2 = groups(c, c.regex.exec(text));
        const js = groups(c, twin.exec(text));
        if (JSON.stringify(re2) !== JSON.stringify(js)) differences.push(`${c.rule.id} on ${JSON.stringify(text.slice(0, 80))}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('agree with RE2 on examples with whitespace, line breaks and non-ASCII mixed in', () => {
    const noise = fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u000b', 'é', 'µ', 'k', 'S', ':', '"', '.');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.integer({ min: 0, max: 200 }), noise, (i, at, ch) => {
        const base = texts[i] as string;
        const text = base.slice(0, at) + ch + base.slice(at);
        for (const c of withTwin) expect(groups(c, (c.twin as RegExp).exec(text))).toEqual(groups(c, c.regex.exec(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('refuse what JavaScript reads differently from RE2', () => {
    for (const p of ['\\pL', '\\x{41}', '(?i)a', '\\Qa.b\\E', 'a\\z', '\\Aa', '[[:alpha:]]', '[\\S]', '\\1', '[\\b]', '😀']) {
      expect(jsCapturePattern(p)).toBeNull();
    }
    expect(jsCapturePattern('a\\s+b.c[\\s,]\\S')).toBe('a[\\t\\n\\f\\r ]+b[^\\n]c[\\t\\n\\f\\r ,][^\\t\\n\\f\\r ]');
    expect(jsCapturePattern('[]a](?:x)\\x41')).toBe('[\\]a](?:x)\\x41');
  });

  it('finish in linear time on a pattern that backtracks exponentially in V8', () => {
    // (a|a)* doubles the paths per "a": 2^60 without the fallback, which this test would never see end.
    const twin = linearTwinRegExp('^(?:a|a)*(b)|(c)', false);
    expect(twin).not.toBeNull();
    expect((twin as RegExp).exec(`${'a'.repeat(60)}c`)?.[2]).toBe('c');
  });
});

describe('jsCapturePattern with ignoreCase', () => {
  it.each([
    ['Timeout (\\d+)s', '[tT][iI][mM][eE][oO][uU][tT] (\\d+)[sS]'],
    ['[a-c_x]\\w+', '[a-cA-C_xX]\\w+'],
    ['[^A-Z0-9]', '[^a-zA-Z0-9]'],
  ])('spells %s in both cases', (pattern, js) => {
    expect(jsCapturePattern(pattern, true)).toBe(js);
  });

  it('refuses what it cannot fold exactly', () => {
    for (const p of ['[0-z]', 'caf\u00e9', '\\x41']) expect(jsCapturePattern(p, true)).toBeNull();
  });
});
