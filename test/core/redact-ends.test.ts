import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excerptOf } from '../../functions/core/classify/entry.js';
import { redactEnds, redactHead } from '../../functions/core/redact-head.js';
import { redactText } from '../../functions/core/redact.js';

const frames = (n: number) =>
  Array.from({ length: n }, (_, i) => `  File "/usr/local/lib/python3.11/site-packages/app/m${i}.py", line ${i + 10}, in f${i}\n    await step_${i}()`).join('\n');
const trace = (n: number, last: string) => `Traceback (most recent call last):\n${frames(n)}\n${last}`;
const message = (m: string) => ({ message: m, stack: null, detail: null, source: 'test' });

describe('excerpts of long texts: first and last lines (redactEnds)', () => {
  it("keeps a long Python trace's header and its exception, and counts the lines between", () => {
    const text = trace(60, "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached");
    const excerpt = excerptOf(message(text));
    expect(excerpt.startsWith('Traceback (most recent call last):\n')).toBe(true);
    expect(excerpt.endsWith('sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached')).toBe(true);
    const [head, tail] = excerpt.split(/\n\[… \d+ lines …\]\n/);
    const omitted = Number(/\[… (\d+) lines …\]/.exec(excerpt)?.[1]);
    expect(text.split('\n').length).toBe((head as string).split('\n').length + omitted + (tail as string).split('\n').length);
    expect(text.startsWith(head as string) && text.endsWith(tail as string)).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(2048 + 32);
  });

  it('redacts a secret in either end', () => {
    const text = `connecting to postgresql://app:HeadS3cret@db/app\n${frames(60)}\nRuntimeError: could not connect to postgresql://app:TailS3cret@db/app`;
    const excerpt = excerptOf(message(text));
    expect(excerpt).not.toMatch(/HeadS3cret|TailS3cret/);
    expect(excerpt).toContain('RuntimeError: could not connect to postgresql://app:<redacted>@db/app');
  });

  it('is the redacted text itself when short, and the head alone with PEM armour or no line break near a cut', () => {
    const short = trace(3, 'KeyError: x');
    expect(redactEnds(short, 1024, 1024)).toBe(redactText(short));
    const pem = `${frames(40)}\n-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n${frames(40)}`;
    expect(redactEnds(pem, 1024, 1024)).toBe(redactHead(pem, 2048));
    const oneLine = `{"payload": "${'x'.repeat(5000)}", "token": "abc"}`;
    expect(redactEnds(oneLine, 1024, 1024)).toBe(redactHead(oneLine, 2048));
    const longLastLine = `${frames(40)}\nValueError: ${'y'.repeat(3000)}`;
    expect(redactEnds(longLastLine, 1024, 1024)).toBe(redactHead(longLastLine, 2048));
  });

  it('never shows a secret that redacting the whole text removes', () => {
    const line = fc.constantFrom(
      '  File "/app/main.py", line 3, in <module>',
      'api_key=AbcSecretValue123',
      'postgresql://app:UrlS3cretPw@db:5432/app',
      'Authorization: Bearer AbcdefghijklmnopQRSTUV0123',
      'password is Hunter2Secret',
      'plain line',
      'x'.repeat(300),
    );
    const secrets = ['AbcSecretValue123', 'UrlS3cretPw', 'AbcdefghijklmnopQRSTUV0123', 'Hunter2Secret'];
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), (lines) => {
        const out = redactEnds(lines.join('\n'), 1024, 1024);
        for (const s of secrets) expect(out).not.toContain(s);
        expect(redactText(out)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });
});
