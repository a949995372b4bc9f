import { createHash } from 'node:crypto';

// A unit separator cannot occur in the parts we hash (keys, scopes, masked templates),
// so ['a', 'bc'] and ['ab', 'c'] never collide.
const SEP = '\u001f';

/** A stable 64-bit id (16 hex chars) of ordered parts; the same parts give the same id in any process. */
export function hashId(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join(SEP)).digest('hex').slice(0, 16);
}

/** `event_id`: a hash of (logName, timestamp, insertId), identical across redeliveries and re-exports. */
export function eventId(logName: string, timestamp: string, insertId: string): string {
  return createHash('sha256').update([logName, timestamp, insertId].join(SEP)).digest('hex').slice(0, 32);
}
