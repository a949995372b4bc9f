/** Token-list helpers for the miner: list collapsing and wildcard merging. */
import { hasPlaceholder, isAlnumCode, WILDCARD } from './tokenize.js';

/** Longest unit that collapses when repeated: `(<num>) iar <hex>, dear <hex>` style records. */
const MAX_UNIT = 5;

// A register dump mixes `00589370` (hex) with `90990003` (num): one kind of value for collapsing.
function sameToken(a: string, b: string): boolean {
  return a === b || ((a === '<hex>' || a === '<num>') && (b === '<hex>' || b === '<num>'));
}

function sameUnit(a: readonly string[], at: number, b: readonly string[], bt: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (!sameToken(a[at + k]!, b[bt + k]!)) return false;
  return true;
}

function unitHasPlaceholder(tokens: readonly string[], at: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (hasPlaceholder(tokens[at + k]!)) return true;
  return false;
}

function collapseUnit(tokens: readonly string[], n: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const repeat = out.length >= n && i + n <= tokens.length && sameUnit(out, out.length - n, tokens, i, n);
    if (repeat && unitHasPlaceholder(tokens, i, n)) {
      i += n;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out;
}

/**
 * Collapses immediately repeated runs that hold a placeholder (`<id> <id> <id>` -> `<id>`), so a
 * message listing 3 or 30 items has one template. Plain repeated words are left alone. Returns
 * `tokens` itself when nothing repeats.
 */
export function collapseRepeats<T extends readonly string[]>(tokens: T): T | string[] {
  let cur: readonly string[] = tokens;
  for (let n = 1; n <= MAX_UNIT; n++) {
    if (cur.length >= 2 * n && hasRepeat(cur, n)) cur = collapseUnit(cur, n);
  }
  return cur as T | string[];
}

/** Most lines repeat nothing: finding that out allocates nothing. */
function hasRepeat(tokens: readonly string[], n: number): boolean {
  for (let i = n; i + n <= tokens.length; i++) {
    if (sameUnit(tokens, i - n, tokens, i, n) && unitHasPlaceholder(tokens, i, n)) return true;
  }
  return false;
}

const OPENS_QUOTE = /^(?:[A-Za-z_][\w.-]*=)?"[^"]*$/;
/** A quoted value is joined over at most this many tokens; an unclosed quote stays as it was. */
const MAX_QUOTED_TOKENS = 8;

/**
 * Joins a double-quoted value that holds spaces into one token: `tag="View Lock",` is one
 * value like `tag="RILJ_ACK_WL",`, so the spaces in a value do not change a line's length.
 * Returns `tokens` itself when there is none.
 */
export function joinQuoted<T extends readonly string[]>(tokens: T): T | string[] {
  let out: string[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const close = token.includes('"') && OPENS_QUOTE.test(token) ? closingToken(tokens, i) : -1;
    if (close < 0) {
      out?.push(token);
      continue;
    }
    out ??= tokens.slice(0, i);
    out.push(tokens.slice(i, close + 1).join(' '));
    i = close;
  }
  return out ?? tokens;
}

function closingToken(tokens: readonly string[], open: number): number {
  const last = Math.min(tokens.length - 1, open + MAX_QUOTED_TOKENS - 1);
  for (let j = open + 1; j <= last; j++) if (tokens[j]!.includes('"')) return j;
  return -1;
}

const RESTATEMENT = /^\((<[a-z]+>)\)([,;:.]?)$/;

/**
 * Drops a value restated in brackets right after the same kind of value: `<size> (<size>) sent,`
 * is `<size> sent,` (Proxifier's "1190 bytes (1.16 KB) sent", printed only above 1 KB), so
 * the optional restatement does not split one message into two templates. Returns `tokens`
 * itself when there is none.
 */
export function dropRestatements<T extends readonly string[]>(tokens: T): T | string[] {
  let out: string[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const m = token.charCodeAt(0) === 40 && i > 0 ? RESTATEMENT.exec(token) : null;
    const prev = out ? out[out.length - 1] : tokens[i - 1];
    if (m && prev !== undefined && prev.endsWith(m[1]!)) {
      out ??= tokens.slice(0, i);
      out[out.length - 1] = prev + m[2]!;
      continue;
    }
    out?.push(token);
  }
  return out ?? tokens;
}

function commonPrefix(values: readonly string[]): string {
  let pre = values[0]!;
  for (const v of values) {
    let i = 0;
    while (i < pre.length && i < v.length && pre[i] === v[i]) i++;
    pre = pre.slice(0, i);
  }
  const open = pre.lastIndexOf('<');
  if (open > pre.lastIndexOf('>')) pre = pre.slice(0, open);
  // Keep only whole punctuation-delimited parts: `ftp` and `ftpuser` share no prefix.
  let end = pre.length;
  while (end > 0 && isAlnumCode(pre.charCodeAt(end - 1))) end--;
  return pre.slice(0, end);
}

function commonSuffix(values: readonly string[]): string {
  let suf = values[0]!;
  for (const v of values) {
    let i = 0;
    while (i < suf.length && i < v.length && suf[suf.length - 1 - i] === v[v.length - 1 - i]) i++;
    suf = suf.slice(suf.length - i);
  }
  const close = suf.indexOf('>');
  if (close >= 0 && (suf.indexOf('<') < 0 || close < suf.indexOf('<'))) suf = suf.slice(close + 1);
  let start = 0;
  while (start < suf.length && isAlnumCode(suf.charCodeAt(start))) start++;
  return suf.slice(start);
}

/** The wildcard token standing for several values, keeping shared punctuation: `(<*>)`, `rhost=<*>`. */
export function mergeValues(values: Iterable<string>): string {
  const list = [...values];
  const shortest = Math.min(...list.map((v) => v.length));
  const pre = commonPrefix(list);
  let suf = commonSuffix(list);
  if (pre.length + suf.length > shortest) suf = '';
  return pre + WILDCARD + suf;
}
