import * as crypto from 'node:crypto';

// A unit separator cannot occur in the parts we hash (keys, scopes, masked templates),
// so ['a', 'bc'] and ['ab', 'c'] never collide.
const SEP = '\u001f';

// crypto.hash (Node >= 20.12) is the one-shot form: half the cost of createHash for short inputs.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** SHA-256 of a string, hex. */
export function sha256Hex(data: string): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

/** A stable 64-bit id (16 hex chars) of ordered parts; the same parts give the same id in any process. */
export function hashId(parts: readonly string[]): string {
  return sha256Hex(parts.join(SEP)).slice(0, 16);
}

/** `event_id`: a hash of (logName, timestamp, insertId), identical across redeliveries and re-exports. */
export function eventId(logName: string, timestamp: string, insertId: string): string {
  return sha256Hex([logName, timestamp, insertId].join(SEP)).slice(0, 32);
}
