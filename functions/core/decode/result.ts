import { Buffer } from 'node:buffer';
import type { ReasonCode } from '../taxonomy.js';
import type { LogEntry } from './log-entry.js';

/**
 * One input record gives exactly one result. Rejections keep the offending text so that
 * the taxonomy's "never dropped, stored for reprocessing" holds.
 */
export type DecodeResult =
  | { kind: 'accepted'; entry: LogEntry; messageId: string | null; publishTime: string | null }
  | {
      kind: 'rejected';
      reason: ReasonCode;
      detail: string;
      messageId: string | null;
      publishTime: string | null;
      raw: string;
    };

export type Rejection = Extract<DecodeResult, { kind: 'rejected' }>;

/**
 * Cloud Logging caps an entry at 256 KiB, so 1 MiB leaves room for the Pub/Sub envelope and
 * base64 growth while keeping one hostile line from exhausting memory.
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** What is kept of an oversized record: enough to identify it, not enough to hurt. */
export const TRUNCATED_RAW_CHARS = 64 * 1024;

/** Where a message's identity is known, rejections carry it so they can be traced. */
export interface MessageMeta {
  messageId: string | null;
  publishTime: string | null;
}

export const NO_META: MessageMeta = { messageId: null, publishTime: null };

export function accept(entry: LogEntry, meta: MessageMeta = NO_META): DecodeResult {
  return { kind: 'accepted', entry, messageId: meta.messageId, publishTime: meta.publishTime };
}

export function reject(reason: ReasonCode, detail: string, raw: string, meta: MessageMeta = NO_META): Rejection {
  return {
    kind: 'rejected',
    reason,
    detail,
    messageId: meta.messageId,
    publishTime: meta.publishTime,
    raw: raw.length > MAX_RECORD_BYTES ? raw.slice(0, TRUNCATED_RAW_CHARS) : raw,
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Values handed to the decoders are not always JSON text (a CloudEvent body is parsed by the
 * framework), yet a rejection must store text; cycles, BigInts and depth must not make it throw.
 */
export function safeStringify(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' ? text : String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return '';
    }
  }
}

/** Details quote the bad value; long values are cut so a detail stays one short line. */
export function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : safeStringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function jsonErrorDetail(error: unknown): string {
  return `not JSON: ${errorMessage(error)}`;
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The last line of defence for "never throws": exotic values (throwing getters, proxies) are not JSON. */
export function guarded(raw: () => string, run: () => DecodeResult): DecodeResult {
  try {
    return run();
  } catch (error) {
    return reject('INPUT.BAD_JSON', `value could not be read as JSON: ${errorMessage(error)}`, attempt(raw));
  }
}

function attempt(raw: () => string): string {
  try {
    return raw();
  } catch {
    return '';
  }
}

function errorMessage(error: unknown): string {
  try {
    return (error instanceof Error ? error.message : String(error)).slice(0, 80);
  } catch {
    return 'unknown error';
  }
}
