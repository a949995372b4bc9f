/**
 * The JavaScript spelling of a rule pattern (RE2 syntax, positional groups): the same matches
 * and groups on texts without astral characters, long s or Kelvin sign (those stay with RE2).
 * Linear time is the caller's business (see rules/linear-regexp.ts).
 *
 * Only constructs that mean the same in both engines are translated; anything else gives
 * null, and the rule stays with RE2:
 * - `\s` is ASCII whitespace in RE2 ([\t\n\f\r ]) but Unicode in JavaScript: spelled out.
 * - `.` is any character but `\n` in RE2, but also excludes `\r`, U+2028, U+2029 in
 *   JavaScript: spelled `[^\n]`.
 * - RE2-only or differently read escapes (`\a \C \p \P \Q \E \A \z \x{…}`, octal and
 *   back-reference-like `\1`), `\S` inside a class, POSIX classes and inline flags: refused.
 * - ignoreCase: ASCII letters are spelled in both cases ([tT]); a pattern with other
 *   characters, or a range mixing letters and other characters, is refused (RE2 folds those
 *   by Unicode's tables).
 */

const RE2_SPACE = '\\t\\n\\f\\r ';
const SAME_ESCAPES = new Set(['d', 'D', 'w', 'W', 'b', 'B', 't', 'n', 'f', 'r', 'v']);

function escapeAt(pattern: string, i: number, inClass: boolean, ignoreCase: boolean): string | null {
  const c = pattern[i + 1];
  if (c === undefined) return null;
  if (c === 's') return inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
  if (c === 'S') return inClass ? null : `[^${RE2_SPACE}]`;
  if (inClass && (c === 'b' || c === 'B')) return null; // a backspace in JavaScript
  // a hex escape may name a letter, which ignoreCase would have to fold
  if (c === 'x') return !ignoreCase && /^[0-9A-Fa-f]{2}$/.test(pattern.slice(i + 2, i + 4)) ? pattern.slice(i, i + 4) : null;
  if (SAME_ESCAPES.has(c)) return `\\${c}`;
  // punctuation escapes (\. \/ \( \[ \- ...) are literal in both
  return /[A-Za-z0-9]/.test(c) ? null : `\\${c}`;
}

const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z';
const isLetter = (c: string): boolean => isLower(c) || isUpper(c);
const bothCases = (c: string): string => (isLetter(c) ? `${c.toLowerCase()}${c.toUpperCase()}` : c);

/** A class member range a-z: with ignoreCase, letters gain their other case (other ranges are refused). */
function rangeText(from: string, to: string, ignoreCase: boolean): string | null {
  if (!ignoreCase || (!isLetter(from) && !isLetter(to) && !(from < 'A' && to > 'z'))) return `${from}-${to}`;
  const sameCase = (isLower(from) && isLower(to)) || (isUpper(from) && isUpper(to));
  if (!sameCase) return null;
  return `${from.toLowerCase()}-${to.toLowerCase()}${from.toUpperCase()}-${to.toUpperCase()}`;
}

/** Translates a whole character class starting at `open`; returns [text, end index] or null. */
function classAt(pattern: string, open: number, ignoreCase: boolean): [string, number] | null {
  let out = '[';
  let i = open + 1;
  if (pattern[i] === '^') out += pattern[i++];
  if (pattern[i] === ']') {
    out += '\\]'; // a leading ] is literal in RE2 and an empty class in JavaScript
    i++;
  }
  if (pattern.startsWith('[:', i)) return null;
  for (; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === ']') return [out + ']', i];
    if (c === '[') {
      if (pattern[i + 1] === ':') return null;
      out += '\\[';
    } else if (c === '\\') {
      const e = escapeAt(pattern, i, true, ignoreCase);
      if (e === null) return null;
      out += e;
      i += pattern[i + 1] === 'x' ? 3 : 1;
    } else if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']' && pattern[i + 2] !== '\\') {
      const range = rangeText(c, pattern[i + 2] as string, ignoreCase);
      if (range === null) return null;
      out += range;
      i += 2;
    } else out += ignoreCase ? bothCases(c) : c;
  }
  return null;
}

/**
 * `pattern` in JavaScript syntax; with ignoreCase the letters are spelled in both cases, so the
 * result needs no `i` flag (which V8's non-backtracking engine does not take).
 */
export function jsCapturePattern(pattern: string, ignoreCase = false): string | null {
  // astral characters are one character in RE2 and two code units in JavaScript; RE2 folds
  // case by Unicode's tables, which only ASCII letters spelled out here would match
  if (/[\uD800-\uDFFF]/.test(pattern) || (ignoreCase && /[\u0080-\uffff]/.test(pattern))) return null;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const e = escapeAt(pattern, i, false, ignoreCase);
      if (e === null) return null;
      out += e;
      i += pattern[i + 1] === 'x' ? 3 : 1;
    } else if (c === '[') {
      const cls = classAt(pattern, i, ignoreCase);
      if (cls === null) return null;
      out += cls[0];
      i = cls[1];
    } else if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] !== ':') return null; // inline flags, named groups: not translated
      out += '(?:';
      i += 2;
    } else if (c === '.') out += '[^\\n]';
    else out += ignoreCase && isLetter(c) ? `[${bothCases(c)}]` : c;
  }
  return out;
}
