import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../../functions/adapters/duckdb/key-filter.js';
import { sha256Hex } from '../../../functions/core/hash.js';

const key = (i: number, salt = 'k') => sha256Hex(`${salt}${i}`).slice(0, 32);

describe('KeyFilter (Bloom filter of a table\'s keys)', () => {
  it('never forgets a key it was given, across growth into larger layers', () => {
    const filter = new KeyFilter(1_000, 1e-5);
    for (let i = 0; i < 20_000; i++) filter.add(key(i));
    for (let i = 0; i < 20_000; i++) expect(filter.mightContain(key(i))).toBe(true);
  });

  it('flags few keys it was not given (the rate a write pays a lookup for)', () => {
    const filter = new KeyFilter(1_000, 1e-3);
    for (let i = 0; i < 30_000; i++) filter.add(key(i));
    let flagged = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightContain(key(i, 'other'))) flagged += 1;
    // layers at 1e-3, 5e-4, 2.5e-4, ...: the sum stays under 2e-3; 100,000 probes flag ~100-200
    expect(flagged).toBeLessThan(400);
  });

  it('answers "absent" while empty, and works for any text, not only hex', () => {
    const filter = new KeyFilter();
    expect(filter.mightContain('anything')).toBe(false);
    filter.add('');
    filter.add('ünïcödé 🚀');
    expect(filter.mightContain('')).toBe(true);
    expect(filter.mightContain('ünïcödé 🚀')).toBe(true);
  });
});
