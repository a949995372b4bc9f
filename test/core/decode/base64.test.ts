import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeStrictBase64, decodeUtf8 } from '../../../functions/core/decode/index.js';

function text(b64: string): string | null {
  const result = decodeStrictBase64(b64);
  return result.ok ? Buffer.from(result.bytes).toString('latin1') : null;
}

describe('decodeStrictBase64', () => {
  it.each([
    ['', ''],
    ['QQ==', 'A'],
    ['QUI=', 'AB'],
    ['QUJD', 'ABC'],
    ['QQ', 'A'],
    ['QUI', 'AB'],
    ['+/8=', '\xfb\xff'],
    ['-_8=', '\xfb\xff'],
    ['-_8', '\xfb\xff'],
  ])('accepts %j', (input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each([
    ['a character Buffer skips', 'QU*JD'],
    ['whitespace', 'QUJD\n'],
    ['an inner space', 'QU JD'],
    ['a non-ASCII letter', 'QUJDé'],
    ['padding in the middle', 'QQ==QUJD'],
    ['too much padding', 'QQ==='],
    ['padding without a quantum', 'QUI=='],
    ['padding on a full quantum', 'QUJD='],
    ['a lone padding', '='],
    ['a 4n+1 length', 'QUJDQ'],
    ['mixed alphabets', '+_8='],
    ['non-zero leftover bits', 'QR=='],
    ['non-zero leftover bits, unpadded', 'QUJ'],
  ])('rejects %s', (_name, input) => {
    expect(decodeStrictBase64(input).ok).toBe(false);
  });

  it('refuses what Buffer silently repairs', () => {
    const sneaky = 'eyJhIjox!fQ==';
    expect(Buffer.from(sneaky, 'base64').length).toBeGreaterThan(0);
    const result = decodeStrictBase64(sneaky);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).toContain('U+0021');
  });

  it('round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 256; n += 37) {
      const slice = bytes.subarray(0, n);
      const result = decodeStrictBase64(Buffer.from(slice).toString('base64'));
      expect(result.ok && Buffer.from(result.bytes).equals(Buffer.from(slice))).toBe(true);
      const url = decodeStrictBase64(Buffer.from(slice).toString('base64url'));
      expect(url.ok && Buffer.from(url.bytes).equals(Buffer.from(slice))).toBe(true);
    }
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and refuses invalid sequences', () => {
    expect(decodeUtf8(Buffer.from('héllo ✓', 'utf8'))).toEqual({ ok: true, text: 'héllo ✓' });
    expect(decodeUtf8(Uint8Array.from([0x7b, 0xff, 0x7d])).ok).toBe(false);
    expect(decodeUtf8(Uint8Array.from([0xc3])).ok).toBe(false);
    expect(decodeUtf8(Uint8Array.from([0xed, 0xa0, 0x80])).ok).toBe(false);
  });
});
