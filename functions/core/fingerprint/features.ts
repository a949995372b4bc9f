/** One-pass character features of a token, so the masker only tries rules a token could match. */

export const F = {
  DIGIT: 1,
  ALPHA: 2,
  SLASH: 4,
  BSLASH: 8,
  AT: 16,
  EQ: 32,
  COLON: 64,
  DOT: 128,
  /** a dot between two letters or digits: `a.b`, not `done.` */
  INNERDOT: 256,
  DASH: 512,
  QUOTE: 1024,
  /** any character that is not a hex digit */
  NONHEX: 2048,
  /** anything that may need masking; a token without these is returned as it is */
  SLOW: 1 | 4 | 8 | 16 | 32 | 256 | 1024,
} as const;

const ALNUM = 4096;
const SPACE = 8192;

function asciiFeature(c: number): number {
  if (c === 32 || (c >= 9 && c <= 13)) return SPACE;
  if (c >= 48 && c <= 57) return F.DIGIT | ALNUM;
  if ((c >= 65 && c <= 70) || (c >= 97 && c <= 102)) return F.ALPHA | ALNUM;
  if ((c >= 71 && c <= 90) || (c >= 103 && c <= 122)) return F.ALPHA | F.NONHEX | ALNUM;
  const punct: Record<number, number> = { 47: F.SLASH, 92: F.BSLASH, 64: F.AT, 61: F.EQ, 58: F.COLON, 46: F.DOT, 45: F.DASH, 34: F.QUOTE, 39: F.QUOTE, 96: F.QUOTE };
  return (punct[c] ?? 0) | F.NONHEX;
}

// A lookup table: the feature scan runs on every token of every line.
const TABLE = Uint16Array.from({ length: 128 }, (_, c) => asciiFeature(c));

/** Whitespace as `\s` knows it. */
export function isSpaceCode(c: number): boolean {
  if (c < 128) return (TABLE[c]! & SPACE) !== 0;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Scans the token starting at `start` up to the next whitespace; returns its end and features
 * packed as `flags * 65536 + end`, so the hot loop allocates nothing.
 */
export function scanToken(s: string, start: number): number {
  let flags = 0;
  let prev = 0;
  let i = start;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const f = c < 128 ? TABLE[c]! : isSpaceCode(c) ? SPACE : F.NONHEX;
    if ((f & SPACE) !== 0) break;
    if ((prev & F.DOT) !== 0 && (f & ALNUM) !== 0 && i - start >= 2) {
      const before = s.charCodeAt(i - 2);
      if (before < 128 && (TABLE[before]! & ALNUM) !== 0) flags |= F.INNERDOT;
    }
    flags |= f;
    prev = f;
  }
  return (flags & ~ALNUM) * 65536 + i;
}

export function tokenFeatures(token: string): number {
  let flags = 0;
  let prev = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    const f = c < 128 ? TABLE[c]! : F.NONHEX;
    if ((prev & F.DOT) !== 0 && (f & ALNUM) !== 0 && i >= 2) {
      const before = token.charCodeAt(i - 2);
      if (before < 128 && (TABLE[before]! & ALNUM) !== 0) flags |= F.INNERDOT;
    }
    flags |= f;
    prev = f;
  }
  return flags & ~ALNUM;
}
