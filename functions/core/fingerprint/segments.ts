/** The masker's fallback for digit-bearing tokens no whole-token rule matched. */
import { isAlnumCode, isDigitCode } from './tokenize.js';

const HEX_RUN = /^[0-9a-fA-F]{6,}$/;
const HEX_0X = /^0[xX][0-9a-fA-F]+$/;

/** Masks one run of letters and digits. */
function maskRun(run: string): string {
  let digits = 0;
  let transitions = 0;
  let cut = 0;
  for (let i = 0; i < run.length; i++) {
    const d = isDigitCode(run.charCodeAt(i));
    if (d) digits++;
    if (i > 0 && d !== isDigitCode(run.charCodeAt(i - 1))) {
      transitions++;
      cut = i;
    }
  }
  if (digits === 0) return run;
  if (digits === run.length) return '<num>';
  if (HEX_RUN.test(run) || HEX_0X.test(run)) return '<hex>';
  if (transitions === 1) {
    // `eth0` stays `eth<num>` and `64K` becomes `<num>K`: the letters are usually the constant part.
    return isDigitCode(run.charCodeAt(0)) ? '<num>' + run.slice(cut) : run.slice(0, cut) + '<num>';
  }
  return '<id>';
}

const IPV4_G = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\d.])/g;
// A Kubernetes pod suffix (ReplicaSet hash and pod id) inside a longer token: `default/api-<pod>`.
const POD_G = /(?<=[a-z0-9])-[0-9a-f]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}(?![A-Za-z0-9])/g;
const UUID_G = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

function isSign(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return (c === 45 || c === 43) && i + 1 < s.length && isDigitCode(s.charCodeAt(i + 1)) && (i === 0 || !isAlnumCode(s.charCodeAt(i - 1)));
}

/** Masks each alphanumeric run of a token, keeping the punctuation between: `node-12` -> `node-<num>`. */
export function maskSegments(core: string): string {
  let s = core;
  if (s.includes('-')) {
    if (s.length >= 36) s = s.replace(UUID_G, '<uuid>');
    if (s.length >= 14) s = s.replace(POD_G, '-<pod>');
  }
  if (s.length >= 7 && s.includes('.')) s = s.replace(IPV4_G, '<ip>');
  let out = '';
  let last = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const j = c === 60 ? placeholderEnd(s, i) : isAlnumCode(c) ? runEnd(s, i) : i;
    if (j > i) {
      const masked = c === 60 ? s.slice(i, j) : maskRun(s.slice(i, j));
      out = appendCollapsing(out, masked, last);
      last = masked;
      i = j;
      continue;
    }
    // A sign glued to a number belongs to it: `blk_-42` and `blk_42` are the same shape.
    if (!isSign(s, i)) out += s[i];
    if (c !== 46 && c !== 44) last = '';
    i++;
  }
  return out;
}

function runEnd(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && isAlnumCode(s.charCodeAt(j))) j++;
  return j;
}

/** The end of a placeholder put in by an earlier replacement (`<ip>`), or `at` when there is none. */
function placeholderEnd(s: string, at: number): number {
  let j = at + 1;
  while (j < s.length && j - at <= 8 && s.charCodeAt(j) >= 97 && s.charCodeAt(j) <= 122) j++;
  return j > at + 1 && s.charCodeAt(j) === 62 ? j + 1 : at;
}

/** Versions (`2.6.5`) and lists (`10.0.0.1,10.0.0.2`) collapse to one placeholder. */
function appendCollapsing(out: string, masked: string, last: string): string {
  if (masked !== last || masked.charCodeAt(0) !== 60) return out + masked;
  const sep = out.charCodeAt(out.length - 1);
  return (sep === 46 || sep === 44) && out.endsWith(last, out.length - 1) ? out.slice(0, -1) : out + masked;
}
