import { Buffer } from 'node:buffer';

/**
 * Pub/Sub `data` is proto3 `bytes`, whose JSON mapping accepts standard or URL-safe base64,
 * padded or not. We accept exactly that, and nothing Buffer would quietly repair: characters
 * outside the alphabet, whitespace, a mix of both alphabets, misplaced or excess padding, a
 * length of 4n+1, and non-zero leftover bits (which mean the text was not produced by an
 * encoder from these bytes).
 */
const STANDARD = /^[A-Za-z0-9+/]*$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; detail: string };

export function decodeStrictBase64(text: string): Base64Result {
  const body = text.replace(/={1,2}$/, '');
  const padding = text.length - body.length;
  if (!STANDARD.test(body) && !URL_SAFE.test(body)) {
    return { ok: false, detail: `not base64: ${describeBadChar(body)}` };
  }
  if (body.length % 4 === 1) return { ok: false, detail: `base64 length ${text.length} cannot encode whole bytes` };
  if (padding > 0 && text.length % 4 !== 0) return { ok: false, detail: 'base64 padding does not complete a quantum' };
  if (!zeroLeftoverBits(body)) return { ok: false, detail: 'base64 has non-zero bits after the last byte' };
  const bytes = Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function describeBadChar(body: string): string {
  const bad = /[^A-Za-z0-9+/_-]/.exec(body);
  if (bad === null) return 'mixes the standard (+/) and URL-safe (-_) alphabets';
  const code = bad[0].codePointAt(0) ?? 0;
  return `character U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}`;
}

/** 2 or 3 trailing characters carry 4 or 2 bits beyond the last whole byte; they must be 0. */
function zeroLeftoverBits(body: string): boolean {
  const tail = body.length % 4;
  if (tail === 0) return true;
  const last = body[body.length - 1] ?? 'A';
  const index = ALPHABET.indexOf(last);
  const sextet = index !== -1 ? index : last === '+' || last === '-' ? 62 : 63;
  const unused = tail === 2 ? 0b1111 : 0b11;
  return (sextet & unused) === 0;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export type Utf8Result = { ok: true; text: string } | { ok: false; detail: string };

/** Fatal decoding: a replacement character in a stored entry would hide the corruption. */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    return { ok: false, detail: `${bytes.byteLength} bytes are not valid UTF-8` };
  }
}
