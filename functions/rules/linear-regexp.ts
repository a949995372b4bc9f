import { setFlagsFromString } from 'node:v8';
import { jsCapturePattern } from '../core/classify/js-pattern.js';

/**
 * V8's own regex engine for matching rules, in linear time: it runs the rule patterns in well
 * under a microsecond where re2 takes 1-3 µs to test and 5-15 µs to read groups.
 *
 * V8 backtracks, so a pattern can take exponential time on a crafted line. With
 * `--enable-experimental-regexp-engine-on-excessive-backtracks`, every regex that V8's
 * non-backtracking engine can run is given a backtrack budget (50,000 by default) and, past it,
 * is run again by that engine, which is linear in the text. Which patterns qualify is what the
 * `l` flag checks: a pattern that compiles with it is one the fallback covers. A rule whose
 * pattern does not (or that JavaScript reads differently, see jsCapturePattern) keeps RE2.
 *
 * The flags are process-wide and only ever make other regexes safer: the fallback gives the
 * same answers, later. They exist in V8 since 8.8 (Node 16); a V8 without the `l` flag leaves
 * every rule with RE2.
 */
let fallbackEnabled: boolean | null = null;

function enableLinearFallback(): boolean {
  if (fallbackEnabled === null) {
    setFlagsFromString('--enable-experimental-regexp-engine');
    setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    try {
      // eslint-disable-next-line no-invalid-regexp -- `l` is V8's linear-engine flag, enabled just above
      new RegExp('a', 'l');
      fallbackEnabled = true;
    } catch {
      fallbackEnabled = false; // a V8 without the engine: every rule keeps RE2
    }
  }
  return fallbackEnabled;
}

/** The JavaScript twin of a rule's positional pattern, or null when the rule must stay with RE2. */
export function linearTwinRegExp(positionalSource: string, ignoreCase: boolean): RegExp | null {
  if (!enableLinearFallback()) return null;
  const js = jsCapturePattern(positionalSource, ignoreCase);
  if (js === null) return null;
  try {
    // throws unless the non-backtracking engine can run it
    // eslint-disable-next-line no-invalid-regexp -- `l` is V8's linear-engine flag (see enableLinearFallback)
    new RegExp(js, 'l');
    return new RegExp(js);
  } catch {
    return null;
  }
}
