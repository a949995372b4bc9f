/**
 * A duration as loggers print it, in seconds: Go's time.Duration (`2m0s`, `1h0m0s`, `1.5s`,
 * `500ms`, `250µs`), Java's java.time.Duration (ISO-8601 `PT1M30S`, `PT0.5S`), and a number
 * with a unit word (`20.0s`, `2 minutes`, `1.5 min`, `1 hour`). A rule captures the token and
 * its `duration` param reads it here, so one rule takes every spelling of a deadline.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  d: 86400, day: 86400, days: 86400,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  ms: 1e-3, msec: 1e-3, msecs: 1e-3, millis: 1e-3, millisecond: 1e-3, milliseconds: 1e-3,
  us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, microsecond: 1e-6, microseconds: 1e-6,
  ns: 1e-9, nanosecond: 1e-9, nanoseconds: 1e-9,
};

// bounded: a duration token is short, and each part is a number and a unit word
const PART = /[ \t]*(\d{1,12}(?:\.\d{1,12})?)[ \t]?([a-zµμ]{1,12})/gy;
const ISO = /^p(?:(\d{1,12}(?:\.\d{1,12})?)d)?(?:t(?:(\d{1,12}(?:\.\d{1,12})?)h)?(?:(\d{1,12}(?:\.\d{1,12})?)m)?(?:(\d{1,12}(?:\.\d{1,12})?)s)?)?$/;
const MAX_CHARS = 64;

/** Seconds, with the binary noise of unit factors rounded away (1m30.1s is 90.1). */
const rounded = (seconds: number): number => Math.round(seconds * 1e9) / 1e9;

function isoSeconds(lower: string): number | undefined {
  const m = ISO.exec(lower);
  // `P` and `PT` alone name no duration, and a `T` must be followed by a time part
  if (!m || m.slice(1).every((part) => part === undefined) || (lower.includes('t') && m.slice(2).every((part) => part === undefined))) return undefined;
  const [days, hours, minutes, seconds] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number];
  return rounded(days * 86400 + hours * 3600 + minutes * 60 + seconds);
}

/**
 * The duration's length in seconds, or undefined when the text is no duration this reads. Parts
 * come largest unit first, each unit once (`1m 30s`, `1h0m0s`): `1s1s` or `30s 1m` is no duration.
 */
export function durationSeconds(text: string): number | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === '' || lower.length > MAX_CHARS) return undefined;
  if (lower.startsWith('p')) return isoSeconds(lower);
  let total = 0;
  let previous = Number.POSITIVE_INFINITY;
  PART.lastIndex = 0;
  while (PART.lastIndex < lower.length) {
    const m = PART.exec(lower);
    const factor = m ? UNIT_SECONDS[m[2] as string] : undefined;
    if (!m || factor === undefined || factor >= previous) return undefined;
    previous = factor;
    total += Number(m[1]) * factor;
  }
  return rounded(total);
}
