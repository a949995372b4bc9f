import * as crypto from 'node:crypto';
import { boundedMemo } from './memo.js';

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
  return idOfJoined(parts.join(SEP));
}

const idOfJoined = (joined: string): string => sha256Hex(joined).slice(0, 16);
// a template (1 KiB at most) with its rule key, workload and params; at most ~5 MB remembered
const SIGNATURE_MEMO_CHARS = 1280;
const rememberedId = boundedMemo(idOfJoined, 2048);

/** A signature's parts on either side of its workload scope, joined ahead of time (see signatureIdIn). */
export interface SignatureAround {
  readonly before: string;
  /** null where no part follows the scope: [] and [''] must not join alike */
  readonly after: string | null;
}

/** `before` is never empty: a leading empty part would join like none. */
export function signatureAround(before: readonly [string, ...string[]], after: readonly string[]): SignatureAround {
  return { before: before.join(SEP), after: after.length === 0 ? null : after.join(SEP) };
}

/**
 * hashId([...before, scope, ...after]), remembered: a signature's (rule, workload, params,
 * template) recurs on every entry of one failure even where the entries' texts differ (a
 * request id, a pid), and a lookup costs a tenth of a SHA-256.
 */
export function signatureIdIn(parts: SignatureAround, scope: string): string {
  const joined = parts.after === null ? `${parts.before}${SEP}${scope}` : `${parts.before}${SEP}${scope}${SEP}${parts.after}`;
  return joined.length <= SIGNATURE_MEMO_CHARS ? rememberedId(joined) : idOfJoined(joined);
}

/** `event_id`: a hash of (logName, timestamp, insertId), identical across redeliveries and re-exports. */
export function eventId(logName: string, timestamp: string, insertId: string): string {
  return sha256Hex(`${logName}${SEP}${timestamp}${SEP}${insertId}`).slice(0, 32);
}
