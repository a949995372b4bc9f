/**
 * A lexical pass over GoogleSQL text that tells code from comments, string literals and
 * quoted identifiers, so that `@param` and `${dataset}` are found and replaced only where
 * they are code: an `@` in a comment or a string is text, never a parameter.
 */
export type SegmentKind = 'code' | 'comment' | 'string' | 'identifier';

export interface Segment {
  kind: SegmentKind;
  text: string;
}

/** The position just past a quoted literal that opens at `start` with `quote` (1 or 3 chars). */
function endOfQuoted(sql: string, start: number, quote: string, raw: boolean): number {
  let i = start + quote.length;
  while (i < sql.length) {
    if (!raw && sql[i] === '\\') {
      i += 2;
      continue;
    }
    if (sql.startsWith(quote, i)) return i + quote.length;
    i += 1;
  }
  return sql.length;
}

/** Length of a string prefix (r, b, rb, br in any case) directly before a quote at `i`, else 0. */
function prefixLength(sql: string, i: number): number {
  const m = /^(?:[rRbB]{1,2})(?=['"])/.exec(sql.slice(i, i + 3));
  if (!m) return 0;
  // `xr'..'` is an identifier followed by a string, not a prefixed string
  return i > 0 && /[A-Za-z0-9_]/.test(sql[i - 1] as string) ? 0 : m[0].length;
}

function literalAt(sql: string, i: number): { kind: SegmentKind; end: number } | null {
  const c = sql[i];
  if (c === '-' && sql[i + 1] === '-') return { kind: 'comment', end: lineEnd(sql, i) };
  if (c === '#') return { kind: 'comment', end: lineEnd(sql, i) };
  if (c === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2);
    return { kind: 'comment', end: close < 0 ? sql.length : close + 2 };
  }
  if (c === '`') return { kind: 'identifier', end: endOfQuoted(sql, i, '`', false) };
  const p = prefixLength(sql, i);
  const q = sql[i + p];
  if (q === "'" || q === '"') {
    const quote = sql.startsWith(q.repeat(3), i + p) ? q.repeat(3) : q;
    const raw = /[rR]/.test(sql.slice(i, i + p));
    return { kind: 'string', end: endOfQuoted(sql, i + p, quote, raw) };
  }
  return null;
}

function lineEnd(sql: string, i: number): number {
  const nl = sql.indexOf('\n', i);
  return nl < 0 ? sql.length : nl;
}

/** Splits SQL into code, comments, string literals and backquoted identifiers, in order. */
export function scan(sql: string): Segment[] {
  const out: Segment[] = [];
  let code = 0;
  let i = 0;
  while (i < sql.length) {
    const lit = literalAt(sql, i);
    if (!lit) {
      i += 1;
      continue;
    }
    if (i > code) out.push({ kind: 'code', text: sql.slice(code, i) });
    out.push({ kind: lit.kind, text: sql.slice(i, lit.end) });
    i = lit.end;
    code = i;
  }
  if (code < sql.length) out.push({ kind: 'code', text: sql.slice(code) });
  return out;
}

/** Rewrites the code segments only; comments and literals are kept verbatim. */
export function mapCode(sql: string, rewrite: (code: string) => string): string {
  return scan(sql)
    .map((s) => (s.kind === 'code' ? rewrite(s.text) : s.text))
    .join('');
}

const PARAM = /(?<![@\w])@([A-Za-z_][A-Za-z0-9_]*)/g;

/** Named query parameters used in the code, each once, in order of first use. */
export function usedParams(sql: string): string[] {
  const names = new Set<string>();
  for (const s of scan(sql)) {
    if (s.kind === 'code') for (const m of s.text.matchAll(PARAM)) names.add(m[1] as string);
  }
  return [...names];
}

/** Replaces every `@name` in the code by `replacement(name)`. */
export function replaceParams(sql: string, replacement: (name: string) => string): string {
  return mapCode(sql, (code) => code.replace(PARAM, (_m, name: string) => replacement(name)));
}

/** The dataset placeholder of the SQL library: `${dataset}.events`. */
export const DATASET_PLACEHOLDER = '${dataset}';
const DATASET_REF = /\$\{dataset\}\.([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names read through the dataset placeholder (tables and views), each once, in order. */
export function datasetRefs(sql: string): string[] {
  const names = new Set<string>();
  for (const s of scan(sql)) {
    if (s.kind === 'code') for (const m of s.text.matchAll(DATASET_REF)) names.add(m[1] as string);
  }
  return [...names];
}

/** `${dataset}.name` becomes `qualifier.name`, or plain `name` when the qualifier is null. */
export function renderDataset(sql: string, qualifier: string | null): string {
  return mapCode(sql, (code) => code.replace(DATASET_REF, (_m, name: string) => (qualifier === null ? name : `${qualifier}.${name}`)));
}

/** The code alone (comments and literals blanked), for checks on what the SQL does. */
export function codeOnly(sql: string): string {
  return scan(sql)
    .map((s) => (s.kind === 'code' ? s.text : s.kind === 'comment' ? ' ' : s.kind === 'string' ? "''" : '``'))
    .join('');
}
