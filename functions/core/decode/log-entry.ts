import { z } from 'zod';
import { isRfc3339 } from './timestamp.js';

/**
 * The Cloud Logging v2 `LogEntry` as REST/JSON (what sinks publish and `gcloud logging read
 * --format=json` prints). Objects are loose: fields Google adds later (errorGroups, apphub, ...)
 * are kept, not refused. Types are checked, formats only where the taxonomy asks (timestamps).
 */

export const LOG_SEVERITIES = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'] as const;
export type LogSeverity = (typeof LOG_SEVERITIES)[number];

/**
 * A LogSeverity name, accepted in any case because hand-converted exports write `error`, and
 * normalised to the upper-case name so consumers see one spelling. A number is refused, though
 * proto3 JSON would let an enum be one (ERROR=500): the taxonomy makes a severity of the wrong
 * type invalid, and three blind labellings of it read a number as that.
 */
export function toSeverityName(value: unknown): LogSeverity | null {
  if (typeof value !== 'string') return null;
  const upper = value.toUpperCase();
  return (LOG_SEVERITIES as readonly string[]).includes(upper) ? (upper as LogSeverity) : null;
}

export const Severity = z.string().transform((value, ctx) => {
  const name = toSeverityName(value);
  if (name !== null) return name;
  ctx.issues.push({ code: 'custom', message: `not a LogSeverity: ${JSON.stringify(value)}`, input: value });
  return z.NEVER;
});

export const Rfc3339 = z.string().refine(isRfc3339, { message: 'not an RFC 3339 timestamp' });

const StringMap = z.record(z.string(), z.string());
/** int64 is a string in proto3 JSON, but parsers also take a number; both occur in the wild. */
const Int64 = z.union([z.string().regex(/^-?\d+$/), z.number().int()]);
const Int32 = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);

export const MonitoredResource = z.looseObject({ type: z.string().min(1), labels: StringMap.optional() });

export const HttpRequest = z.looseObject({
  requestMethod: z.string().optional(),
  requestUrl: z.string().optional(),
  requestSize: Int64.optional(),
  status: Int32.optional(),
  responseSize: Int64.optional(),
  userAgent: z.string().optional(),
  remoteIp: z.string().optional(),
  serverIp: z.string().optional(),
  referer: z.string().optional(),
  latency: z.string().optional(),
  cacheLookup: z.boolean().optional(),
  cacheHit: z.boolean().optional(),
  cacheValidatedWithOriginServer: z.boolean().optional(),
  cacheFillBytes: Int64.optional(),
  protocol: z.string().optional(),
});

export const LogEntryOperation = z.looseObject({
  id: z.string().optional(),
  producer: z.string().optional(),
  first: z.boolean().optional(),
  last: z.boolean().optional(),
});

export const LogEntrySourceLocation = z.looseObject({
  file: z.string().optional(),
  line: Int64.optional(),
  function: z.string().optional(),
});

export const LogSplit = z.looseObject({
  uid: z.string().optional(),
  index: z.number().int().optional(),
  totalSplits: z.number().int().optional(),
});

/** Only what the classifier reads is typed (an AuditLog's status.message); the rest passes through. */
export const ProtoPayload = z.looseObject({
  '@type': z.string().optional(),
  serviceName: z.string().optional(),
  methodName: z.string().optional(),
  resourceName: z.string().optional(),
  status: z.looseObject({ code: z.number().int().optional(), message: z.string().optional() }).optional(),
});

export const JsonPayload = z.record(z.string(), z.unknown());

/**
 * The payload oneof is not expressed here (all three are optional): that rule and "no payload"
 * are checked by validateLogEntry so they get their own reason codes.
 */
export const LogEntrySchema = z.looseObject({
  logName: z.string().min(1),
  resource: MonitoredResource,
  timestamp: Rfc3339,
  receiveTimestamp: Rfc3339.optional(),
  severity: Severity.optional(),
  insertId: z.string().optional(),
  httpRequest: HttpRequest.optional(),
  labels: StringMap.optional(),
  operation: LogEntryOperation.optional(),
  trace: z.string().optional(),
  spanId: z.string().optional(),
  traceSampled: z.boolean().optional(),
  sourceLocation: LogEntrySourceLocation.optional(),
  split: LogSplit.optional(),
  textPayload: z.string().optional(),
  jsonPayload: JsonPayload.optional(),
  protoPayload: ProtoPayload.optional(),
});

export type LogEntry = z.output<typeof LogEntrySchema>;
export type MonitoredResource = z.output<typeof MonitoredResource>;
export type HttpRequest = z.output<typeof HttpRequest>;
export type ProtoPayload = z.output<typeof ProtoPayload>;
