import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { durationSeconds } from '../../../functions/core/classify/duration.js';

/** Go's time.Duration.String() for a whole number of milliseconds, as Go prints it. */
function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${s}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  return m > 0 ? `${m}m${sec}` : sec;
}

describe('durationSeconds', () => {
  it.each([
    ['20.0s', 20],
    ['20 s', 20],
    ['25 seconds', 25],
    ['1500ms', 1.5],
    ['2m0s', 120],
    ['1m30s', 90],
    ['1h0m0s', 3600],
    ['1m30.5s', 90.5],
    ['250µs', 0.00025],
    ['2 minutes', 120],
    ['1.5 min', 90],
    ['1 hour', 3600],
    ['PT30S', 30],
    ['PT1M30S', 90],
    ['PT0.5S', 0.5],
    ['PT2H', 7200],
    ['P1DT1S', 86401],
    ['pt1m30s', 90],
    ['1m 30s', 90],
    ['2 minutes 30 seconds', 150],
    ['1h30m', 5400],
    ['2 days', 172800],
    ['1500 millis', 1.5],
  ])('reads %s as %s seconds', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it.each(['', 'P', 'PT', 'P1DT', '20', 's', '20 parsecs', '2m0', '1m 30x', 'PT1X', '1s1s', '30s 1m', `${'1s'.repeat(40)}`])('reads no duration in %j', (text) => {
    expect(durationSeconds(text)).toBeUndefined();
  });

  it("reads every duration Go prints as its length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 3_600_000 }), (ms) => {
        expect(durationSeconds(goDuration(ms))).toBeCloseTo(ms / 1000, 9);
      }),
      { numRuns: 2_000 },
    );
  });
});
