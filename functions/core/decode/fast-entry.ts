import { LOG_SEVERITIES, LogEntrySchema, toSeverityName, type LogEntry } from './log-entry.js';
import { isRfc3339 } from './timestamp.js';

/**
 * The fast path of validateParsedLogEntry (validate-entry.ts): a hand-written check that
 * accepts a valid entry from JSON.parse without zod. It never gives a verdict of its own:
 * whatever it does not accept goes to the reference diagnosis.
 */

/**
 * The fast path of validateParsedLogEntry. `value` must come straight from JSON.parse (no
 * undefined, symbols, getters, class instances or non-finite numbers) and is never modified.
 *
 * Returns an entry only if LogEntrySchema accepts the value and no missing-field or payload rule
 * fails, and then one deep-equal to zod's output: the value itself, or a shallow copy when zod
 * changes something (a severity spelled `error`; an httpRequest.status string; the key
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
