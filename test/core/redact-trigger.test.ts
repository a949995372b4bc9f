import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byFirstCharacter } from '../../functions/core/redact.js';

describe('byFirstCharacter (the redaction trigger, factored)', () => {
  it('groups words by their first character, case-insensitively', () => {
    expect(byFirstCharacter(['pass', 'pwd', 'BEGIN', 'bearer', 'key'])).toBe('p(?:ass|wd)|b(?:EGIN|earer)|k(?:ey)');
  });

  it('lets a one-character word stand for its whole group', () => {
    expect(byFirstCharacter(['@x', '@', 'token'])).toBe('@|t(?:oken)');
  });

  it('refuses a word that does not start with a literal character', () => {
    expect(() => byFirstCharacter(['[rs]k_'])).toThrow(/must start with a literal/);
    expect(() => byFirstCharacter([''])).toThrow(/must start with a literal/);
  });

  it('refuses a word that is not one alternative led by its literal', () => {
    expect(() => byFirstCharacter(['ab|cd'])).toThrow(/one alternative/);
    expect(() => byFirstCharacter(['s?x'])).toThrow(/one alternative/);
    expect(() => byFirstCharacter(['a+'])).toThrow(/one alternative/);
    expect(byFirstCharacter(['s(?:ig=|id=)', 'x[|]y', String.raw`p\|q`])).toBe(String.raw`s(?:(?:ig=|id=))|x(?:[|]y)|p(?:\|q)`);
  });

  it('finds exactly what the plain alternation finds, and at the same place', () => {
    const words = ['://', '@', 'pass', 'pwd', String.raw`pw\\?["']?\s{0,3}[:=]`, 'gh[pousr]_', 'github_pat_', 's(?:ig=|id=|k-)', 'sk_', 'secret'];
    const plain = new RegExp(words.join('|'), 'i');
    const factored = new RegExp(byFirstCharacter(words), 'i');
    const piece = fc.constantFrom('://', '@', 'PASS', 'pw', 'Pw"', '\\', "'", ' ', '=', ':', 'ghp_', 'GitHub_Pat_', 'sig=', 'SID=', 'sk-', 'sk_', 'secr', 'et', 'g', 's', 'x', '/');
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(factored.exec(t)?.index).toBe(plain.exec(t)?.index);
      }),
      { numRuns: 5000 },
    );
  });
});
