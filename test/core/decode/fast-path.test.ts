import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateNdjson } from '../../../bench/generate.js';
import { MAX_RECORD_BYTES, TRUNCATED_RAW_CHARS, decodeRecord, isRfc3339, type DecodeResult } from '../../../functions/core/decode/index.js';
import { LOG_SEVERITIES } from '../../../functions/core/decode/log-entry.js';
import { NO_META, accept, jsonErrorDetail, reject } from '../../../functions/core/decode/result.js';
import { fastLogEntry, validateLogEntryReference, validateParsedLogEntry, type EntryCheck } from '../../../functions/core/decode/validate-entry.js';
import { ALL_ENTRIES } from './fixtures.js';

/**
 * The decoder's fast path (hand-written LogEntry check, char-code RFC 3339, no BOM/trim/UTF-8
 * work for ordinary records) must give exactly what the full zod diagnosis gives: same verdict,
 * reason and detail, and an accepted entry equal to zod's output, including the key order of
 * the parts downstream serialises (httpRequest, protoPayload, jsonPayload).
 */

/** isRfc3339 as it was: the regex with captures. */
const RFC3339_REFERENCE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
function isRfc3339Reference(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = RFC3339_REFERENCE.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[7] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return true;
}

/** decodeRecord(text, 'entry') as it was: byte count, BOM strip and trim always, then zod. */
function decodeEntryRecordReference(text: string): DecodeResult {
  if (text.length > MAX_RECORD_BYTES || Buffer.byteLength(text, 'utf8') > MAX_RECORD_BYTES) {
    const detail = `record is over the ${MAX_RECORD_BYTES}-byte bound (first ${TRUNCATED_RAW_CHARS} characters kept)`;
    return reject('INPUT.TOO_LARGE', detail, text.slice(0, TRUNCATED_RAW_CHARS));
  }
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') return reject('INPUT.EMPTY', 'empty record', text);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return reject('INPUT.BAD_JSON', jsonErrorDetail(error), text);
  }
  const check = validateLogEntryReference(value);
  return check.ok ? accept(check.entry, NO_META) : reject(check.reason, check.detail, text);
}

// ---- arbitraries -------------------------------------------------------------------------

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Mostly well-formed timestamps with every field pushed past its range now and then. */
const oddTimestamp = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 1900, 2000, 2024, 2100)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    sep: fc.constantFrom('T', 't', ' ', 'x'),
    fraction: fc.constantFrom('', '.', '.1', '.123', '.123456789', '.5a'),
    zone: fc.constantFrom('Z', 'z', '', '+02:00', '-05:30', '+23:59', '-24:00', '+00:60', '+0200', 'Z ', '+2:00', 'ZZ', '+02:00Z'),
  })
  .map((t) => `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.sep}${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction}${t.zone}`);
const isoTimestamp = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
/** Edits one character of a valid timestamp: wrong digits, separators, truncation, garbage. */
const mangledTimestamp = fc
  .tuple(isoTimestamp, fc.nat(), fc.constantFrom('', '0', '9', '-', ':', 'T', ' ', '.', 'Z', '+', '١', 'a', '\n'))
  .map(([ts, at, ch]) => {
    const i = at % (ts.length + 1);
    return ts.slice(0, i) + ch + ts.slice(i + 1);
  });
const anyTimestamp = fc.oneof(isoTimestamp, oddTimestamp, mangledTimestamp);

const word = fc.string({ unit: fc.constantFrom(...'abcxyz_-/.%2F019'.split('')), minLength: 1, maxLength: 10 });
const labelMap = fc.dictionary(word, fc.string({ maxLength: 8 }), { maxKeys: 4 });
const int64 = fc.oneof(fc.integer({ min: -1e6, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }).map(String));

/** Keys in a random order (JSON key order must never change a verdict or, where it matters, the output). */
function shuffled<T extends Record<string, unknown>>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(arb, fc.array(fc.nat(), { minLength: 32, maxLength: 32 })).map(([obj, order]) => {
    const keys = Object.keys(obj);
    const ranked = keys.map((key, i) => ({ key, rank: order[i] ?? 0 })).sort((a, b) => a.rank - b.rank);
    return Object.fromEntries(ranked.map(({ key }) => [key, obj[key]])) as T;
  });
}

const extras = fc.dictionary(fc.constantFrom('errorGroups', 'apphub', 'x', 'data', '0', '12', 'constructor', 'toString'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 });

const httpRequest = shuffled(
  fc
    .record(
      {
        requestMethod: fc.constantFrom('GET', 'POST'),
        requestUrl: fc.webUrl(),
        requestSize: int64,
        status: fc.oneof(fc.constantFrom(200, 503, 0), fc.constantFrom('503', '-0', '0042', '99999999999999999999')),
        responseSize: int64,
        userAgent: fc.string({ maxLength: 10 }),
        remoteIp: fc.ipV4(),
        latency: fc.constantFrom('0.003s', '1s'),
        cacheHit: fc.boolean(),
        cacheFillBytes: int64,
        protocol: fc.constantFrom('HTTP/1.1', 'HTTP/2'),
      },
      { requiredKeys: [] },
    )
    .chain((r) => extras.map((e) => ({ ...e, ...r }))),
);

const protoPayload = shuffled(
  fc
    .record(
      {
        '@type': fc.constant('type.googleapis.com/google.cloud.audit.AuditLog'),
        status: shuffled(fc.record({ code: fc.integer({ min: 0, max: 16 }), message: fc.string({ maxLength: 20 }), details: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] })),
        serviceName: fc.constant('run.googleapis.com'),
        methodName: fc.constant('/Services.ReplaceService'),
        resourceName: word,
        response: fc.jsonValue({ maxDepth: 2 }),
        authenticationInfo: fc.record({ principalEmail: fc.emailAddress() }),
      },
      { requiredKeys: [] },
    )
    .chain((r) => extras.map((e) => ({ ...e, ...r }))),
);

const jsonPayload = fc.dictionary(fc.oneof(word, fc.constantFrom('message', 'msg', 'stack_trace', 'exception', '1', 'constructor')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });

const payload = fc.oneof(
  fc.record({ textPayload: fc.string({ maxLength: 40 }) }),
  fc.record({ jsonPayload }),
  fc.record({ protoPayload }),
  fc.record({ httpRequest }),
  fc.record({ textPayload: fc.string({ maxLength: 10 }), httpRequest }),
  fc.record({ protoPayload, httpRequest }),
);

const validSeverity = fc.oneof(
  fc.constantFrom(...LOG_SEVERITIES),
  fc.constantFrom(...LOG_SEVERITIES).map((s) => s.toLowerCase()),
  fc.constantFrom('Error', 'wArNiNg'),
);

/** A LogEntry as Cloud Logging writes it, in any key order, with optional fields present or not. */
const validEntry = shuffled(
  fc
    .tuple(
      fc.record(
        {
          logName: word.map((w) => `projects/acme-prod/logs/${w}`),
          resource: shuffled(fc.record({ type: fc.constantFrom('cloud_run_revision', 'k8s_container', 'gce_instance'), labels: labelMap }, { requiredKeys: ['type'] })),
          timestamp: isoTimestamp,
          receiveTimestamp: isoTimestamp,
          severity: validSeverity,
          insertId: word,
          labels: labelMap,
          operation: fc.record({ id: word, producer: word, first: fc.boolean(), last: fc.boolean() }, { requiredKeys: [] }),
          trace: word,
          spanId: word,
          traceSampled: fc.boolean(),
          sourceLocation: fc.record({ file: word, line: int64, function: word }, { requiredKeys: [] }),
          split: fc.record({ uid: word, index: fc.nat(9), totalSplits: fc.nat(9) }, { requiredKeys: [] }),
        },
        { requiredKeys: ['logName', 'resource', 'timestamp'] },
      ),
      payload,
      extras,
    )
    .map(([fields, p, e]) => ({ ...e, ...fields, ...p }) as Record<string, unknown>),
);

/** Values that are wrong somewhere: wrong types, empties, null, out-of-range numbers, arrays. */
const weird = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -0, 1, 1.5, -1, 1e21, 2 ** 53, '', ' ', 'x', '12', '-7', '1.5', true, false, [], {}, [1], { a: 1 }, 'ERROR', 'warn', 450, 900, 'DELETE'),
  anyTimestamp,
  fc.jsonValue({ maxDepth: 1 }),
);

const PATHS = [
  'logName', 'resource', 'resource.type', 'resource.labels', 'resource.labels.k', 'timestamp', 'receiveTimestamp', 'severity', 'insertId',
  'httpRequest', 'httpRequest.status', 'httpRequest.requestSize', 'httpRequest.cacheHit', 'httpRequest.latency', 'labels', 'labels.k',
  'operation', 'operation.first', 'operation.id', 'trace', 'spanId', 'traceSampled', 'sourceLocation', 'sourceLocation.line', 'split', 'split.index',
  'textPayload', 'jsonPayload', 'jsonPayload.message', 'protoPayload', 'protoPayload.status', 'protoPayload.status.code', 'protoPayload.status.message',
  'protoPayload.@type', 'protoPayload.serviceName',
];
const PROTO_MARK = '__proto_mark__';

type Mutation = { path: string; to: unknown } | { path: string; remove: true } | { path: string; proto: true };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ path: fc.constantFrom(...PATHS), to: weird }) },
  { weight: 2, arbitrary: fc.record({ path: fc.constantFrom(...PATHS), remove: fc.constant(true as const) }) },
  { weight: 1, arbitrary: fc.record({ path: fc.constantFrom('', 'resource', 'resource.labels', 'labels', 'jsonPayload', 'httpRequest', 'protoPayload', 'protoPayload.status'), proto: fc.constant(true as const) }) },
);

function mutate(entry: Record<string, unknown>, m: Mutation): void {
  const keys = m.path === '' ? [] : m.path.split('.');
  let node: Record<string, unknown> = entry;
  const last = 'proto' in m ? PROTO_MARK : keys.pop();
  for (const key of keys) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (last === undefined) return;
  if ('remove' in m) delete node[last];
  // a copy: constants are shared between runs, and a later mutation may write into this one
  else node[last] = 'to' in m ? structuredClone(m.to) : { polluted: true };
}

/** JSON text of an entry, with the marker key turned into a real `"__proto__"` key. */
const toText = (value: unknown) => JSON.stringify(value).replaceAll(`"${PROTO_MARK}"`, '"__proto__"');

const invalidText = fc.tuple(validEntry, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([entry, ms]) => {
  const copy = structuredClone(entry);
  for (const m of ms) mutate(copy, m);
  return toText(copy);
});

// ---- the comparison -----------------------------------------------------------------------

function expectSameCheck(text: string): EntryCheck {
  const value = JSON.parse(text) as unknown;
  const fast = validateParsedLogEntry(value);
  // the input is never modified, even when the output had to differ from it
  expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(text)));
  // the same value for both: toStrictEqual compares `constructor`, which an entry may have as a key
  const reference = validateLogEntryReference(value);
  expect(fast).toStrictEqual(reference);
  if (fast.ok && reference.ok) {
    // what downstream serialises (event ids, fallback text) comes out byte for byte the same
    for (const key of ['httpRequest', 'protoPayload', 'jsonPayload', 'labels'] as const) {
      expect(JSON.stringify(fast.entry[key])).toBe(JSON.stringify(reference.entry[key]));
    }
  }
  return fast;
}

/** Each side parsed its own text, so values are equal but not identical: toEqual, plus byte order. */
function expectSameResult(actual: DecodeResult, reference: DecodeResult): void {
  expect(actual).toEqual(reference);
  if (actual.kind === 'accepted' && reference.kind === 'accepted') {
    for (const key of ['httpRequest', 'protoPayload', 'jsonPayload', 'labels'] as const) {
      expect(JSON.stringify(actual.entry[key])).toBe(JSON.stringify(reference.entry[key]));
    }
  }
}

/** FAST_PATH_SCALE=50 for a long hunt; the default keeps the suite quick on a loaded machine. */
const SCALE = Number(process.env.FAST_PATH_SCALE ?? 1) || 1;
const RUNS = { numRuns: 1000 * SCALE };
const SLOW = 120_000 * SCALE;

describe('isRfc3339 (char codes) agrees with the regex it replaced', () => {
  it('on well-formed, out-of-range and mangled timestamps', () => {
    fc.assert(fc.property(anyTimestamp, (ts) => isRfc3339(ts) === isRfc3339Reference(ts)), { numRuns: 10_000 * SCALE });
  });

  it('on short strings over its alphabet and on anything', () => {
    const alphabet = fc.string({ unit: fc.constantFrom(...'0123456789-:.TtZz+ '.split('')), maxLength: 40 });
    fc.assert(fc.property(fc.oneof(alphabet, fc.string(), fc.anything()), (v) => isRfc3339(v) === isRfc3339Reference(v)), { numRuns: 10_000 * SCALE });
  });
});

describe('validateParsedLogEntry agrees with validateLogEntryReference', () => {
  it('on valid entries, which the fast path itself accepts', () => {
    fc.assert(
      fc.property(validEntry, (entry) => {
        const text = toText(entry);
        expect(expectSameCheck(text).ok).toBe(true);
        // accepted without zod, and without a copy unless zod changes something
        const value = JSON.parse(text) as Record<string, unknown>;
        const fast = fastLogEntry(value);
        expect(fast).toBeDefined();
        const same = value.severity === undefined || value.severity === String(value.severity).toUpperCase();
        if (same && value.httpRequest === undefined && value.protoPayload === undefined) expect(fast).toBe(value);
      }),
      RUNS,
    );
  }, SLOW);

  it('on mutated entries: wrong types, missing fields, nulls, extra payloads, odd timestamps, __proto__ keys', () => {
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(invalidText, (text) => {
        const check = expectSameCheck(text);
        const key = check.ok ? 'accepted' : check.reason;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }),
      { numRuns: 4000 * SCALE },
    );
    // the mutations reach every reason, and some still leave a valid entry
    const reached = ['ENTRY.BAD_FIELD_TYPE', 'ENTRY.BAD_PAYLOAD_TYPE', 'ENTRY.BAD_TIMESTAMP', 'ENTRY.MISSING_FIELD', 'ENTRY.NO_PAYLOAD', 'ENTRY.PAYLOAD_CONFLICT', 'accepted'];
    expect([...reasons.keys()].sort()).toEqual(reached);
  }, SLOW);

  it('on any JSON value and on the fixtures', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => void expectSameCheck(JSON.stringify(v))), RUNS);
    for (const entry of Object.values(ALL_ENTRIES)) expect(expectSameCheck(JSON.stringify(entry)).ok).toBe(true);
    for (const text of ['null', '[]', '"x"', '1', '{}', '{"__proto__":{"logName":"l"}}']) expectSameCheck(text);
  });

  it('on the benchmark corpus, all on the fast path', () => {
    for (const text of generateNdjson(2000, 7)) {
      expectSameCheck(text);
      const value = JSON.parse(text) as unknown;
      expect(fastLogEntry(value)).toBe(value);
    }
  });
});

describe('decodeRecord(text, entry) agrees with the pipeline it replaced', () => {
  const wrap = fc.tuple(fc.constantFrom('', '\uFEFF', ' ', '\r', '\n', '\t', '\u00A0', '\u2028', '\uFEFF\uFEFF', '\uFEFF '), fc.constantFrom('', ' ', '\r', '\r\n', '\u00A0', '\uFEFF', '\u3000'));
  const body = fc.oneof(validEntry.map(toText), invalidText, fc.jsonValue().map((v) => JSON.stringify(v)), fc.constantFrom('', ' ', '{', '{"a":', 'nul'));

  it('on wrapped records', () => {
    fc.assert(
      fc.property(body, wrap, (text, [before, after]) => {
        const record = before + text + after;
        expectSameResult(decodeRecord(record, 'entry'), decodeEntryRecordReference(record));
      }),
      RUNS,
    );
  }, SLOW);

  it('at the size bound, for 1-, 2-, 3- and 4-byte characters', () => {
    const entry = JSON.stringify({ logName: 'l', resource: { type: 't' }, timestamp: '2026-03-01T10:00:00Z', textPayload: '' });
    const prefix = entry.slice(0, -2); // up to the opening quote of the empty textPayload
    for (const ch of ['a', 'é', '€', '😀']) {
      const bytes = Buffer.byteLength(ch);
      const room = Math.floor((MAX_RECORD_BYTES - Buffer.byteLength(prefix) - 2) / bytes);
      for (const n of [room - 1, room, room + 1]) {
        const record = `${prefix}${ch.repeat(n)}"}`;
        const result = decodeRecord(record, 'entry');
        expectSameResult(result, decodeEntryRecordReference(record));
        expect(result.kind).toBe(n > room ? 'rejected' : 'accepted');
      }
    }
    // lone surrogates count as 3 bytes (U+FFFD)
    const lone = `"${'\uD800'.repeat(Math.ceil(MAX_RECORD_BYTES / 3))}"`;
    expectSameResult(decodeRecord(lone, 'entry'), decodeEntryRecordReference(lone));
  });
});
