import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PY_FRAME } from '../../../functions/core/classify/stack/common.js';
import { pythonFrame, pythonModule } from '../../../functions/core/classify/stack/python.js';

const asRegexReadsIt = (line: string) => {
  const m = PY_FRAME.exec(line);
  return m ? [m[1], m[2]] : null;
};

describe('pythonFrame (PY_FRAME read by hand)', () => {
  it.each([
    ['  File "/app/main.py", line 12, in <module>', ['/app/main.py', '<module>']],
    ['File "x.py", line 3', ['x.py', undefined]],
    ['\u00a0\tFile "a b.py", line 0, in f', ['a b.py', 'f']],
    ['  File "", line 1, in f', null],
    ['  File "x.py", line , in f', null],
    ['  File "x.py", line 1, in ', null],
    ['  File "x.py", line 1, in f\u2028g', null],
    ['  File "x.py", line 1 in f', null],
    ['  File "x.py" line 1', null],
    [`  File "${'a'.repeat(1025)}", line 1`, null],
    [`  File "${'a'.repeat(1024)}", line 1`, ['a'.repeat(1024), undefined]],
  ])('%j', (line, expected) => {
    expect(pythonFrame(line)).toEqual(expected);
    expect(asRegexReadsIt(line)).toEqual(expected);
  });

  it('reads every line exactly as the regex does', () => {
    const piece = fc.constantFrom(' ', '\t', '\u3000', 'File "', '"', '", line ', '1', '42', ', in ', 'f', '<module>', '\r', '\u2028', '/app/x.py', ',', 'line');
    const line = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(line, (l) => {
        const hand = pythonFrame(l);
        expect(hand === null ? null : [...hand]).toEqual(asRegexReadsIt(l));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('pythonModule (remembered)', () => {
  it('names each file right however many files come and go, in any order', () => {
    const files = Array.from({ length: 6000 }, (_, i) => `/usr/local/lib/python3.11/site-packages/pkg${i % 97}/mod_${i}.py`);
    for (const round of [0, 1]) {
      const order = round === 0 ? files : [...files].reverse();
      for (const file of order) expect(pythonModule(file)).toBe(`${file.split('/').at(-2)}.${file.split('/').at(-1)!.replace('.py', '')}`);
    }
    expect(pythonModule('/app/main.py')).toBe('main');
    expect(pythonModule('')).toBe('');
  });
});
