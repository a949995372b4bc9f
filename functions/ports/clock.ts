/** The time, from one place, so tests and replays can control it. */
export interface Clock {
  /** current time as an RFC 3339 UTC string with milliseconds */
  nowIso(): string;
}

export const systemClock: Clock = { nowIso: () => new Date().toISOString() };
