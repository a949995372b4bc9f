/**
 * RFC 3339 `date-time` (section 5.6), which is what LogEntry.timestamp is in JSON. Any number of
 * fraction digits (Cloud Logging emits up to nanoseconds), `Z` or a numeric offset, `T`/`Z` in
 * either case as the RFC allows. The space separator of section 5.6's note is refused: the
 * ABNF does not allow it and no Google API emits it.
 *
 * Same language as
 * `^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$`
 * plus the range checks below, read with char codes: it runs twice per entry on the hot path
 * and the regex's captures, slice and map cost more than the rest of the check.
 */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const n = value.length;
  // the shortest form is `YYYY-MM-DDTHH:MM:SSZ`
  if (n < 20) return false;
  const year = digits4(value, 0);
  const month = digits2(value, 5);
  const day = digits2(value, 8);
  const hour = digits2(value, 11);
  const minute = digits2(value, 14);
  const second = digits2(value, 17);
  if ((year | month | day | hour | minute | second) < 0) return false;
  if (value.charCodeAt(4) !== 0x2d || value.charCodeAt(7) !== 0x2d) return false; // '-'
  const t = value.charCodeAt(10);
  if (t !== 0x54 && t !== 0x74) return false; // 'T' 't'
  if (value.charCodeAt(13) !== 0x3a || value.charCodeAt(16) !== 0x3a) return false; // ':'
  let i = 19;
  if (value.charCodeAt(i) === 0x2e) {
    // '.' needs at least one digit
    const start = ++i;
    while (i < n && isDigit(value.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  const zone = value.charCodeAt(i);
  if (zone === 0x5a || zone === 0x7a) {
    // 'Z' 'z' ends the string
    if (i + 1 !== n) return false;
  } else if (zone === 0x2b || zone === 0x2d) {
    // '+' '-' then HH:MM ends the string
    if (i + 6 !== n || value.charCodeAt(i + 3) !== 0x3a) return false;
    const offsetHour = digits2(value, i + 1);
    const offsetMinute = digits2(value, i + 4);
    if (offsetHour < 0 || offsetMinute < 0 || offsetHour > 23 || offsetMinute > 59) return false;
  } else {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  // 60 is a leap second, which RFC 3339 allows
  return hour <= 23 && minute <= 59 && second <= 60;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The number written by the two ASCII digits at `at`, or -1. */
function digits2(s: string, at: number): number {
  const a = s.charCodeAt(at) - 0x30;
  const b = s.charCodeAt(at + 1) - 0x30;
  // NaN (past the end) fails both comparisons, as does anything outside 0-9
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function digits4(s: string, at: number): number {
  const hi = digits2(s, at);
  const lo = digits2(s, at + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
