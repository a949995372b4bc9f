/** The time, from one place, so tests and replays can control it. */
export interface Clock {
  /** current time as an RFC 3339 UTC string with milliseconds */
  nowIso(): string;
}

let lastMs = Number.NaN;
let lastIso = '';

/** Formats once per millisecond: a replay stamps every row, and toISOString was ~3% of it. */
export const systemClock: Clock = {
  nowIso: () => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    return lastIso;
  },
};
