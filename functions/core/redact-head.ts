/**
 * Cutting redacted text to a length without cutting a secret in two (see redactHead): templates,
 * excerpts, rejected payloads and webhook bodies are heads of longer texts.
 */
import { EMAIL, REDACTED, TRUNCATED, mayHoldSecret, redactText } from './redact.js';

/**
 * How far before a cut the start of a secret the cut could split may lie: a pattern's key or
 * prefix (`password="`, `postgresql://`, `Bearer `, `ghp_`) with the longest value that the
 * head alone would fail to redact (a quoted value runs up to 1 KiB).
 */
const CUT_CONTEXT_CHARS = 2048;
/** Past the cut, at least this much redacted text must remain for the head to be taken from it. */
const CUT_MARGIN_CHARS = 4096;
/** The first window past the cut: room for the longest secret a pattern takes whole (a JWT). */
const CUT_WINDOW_CHARS = 16 * 1024;
const MARKERS = [REDACTED, EMAIL, TRUNCATED];

/**
 * The first `limit` characters of a text, redacted, with no secret cut in two at the limit:
 * cut first, the piece of a token or URL password left before the cut is too short or too bare
 * for the patterns and would pass. Where nothing near the cut could start a secret, or no
 * redaction crosses it, this is exactly the head redacted alone, so templates made from it
 * stay what they were. Otherwise the head is taken from the redacted whole, never ending in
 * part of a marker. The head may exceed `limit` by what markers add.
 */
export function redactHead(text: string, limit: number): string {
  if (typeof text !== 'string') return '';
  const head = redactText(text.slice(0, limit));
  if (text.length <= limit || !mayHoldSecret(text.slice(Math.max(0, limit - CUT_CONTEXT_CHARS), limit))) return head;
  let window = limit + CUT_WINDOW_CHARS;
  let wide = redactText(text.slice(0, window));
  // redactions may shrink the window until its own end, and a secret it splits, come near the cut
  while (wide.length < limit + CUT_MARGIN_CHARS && window < text.length) {
    window *= 4;
    wide = redactText(text.slice(0, window));
  }
  return wide.startsWith(head) ? head : withoutPartialMarker(wide.slice(0, limit));
}

/** Cuts a trailing piece of a marker (`<reda`), which a second redaction would misread. */
function withoutPartialMarker(s: string): string {
  const open = s.lastIndexOf('<');
  if (open < 0 || s.length - open >= TRUNCATED.length || s.includes('>', open)) return s;
  const tail = s.slice(open);
  return MARKERS.some((m) => m.startsWith(tail)) ? s.slice(0, open) : s;
}

/**
 * A long text as its first and last lines, redacted, with how many lines lie between: a Python
 * trace ends in its exception and a Java trace in its root cause, which a head alone lost. Both
 * ends are cut at line breaks, and every pattern but PEM's stays within a line, so each end
 * redacted alone is redacted as in the whole. A text with PEM armour (`-----`), or with no line
 * break near either cut, is its head of `headChars + tailChars` as redactHead cuts it.
 */
export function redactEnds(text: string, headChars: number, tailChars: number): string {
  const limit = headChars + tailChars;
  if (typeof text !== 'string' || text.length <= limit) return redactHead(text, limit);
  const headEnd = text.lastIndexOf('\n', headChars);
  const tailStart = text.indexOf('\n', text.length - tailChars) + 1;
  if (headEnd < headChars / 2 || tailStart === 0 || tailStart <= headEnd || text.includes('-----')) return redactHead(text, limit);
  let omitted = 0;
  for (let i = text.indexOf('\n', headEnd + 1); i >= 0 && i < tailStart; i = text.indexOf('\n', i + 1)) omitted++;
  return `${redactText(text.slice(0, headEnd))}\n[… ${omitted} lines …]\n${redactText(text.slice(tailStart))}`;
}
