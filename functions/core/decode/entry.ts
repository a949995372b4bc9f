import { NO_META, accept, guarded, jsonErrorDetail, reject, safeStringify, type DecodeResult, type MessageMeta } from './result.js';
import { fastLogEntry, validateLogEntry, validateLogEntryReference, type EntryCheck } from './validate-entry.js';

/** An already-parsed JSON value that should be one LogEntry. */
export function decodeLogEntry(value: unknown): DecodeResult {
  return guarded(
    () => safeStringify(value),
    () => decodeEntryValue(value, undefined, NO_META),
  );
}

/** From here on the decoded payload is the thing worth storing, not its base64 envelope. */
export function decodeEntryText(text: string, meta: MessageMeta): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return reject('INPUT.BAD_JSON', jsonErrorDetail(error), text, meta);
  }
  return decodeParsedEntry(value, text, meta);
}

/** Any value (a caller's object, not necessarily plain JSON): the full diagnosis. */
export function decodeEntryValue(value: unknown, rawText: string | undefined, meta: MessageMeta): DecodeResult {
  return fromCheck(validateLogEntry(value), value, rawText, meta);
}

/**
 * `value` is what JSON.parse made of `rawText`, so the fast check applies (see fastLogEntry);
 * the same result as decodeEntryValue, without zod for a valid entry.
 */
export function decodeParsedEntry(value: unknown, rawText: string, meta: MessageMeta): DecodeResult {
  const entry = fastLogEntry(value);
  if (entry !== undefined) return accept(entry, meta);
  return fromCheck(validateLogEntryReference(value), value, rawText, meta);
}

function fromCheck(check: EntryCheck, value: unknown, rawText: string | undefined, meta: MessageMeta): DecodeResult {
  if (check.ok) return accept(check.entry, meta);
  return reject(check.reason, check.detail, rawText ?? safeStringify(value), meta);
}
