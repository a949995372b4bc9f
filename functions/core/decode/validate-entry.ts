import type { z } from 'zod';
import type { ReasonCode } from '../taxonomy.js';
import { LOG_SEVERITIES, LogEntrySchema, toSeverityName, type LogEntry } from './log-entry.js';
import { isPlainObject, kindOf, preview } from './result.js';
import { isRfc3339 } from './timestamp.js';

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

/**
 * The fast path of validateParsedLogEntry. `value` must come straight from JSON.parse (no
 * undefined, symbols, getters, class instances or non-finite numbers) and is never modified.
 *
 * Returns an entry only if LogEntrySchema accepts the value and no missing-field or payload rule
 * fails, and then one deep-equal to zod's output: the value itself, or a shallow copy when zod
 * changes something (a severity spelled `error` or 500; an httpRequest.status string; the key
 * order of httpRequest, protoPayload and protoPayload.status, which downstream serialises for
 * event ids and fallback text). Anything it is unsure of gives undefined, never a verdict.
 */
export function fastLogEntry(value: unknown): LogEntry | undefined {
  if (!isJsonObject(value)) return undefined;
  const logName = value.logName;
  if (typeof logName !== 'string' || logName === '') return undefined;
  const resource = value.resource;
  if (!isJsonObject(resource)) return undefined;
  const type = resource.type;
  if (typeof type !== 'string' || type === '') return undefined;
  if (resource.labels !== undefined && !isStringMap(resource.labels)) return undefined;
  if (!isRfc3339(value.timestamp)) return undefined;
  if (value.receiveTimestamp !== undefined && !isRfc3339(value.receiveTimestamp)) return undefined;
  if (!isOptString(value.insertId) || !isOptString(value.trace) || !isOptString(value.spanId)) return undefined;
  if (!isOptBoolean(value.traceSampled)) return undefined;
  if (value.labels !== undefined && !isStringMap(value.labels)) return undefined;
  if (value.operation !== undefined && !isOperation(value.operation)) return undefined;
  if (value.sourceLocation !== undefined && !isSourceLocation(value.sourceLocation)) return undefined;
  if (value.split !== undefined && !isSplit(value.split)) return undefined;

  // the payload oneof, as payloadProblems reads it: present means not undefined
  const text = value.textPayload;
  const json = value.jsonPayload;
  const proto = value.protoPayload;
  const http = value.httpRequest;
  let payloads = 0;
  if (text !== undefined) {
    if (typeof text !== 'string') return undefined;
    payloads++;
  }
  if (json !== undefined) {
    if (!isJsonObject(json)) return undefined;
    payloads++;
  }
  if (proto !== undefined) payloads++;
  if (payloads > 1 || (payloads === 0 && http === undefined)) return undefined;

  let changes: Record<string, unknown> | undefined;
  const severity = value.severity;
  if (severity !== undefined && !(typeof severity === 'string' && SEVERITY_NAMES.has(severity))) {
    const name = toSeverityName(severity);
    if (name === null) return undefined;
    changes = { severity: name };
  }
  if (http !== undefined) {
    const checked = fastHttpRequest(http);
    if (checked === undefined) return undefined;
    if (checked !== http) (changes ??= {}).httpRequest = checked;
  }
  if (proto !== undefined) {
    const checked = fastProtoPayload(proto);
    if (checked === undefined) return undefined;
    if (checked !== proto) (changes ??= {}).protoPayload = checked;
  }
  // a spread keeps the key order; an overridden key keeps its place
  return (changes === undefined ? value : { ...value, ...changes }) as LogEntry;
}

const SEVERITY_NAMES: ReadonlySet<unknown> = new Set<unknown>(LOG_SEVERITIES);
const INTEGER_TEXT = /^-?\d+$/;
const OBJECT_PROTOTYPE = Object.prototype;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * An object that zod's looseObject and record copy to an equal object: what JSON.parse makes,
 * minus an own `__proto__` key (JSON.parse keeps it as data, zod drops it). Arrays fail too.
 */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === OBJECT_PROTOTYPE && !hasOwn.call(value, '__proto__');
}

/** z.record(z.string(), z.string()) */
function isStringMap(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}

function isOptString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isOptBoolean(value: unknown): boolean {
  return value === undefined || typeof value === 'boolean';
}

/** z.number().int() is a safe integer. */
function isOptInt(value: unknown): boolean {
  return value === undefined || Number.isSafeInteger(value);
}

/** Int64: a string of digits or an integer number, both kept as they are. */
function isOptInt64(value: unknown): boolean {
  return value === undefined || Number.isSafeInteger(value) || (typeof value === 'string' && INTEGER_TEXT.test(value));
}

function isOperation(value: unknown): boolean {
  return isJsonObject(value) && isOptString(value.id) && isOptString(value.producer) && isOptBoolean(value.first) && isOptBoolean(value.last);
}

function isSourceLocation(value: unknown): boolean {
  return isJsonObject(value) && isOptString(value.file) && isOptInt64(value.line) && isOptString(value.function);
}

function isSplit(value: unknown): boolean {
  return isJsonObject(value) && isOptString(value.uid) && isOptInt(value.index) && isOptInt(value.totalSplits);
}

const HTTP_KEYS = Object.keys(LogEntrySchema.shape.httpRequest.unwrap().shape);
const HTTP_RANK = rankOf(HTTP_KEYS);
const HTTP_STRINGS = ['requestMethod', 'requestUrl', 'userAgent', 'remoteIp', 'serverIp', 'referer', 'latency', 'protocol'] as const;
const HTTP_INT64S = ['requestSize', 'responseSize', 'cacheFillBytes'] as const;
const HTTP_BOOLEANS = ['cacheLookup', 'cacheHit', 'cacheValidatedWithOriginServer'] as const;

/** HttpRequest as zod outputs it: `status` "503" becomes 503 (Int32), keys in shape order. */
function fastHttpRequest(value: unknown): Record<string, unknown> | undefined {
  if (!isJsonObject(value)) return undefined;
  for (const key of HTTP_STRINGS) if (!isOptString(value[key])) return undefined;
  for (const key of HTTP_INT64S) if (!isOptInt64(value[key])) return undefined;
  for (const key of HTTP_BOOLEANS) if (!isOptBoolean(value[key])) return undefined;
  const status = value.status;
  if (status === undefined || Number.isSafeInteger(status)) {
    return inShapeOrder(value, HTTP_RANK) ? value : reordered(value, HTTP_KEYS, HTTP_RANK, undefined, undefined);
  }
  if (typeof status !== 'string' || !INTEGER_TEXT.test(status)) return undefined;
  return reordered(value, HTTP_KEYS, HTTP_RANK, 'status', Number(status));
}

const PROTO_KEYS = Object.keys(LogEntrySchema.shape.protoPayload.unwrap().shape);
const PROTO_RANK = rankOf(PROTO_KEYS);
const STATUS_KEYS = ['code', 'message'];
const STATUS_RANK = rankOf(STATUS_KEYS);

function fastProtoPayload(value: unknown): Record<string, unknown> | undefined {
  if (!isJsonObject(value)) return undefined;
  if (!isOptString(value['@type']) || !isOptString(value.serviceName) || !isOptString(value.methodName) || !isOptString(value.resourceName)) {
    return undefined;
  }
  const status = value.status;
  let checked: unknown = undefined;
  if (status !== undefined) {
    if (!isJsonObject(status) || !isOptInt(status.code) || !isOptString(status.message)) return undefined;
    checked = inShapeOrder(status, STATUS_RANK) ? status : reordered(status, STATUS_KEYS, STATUS_RANK, undefined, undefined);
  }
  if (checked === status && inShapeOrder(value, PROTO_RANK)) return value;
  return reordered(value, PROTO_KEYS, PROTO_RANK, 'status', checked);
}

function rankOf(keys: readonly string[]): ReadonlyMap<string, number> {
  return new Map(keys.map((key, i) => [key, i]));
}

/** zod's looseObject output order: the shape's keys, then the others as for...in gives them. */
function inShapeOrder(value: Record<string, unknown>, rank: ReadonlyMap<string, number>): boolean {
  let last = -1;
  let others = false;
  for (const key in value) {
    const r = rank.get(key);
    if (r === undefined) others = true;
    else if (others || r < last) return false;
    else last = r;
  }
  return true;
}

/** What zod's looseObject builds (presence is `in`); `replace` gets `by` if present. */
function reordered(
  value: Record<string, unknown>,
  keys: readonly string[],
  rank: ReadonlyMap<string, number>,
  replace: string | undefined,
  by: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in value) out[key] = key === replace ? by : value[key];
  for (const key in value) if (!rank.has(key)) out[key] = value[key];
  return out;
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
