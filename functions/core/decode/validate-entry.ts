import type { z } from 'zod';
import type { ReasonCode } from '../taxonomy.js';
import { LogEntrySchema, type LogEntry } from './log-entry.js';
import { isPlainObject, kindOf, preview } from './result.js';
import { fastLogEntry } from './fast-entry.js';

export { fastLogEntry } from './fast-entry.js';

/**
 * When an entry has several problems, the reported one follows the order in which the
 * taxonomy's "Invalid input" section lists them; within one reason, the field that comes first
 * in LogEntrySchema, then the lexically smaller path. The choice never depends on key order.
 */
export const ENTRY_REASON_PRECEDENCE = [
  'ENTRY.NOT_OBJECT',
  'ENTRY.MISSING_FIELD',
  'ENTRY.BAD_TIMESTAMP',
  'ENTRY.BAD_FIELD_TYPE',
  'ENTRY.BAD_PAYLOAD_TYPE',
  'ENTRY.PAYLOAD_CONFLICT',
  'ENTRY.NO_PAYLOAD',
] as const satisfies readonly ReasonCode[];

export type EntryReason = (typeof ENTRY_REASON_PRECEDENCE)[number];

export type EntryCheck = { ok: true; entry: LogEntry } | { ok: false; reason: EntryReason; detail: string };

interface Problem {
  reason: EntryReason;
  path: string;
  detail: string;
}

const FIELD_ORDER = Object.keys(LogEntrySchema.shape);
const PAYLOAD_FIELDS = ['textPayload', 'jsonPayload', 'protoPayload'] as const;
const TIMESTAMP_FIELDS = new Set(['timestamp', 'receiveTimestamp']);

/**
 * Checks one value against the taxonomy's "Invalid input" rules: the full diagnosis, exact for
 * any value (class instances, symbol keys, getters...). It is also the reference that
 * validateParsedLogEntry must agree with.
 */
export function validateLogEntryReference(value: unknown): EntryCheck {
  if (!isPlainObject(value)) {
    return { ok: false, reason: 'ENTRY.NOT_OBJECT', detail: `entry is ${kindOf(value)}, not an object` };
  }
  const parsed = LogEntrySchema.safeParse(value);
  const problems = [...missingFields(value), ...payloadProblems(value)];
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => fromIssue(value, issue)));
  const worst = pickWorst(problems);
  if (worst !== undefined) return { ok: false, reason: worst.reason, detail: worst.detail };
  // safeParse succeeded whenever no problem was found: every issue becomes a problem
  return parsed.success ? { ok: true, entry: parsed.data } : { ok: false, reason: 'ENTRY.BAD_FIELD_TYPE', detail: 'invalid entry' };
}

/**
 * Checks one value (any value a caller holds) against the taxonomy's "Invalid input" rules. For
 * a value straight from JSON.parse, validateParsedLogEntry gives the same answer, faster.
 */
export const validateLogEntry: (value: unknown) => EntryCheck = validateLogEntryReference;

/**
 * validateLogEntryReference for a value straight from JSON.parse, cheap when the entry is
 * valid: a hand-written check accepts it without zod (and mostly without copying), and only an
 * entry it does not accept goes through the full diagnosis, which then names the reason.
 */
export function validateParsedLogEntry(value: unknown): EntryCheck {
  const entry = fastLogEntry(value);
  return entry !== undefined ? { ok: true, entry } : validateLogEntryReference(value);
}

/** An empty string is as useless as an absent field for routing and signatures. */
function isMissing(value: unknown): boolean {
  return value === undefined || value === '';
}

function missingFields(entry: Record<string, unknown>): Problem[] {
  const missing: string[] = [];
  if (isMissing(entry.logName)) missing.push('logName');
  if (isMissing(entry.resource)) missing.push('resource');
  else if (isPlainObject(entry.resource) && isMissing(entry.resource.type)) missing.push('resource.type');
  if (isMissing(entry.timestamp)) missing.push('timestamp');
  return missing.map((path) => ({ reason: 'ENTRY.MISSING_FIELD', path, detail: `missing field ${path}` }));
}

/** The oneof is about presence: `null` is present (and of the wrong type). */
function payloadProblems(entry: Record<string, unknown>): Problem[] {
  const present = PAYLOAD_FIELDS.filter((field) => entry[field] !== undefined);
  if (present.length > 1) {
    return [{ reason: 'ENTRY.PAYLOAD_CONFLICT', path: present[0] ?? '', detail: `payload oneof violated: ${present.join(' and ')}` }];
  }
  if (present.length === 0 && entry.httpRequest === undefined) {
    return [{ reason: 'ENTRY.NO_PAYLOAD', path: '', detail: 'no textPayload, jsonPayload, protoPayload or httpRequest' }];
  }
  return [];
}

function fromIssue(entry: Record<string, unknown>, issue: z.core.$ZodIssue): Problem {
  const path = issue.path.map(String).join('.');
  const field = String(issue.path[0] ?? '');
  const found = valueAt(entry, issue.path);
  if (TIMESTAMP_FIELDS.has(field)) {
    return { reason: 'ENTRY.BAD_TIMESTAMP', path, detail: `${path} is not RFC 3339: ${preview(found)}` };
  }
  if ((PAYLOAD_FIELDS as readonly string[]).includes(field)) {
    return { reason: 'ENTRY.BAD_PAYLOAD_TYPE', path, detail: `${path} has the wrong type: ${describe(issue, found)}` };
  }
  return { reason: 'ENTRY.BAD_FIELD_TYPE', path, detail: `${path} has the wrong type: ${describe(issue, found)}` };
}

function describe(issue: z.core.$ZodIssue, found: unknown): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${kindOf(found)}`;
  if (issue.code === 'custom') return issue.message;
  return `${issue.message.toLowerCase()}, got ${preview(found)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function pickWorst(problems: Problem[]): Problem | undefined {
  return problems.reduce<Problem | undefined>((best, p) => (best === undefined || compare(p, best) < 0 ? p : best), undefined);
}

function compare(a: Problem, b: Problem): number {
  const byReason = ENTRY_REASON_PRECEDENCE.indexOf(a.reason) - ENTRY_REASON_PRECEDENCE.indexOf(b.reason);
  if (byReason !== 0) return byReason;
  const byField = fieldRank(a.path) - fieldRank(b.path);
  if (byField !== 0) return byField;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function fieldRank(path: string): number {
  const rank = FIELD_ORDER.indexOf(path.split('.')[0] ?? '');
  return rank === -1 ? FIELD_ORDER.length : rank;
}
