/**
 * Stateless message masking: the same text gives the same template in any process, so a template
 * (and its id) can serve as the signature of an entry no rule knows. Variable parts (numbers, ids,
 * addresses, times, paths...) become placeholders; words stay.
 *
 * Two ordered tables drive it. SPAN_RULES may cross whitespace (timestamps, "5.2 KB") and run as
 * one combined global regex over the text; TOKEN_RULES then classify each whitespace token, the
 * first matching rule winning. No regex has ambiguous nested quantifiers (a repeated group always
 * ends on a literal), and the text is bounded, so masking stays linear.
 */
import { hashId } from '../hash.js';
import { F, isSpaceCode, scanToken, tokenFeatures } from './features.js';
import { maskCore, maskQuoted } from './token-rules.js';

/** Only this much of a message is looked at: a 10 MB line costs what a 4 kB one does. */
export const MASK_LIMIT_CHARS = 4096;

export interface SpanRule {
  readonly name: string;
  readonly placeholder: string;
  /** a regex source without capturing groups; it is tried where a word starts (`\b`) */
  readonly source: string;
  /** characters that may not come right before a match: `00:0B:..` holds no size `0B` */
  readonly notAfter?: string;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';
const HMS = '\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?';
const ZONE = '(?:UTC|GMT|[A-Z]{1,2}[SD]T)';
const DUR_UNIT = '(?:ns|us|µs|ms|s|(?:nano|micro|milli)?seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)';
const SIZE_UNIT = '(?:[KMGTPE]i?B|[KMGT]?bps|bytes?|B)';
const NUMBER = '\\d+(?:\\.\\d+)?';
// Nor followed by more of a larger token: `1.0B-rc`, `5s:...`.
const UNIT_END = '(?![\\w:\\-])';
const IN_TOKEN = ':.-/';

export const SPAN_RULES: readonly SpanRule[] = [
  { name: 'timestamp_iso', placeholder: '<ts>', source: `\\d{4}-\\d{2}-\\d{2}(?:[T ]${HMS}(?:Z| ?[+-]\\d{2}:?\\d{2}\\b)?)?` },
  { name: 'timestamp_text', placeholder: '<ts>', source: `(?:${WEEKDAY},? +)?${MONTH} +\\d{1,2}(?:st|nd|rd|th)?,?(?: +\\d{4}\\b)?(?: +${HMS})?(?: +${ZONE}\\b)?(?: +\\d{4}\\b)?` },
  { name: 'timestamp_dmy', placeholder: '<ts>', source: `\\d{1,2}[/ -]${MONTH}[/ -]\\d{4}(?:[: ]\\d{2}:\\d{2}:\\d{2}(?: [+-]\\d{4})?)?` },
  { name: 'date_slash', placeholder: '<ts>', source: '\\d{1,4}/\\d{1,2}/\\d{2,4}\\b' },
  // A 12-hour clock's AM/PM belongs to the time: Nest's logger prints `10:00:02 AM`.
  { name: 'time', placeholder: '<ts>', source: '\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:[ \\u00a0\\u202f]?[AP]M\\b|(?![\\w:]))', notAfter: ':.' },
  // Spring Boot's console header `<level> <pid> --- [<app>] [<thread>] [<trace>-<span>]`: the
  // thread is cut to its last 15 characters (`nio-8080-exec-7`, `io-8080-exec-27`), and the
  // correlation id is new per request or blank outside one, so one failure read as several.
  // The level before the pid keeps `migration 42 --- [FAILED]` what it is. It is looked for
  // behind the pid's first digit, not before it: a lookbehind that starts an alternative is
  // tried at every word start of every text, a third of the time of this table's scan.
  {
    name: 'spring_thread',
    placeholder: '<num> --- [<thread>]',
    source: '\\d(?<=\\b(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) \\d)\\d{0,6} --- (?:\\[[^\\]\\n]{1,64}\\] )?\\[[^\\]\\n]{1,64}\\](?: \\[[0-9a-f -]{1,80}\\])?',
  },
  // `150ms`, `19.84 seconds`, and Go's `1h2m3.5s`.
  { name: 'duration', placeholder: '<dur>', source: `(?:\\d+[hm](?=\\d))*${NUMBER} ?${DUR_UNIT}${UNIT_END}`, notAfter: IN_TOKEN },
  { name: 'size', placeholder: '<size>', source: `${NUMBER} ?${SIZE_UNIT}${UNIT_END}`, notAfter: IN_TOKEN },
];

// One pass for all rules; the shared `\b` lets the regex engine skip most positions quickly.
const SPAN_RE = new RegExp(`\\b(?:${SPAN_RULES.map((r) => `(${r.source})`).join('|')})`, 'g');

function spanReplacer(match: string, ...rest: unknown[]): string {
  const n = SPAN_RULES.length;
  const offset = rest[n] as number;
  const text = rest[n + 1] as string;
  for (let i = 0; i < n; i++) {
    if (rest[i] === undefined) continue;
    const rule = SPAN_RULES[i]!;
    return offset > 0 && rule.notAfter?.includes(text[offset - 1]!) ? match : rule.placeholder;
  }
  return match;
}

function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60; // ( [ { <
}

function isCloser(c: number): boolean {
  // ) ] } > , ; : . ! ?
  return c === 41 || c === 93 || c === 125 || c === 62 || c === 44 || c === 59 || c === 58 || c === 46 || c === 33 || c === 63;
}

/** True when token[0, end) ends with a placeholder such as `<ts>`, whose `>` is no closing bracket. */
function endsWithPlaceholder(token: string, end: number): boolean {
  if (token.charCodeAt(end - 1) !== 62) return false;
  const open = token.lastIndexOf('<', end - 1);
  return open >= 0 && /^<[a-z*]+>$/.test(token.slice(open, end));
}

function maskBare(core: string, flags?: number): string {
  const q = core.charCodeAt(0);
  const quoted = q === 39 || q === 34 || q === 96 ? maskQuoted(core) : null;
  return quoted ?? maskCore(core, flags);
}

/** Masks one whitespace-free token, keeping surrounding brackets and punctuation. */
export function maskToken(token: string): string {
  return maskScanned(token, tokenFeatures(token));
}

function maskScanned(token: string, flags: number): string {
  if ((flags & F.SLOW) === 0) return token;
  let start = 0;
  let end = token.length;
  while (start < end && isOpener(token.charCodeAt(start))) start++;
  while (end > start && isCloser(token.charCodeAt(end - 1)) && !endsWithPlaceholder(token, end)) end--;
  if (start >= end) return token;
  if (start === 0 && end === token.length) return maskBare(token, flags);
  return token.slice(0, start) + maskBare(token.slice(start, end)) + token.slice(end);
}

/**
 * The stateless template of a message: its masked tokens joined by single spaces (so spacing
 * never changes a template). One pass; runs of tokens that need no change are copied whole.
 */
export function maskMessage(text: string): string {
  const bounded = text.length > MASK_LIMIT_CHARS ? text.slice(0, MASK_LIMIT_CHARS) : text;
  const s = bounded.replace(SPAN_RE, spanReplacer);
  let out = '';
  let copyFrom = -1;
  let copyTo = -1;
  let i = 0;
  for (;;) {
    const gap = i;
    while (i < s.length && isSpaceCode(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    const scanned = scanToken(s, i);
    const end = scanned % 65536;
    const flags = (scanned - end) / 65536;
    const token = s.slice(i, end);
    const masked = (flags & F.SLOW) === 0 ? token : maskScanned(token, flags);
    if (masked === token && copyFrom >= 0 && i - gap === 1 && s.charCodeAt(gap) === 32) {
      copyTo = end;
    } else {
      if (copyFrom >= 0) out = join(out, s.slice(copyFrom, copyTo));
      copyFrom = -1;
      if (masked === token) {
        copyFrom = i;
        copyTo = end;
      } else {
        out = join(out, masked);
      }
    }
    i = end;
  }
  return copyFrom >= 0 ? join(out, s.slice(copyFrom, copyTo)) : out;
}

function join(out: string, part: string): string {
  return out === '' ? part : out + ' ' + part;
}

/** The masked tokens of a message. */
export function maskTokens(text: string): string[] {
  const template = maskMessage(text);
  return template === '' ? [] : template.split(' ');
}

/** A stable id of a template: the first 16 hex digits of its sha256. */
export function templateId(template: string): string {
  return hashId([template]);
}
