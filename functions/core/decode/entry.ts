import { NO_META, accept, guarded, jsonErrorDetail, reject, safeStringify, type DecodeResult, type MessageMeta } from './result.js';
import { validateLogEntry } from './validate-entry.js';

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
  return decodeEntryValue(value, text, meta);
}

export function decodeEntryValue(value: unknown, rawText: string | undefined, meta: MessageMeta): DecodeResult {
  const check = validateLogEntry(value);
  if (check.ok) return accept(check.entry, meta);
  return reject(check.reason, check.detail, rawText ?? safeStringify(value), meta);
}
