import { describe, expect, it } from 'vitest';
import { compileRuleSet, RuleLoadError } from '../../../functions/core/classify/compile.js';
import { matchRules } from '../../../functions/core/classify/match.js';
import { buildPrefilter } from '../../../functions/core/classify/prefilter.js';

function rule(over: Record<string, unknown> = {}) {
  return {
    id: 'test.phase_timeout',
    category: 'db_init_timeout',
    description: 'phase timeout',
    anyOf: ['timeout after'],
    pattern: 'Phase (?P<phase>\\d+) database initialization timeout after (?P<timeout_s>[0-9.]+)s',
    params: { phase: 'int', timeout_s: 'float' },
    signature: { key: 'db_init_timeout.phase', version: 1, by: ['phase'] },
    examples: { match: [{ text: 'Phase 3 database initialization timeout after 20.0s' }], noMatch: ['Phase 3 ok'] },
    ...over,
  };
}

const file = (name: string, ...rules: unknown[]) => ({ name, data: { topic: name, rules } });

describe('compileRuleSet', () => {
  it('compiles a valid rule and extracts typed params', () => {
    const set = compileRuleSet('t', [file('010_a.json', rule())]);
    const m = matchRules(set, ['x Phase 3 database initialization timeout after 25.0s y']);
    expect(m?.params).toEqual({ phase: 3, timeout_s: 25 });
  });

  it.each([
    ['a pattern RE2 rejects (backreference)', { pattern: '(?P<phase>a)\\1 timeout after' }, /not valid RE2/],
    ['an undeclared named group', { params: { phase: 'int' } }, /"timeout_s" is not declared/],
    ['a param that is neither group nor constant', { params: { phase: 'int', timeout_s: 'float', extra: 'string' } }, /"extra"/],
    ['signature.by naming an unknown param', { signature: { key: 'k.x', version: 1, by: ['nope'] } }, /unknown param "nope"/],
    ['a schema violation', { category: 'not_a_category' }, /invalid rule file at rules.0.category/],
  ])('rejects %s', (_label, over, message) => {
    expect(() => compileRuleSet('t', [file('010_a.json', rule(over))])).toThrow(message);
    expect(() => compileRuleSet('t', [file('010_a.json', rule(over))])).toThrow(RuleLoadError);
  });

  it('rejects duplicate ids and rules that share a key but not its definition', () => {
    expect(() => compileRuleSet('t', [file('010_a.json', rule(), rule())])).toThrow(/duplicate rule id/);
    const other = rule({ id: 'test.other', signature: { key: 'db_init_timeout.phase', version: 1, by: [] } });
    expect(() => compileRuleSet('t', [file('010_a.json', rule(), other)])).toThrow(/share signature key/);
  });

  it('applies constants and unit scaling', () => {
    const r = rule({
      id: 'test.hikari',
      category: 'db_pool_exhausted',
      anyOf: ['timed out after'],
      pattern: 'timed out after (?P<timeout_s>\\d+)ms',
      params: { timeout_s: { type: 'float', scale: 0.001 }, pool: { type: 'string', value: 'HikariPool-1' } },
      signature: { key: 'db_pool_exhausted.hikari', version: 1, by: [] },
    });
    const set = compileRuleSet('t', [file('010_a.json', r)]);
    expect(matchRules(set, ['request timed out after 30000ms'])?.params).toEqual({ timeout_s: 30, pool: 'HikariPool-1' });
  });
});

describe('matchRules precedence', () => {
  const generic = rule({
    id: 'test.generic',
    category: 'unhandled_exception',
    anyOf: ['Error:'],
    pattern: '(?P<exception>\\w+Error): ',
    params: { exception: 'string' },
    signature: { key: 'unhandled_exception.generic', version: 1, by: ['exception'] },
  });
  const specific = rule();
  const set = compileRuleSet('t', [file('020_b.json', generic), file('010_a.json', specific)]);

  it('prefers the higher priority even in a later candidate', () => {
    const m = matchRules(set, ['RuntimeError: boom', 'Phase 3 database initialization timeout after 20.0s']);
    expect(m?.compiled.rule.id).toBe('test.phase_timeout');
    expect(m?.candidate).toBe(1);
  });

  it('prefers the earlier candidate on equal priority', () => {
    const m = matchRules(set, ['RuntimeError: first', 'ValueError: second']);
    expect(m?.params).toEqual({ exception: 'RuntimeError' });
  });

  it('returns null when nothing matches', () => {
    expect(matchRules(set, ['all good'])).toBeNull();
  });
});

describe('prefilter', () => {
  it('finds overlapping and contained literals case-insensitively', () => {
    const p = buildPrefilter([['abc'], ['bcd'], ['connection refused'], ['refused']]);
    expect(p.candidates('xabcd')).toEqual([0, 1]);
    expect(p.candidates('Connection REFUSED')).toEqual([2, 3]);
    expect(p.candidates('nothing here')).toEqual([]);
  });
});

describe('prefilter equals the naive check', () => {
  it('reports exactly the rules with a literal in the text, for any text', async () => {
    const fc = (await import('fast-check')).default;
    const alphabet = fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', 'x');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), (anyOf, text) => {
        const naive = anyOf.flatMap((lits, i) => (lits.some((l) => text.toLowerCase().includes(l.toLowerCase())) ? [i] : []));
        expect(buildPrefilter(anyOf).candidates(text)).toEqual(naive);
      }),
      { numRuns: 500 },
    );
  });

  it('returns the rules in rank order, for few and for many rules set off at once', async () => {
    const fc = (await import('fast-check')).default;
    const letter = fc.constantFrom('a', 'b', 'c', 'd');
    const rules = fc.array(fc.array(letter, { minLength: 1, maxLength: 2 }).map((a) => [a.join('')]), { minLength: 1, maxLength: 100 });
    const input = rules.chain((anyOf) => fc.tuple(fc.constant(anyOf), fc.shuffledSubarray([...anyOf.keys()], { minLength: anyOf.length }), fc.array(letter, { maxLength: 30 }).map((a) => a.join(''))));
    fc.assert(
      fc.property(input, ([anyOf, rank, text]) => {
        const naive = anyOf.flatMap((lits, i) => (lits.some((l) => text.includes(l)) ? [i] : [])).sort((x, y) => (rank[x] as number) - (rank[y] as number));
        expect(buildPrefilter(anyOf, rank).candidates(text)).toEqual(naive);
      }),
      { numRuns: 500 },
    );
  });

  it('answers each of many texts alike when one prefilter is asked about them in turn', async () => {
    const fc = (await import('fast-check')).default;
    const alphabet = fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', 'x');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    const text = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), fc.array(text, { minLength: 2, maxLength: 20 }), (anyOf, texts) => {
        const shared = buildPrefilter(anyOf);
        for (const t of texts) expect(shared.candidates(t)).toEqual(buildPrefilter(anyOf).candidates(t));
      }),
      { numRuns: 300 },
    );
  });
});
