import { describe, expect, it } from 'vitest';
import { decodeLogEntry, isRfc3339, toSeverityName, type DecodeResult } from '../../../functions/core/decode/index.js';
import { ALL_ENTRIES, auditLog, cloudRunText, requestLog, structuredJson } from './fixtures.js';

function rejected(result: DecodeResult) {
  if (result.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result;
}

function accepted(result: DecodeResult) {
  if (result.kind !== 'accepted') throw new Error(`expected acceptance, got ${result.reason}: ${result.detail}`);
  return result;
}

const base = { logName: 'projects/p/logs/stdout', resource: { type: 'cloud_run_revision' }, timestamp: '2026-03-01T10:00:00Z', textPayload: 'x' };

const INVALID_CASES: [string, unknown, string, string?][] = [
  ['null', null, 'ENTRY.NOT_OBJECT', 'null'],
  ['a list', [base], 'ENTRY.NOT_OBJECT', 'array'],
  ['a string', 'Container failed to start', 'ENTRY.NOT_OBJECT', 'string'],
  ['a number', 42, 'ENTRY.NOT_OBJECT'],
  ['no resource', { ...base, resource: undefined }, 'ENTRY.MISSING_FIELD', 'missing field resource'],
  ['no resource.type', { ...base, resource: { labels: {} } }, 'ENTRY.MISSING_FIELD', 'missing field resource.type'],
  ['empty resource.type', { ...base, resource: { type: '' } }, 'ENTRY.MISSING_FIELD', 'resource.type'],
  ['no logName', { ...base, logName: undefined }, 'ENTRY.MISSING_FIELD', 'missing field logName'],
  ['no timestamp', { ...base, timestamp: undefined }, 'ENTRY.MISSING_FIELD', 'missing field timestamp'],
  ['resource a string', { ...base, resource: 'cloud_run_revision' }, 'ENTRY.BAD_FIELD_TYPE', 'resource'],
  ['resource.type a number', { ...base, resource: { type: 7 } }, 'ENTRY.BAD_FIELD_TYPE', 'resource.type'],
  ['resource labels not strings', { ...base, resource: { type: 't', labels: { a: 1 } } }, 'ENTRY.BAD_FIELD_TYPE', 'resource.labels.a'],
  ['insertId a number', { ...base, insertId: 12 }, 'ENTRY.BAD_FIELD_TYPE', 'insertId'],
  ['labels a list', { ...base, labels: ['a'] }, 'ENTRY.BAD_FIELD_TYPE', 'labels'],
  ['labels with a number', { ...base, labels: { a: 'x', b: 2 } }, 'ENTRY.BAD_FIELD_TYPE', 'labels.b'],
  ['logName a number', { ...base, logName: 3 }, 'ENTRY.BAD_FIELD_TYPE', 'logName'],
  ['httpRequest a string', { ...base, httpRequest: 'GET /' }, 'ENTRY.BAD_FIELD_TYPE', 'httpRequest'],
  ['httpRequest.status a word', { ...base, httpRequest: { status: 'ok' } }, 'ENTRY.BAD_FIELD_TYPE', 'httpRequest.status'],
  ['traceSampled a string', { ...base, traceSampled: 'true' }, 'ENTRY.BAD_FIELD_TYPE', 'traceSampled'],
  ['textPayload a number', { ...base, textPayload: 5 }, 'ENTRY.BAD_PAYLOAD_TYPE', 'textPayload'],
  ['textPayload null', { ...base, textPayload: null }, 'ENTRY.BAD_PAYLOAD_TYPE', 'textPayload'],
  ['jsonPayload a string', { ...base, textPayload: undefined, jsonPayload: '{"a":1}' }, 'ENTRY.BAD_PAYLOAD_TYPE', 'jsonPayload'],
  ['jsonPayload a list', { ...base, textPayload: undefined, jsonPayload: [1] }, 'ENTRY.BAD_PAYLOAD_TYPE', 'jsonPayload'],
  ['protoPayload a string', { ...base, textPayload: undefined, protoPayload: 'x' }, 'ENTRY.BAD_PAYLOAD_TYPE', 'protoPayload'],
  ['text and json', { ...base, jsonPayload: { message: 'x' } }, 'ENTRY.PAYLOAD_CONFLICT', 'textPayload and jsonPayload'],
  ['json and proto', { ...base, textPayload: undefined, jsonPayload: {}, protoPayload: {} }, 'ENTRY.PAYLOAD_CONFLICT', 'jsonPayload and protoPayload'],
  ['no payload', { ...base, textPayload: undefined }, 'ENTRY.NO_PAYLOAD'],
];

describe('decodeLogEntry: real entries', () => {
  it.each(Object.entries(ALL_ENTRIES))('accepts %s', (_name, entry) => {
    const result = accepted(decodeLogEntry(entry));
    expect(result.messageId).toBeNull();
    expect(result.publishTime).toBeNull();
    expect(result.entry.logName).toBe(entry.logName);
  });

  it('keeps fields it does not know', () => {
    const entry = accepted(decodeLogEntry({ ...cloudRunText, errorGroups: [{ id: 'COj' }], apphub: { application: {} } })).entry;
    expect(entry.errorGroups).toEqual([{ id: 'COj' }]);
    expect(entry.resource.labels?.service_name).toBe('orders-api');
  });

  it('types the audit status message and the request log', () => {
    expect(accepted(decodeLogEntry(auditLog)).entry.protoPayload?.status?.message).toMatch(/failed to start and listen/);
    expect(accepted(decodeLogEntry(requestLog)).entry.httpRequest?.status).toBe(503);
    expect(accepted(decodeLogEntry(structuredJson)).entry.jsonPayload?.phase).toBe(3);
  });
});

describe('decodeLogEntry: severity', () => {
  it.each([
    ['ERROR', 'ERROR'],
    ['warning', 'WARNING'],
    ['Emergency', 'EMERGENCY'],
  ])('normalises %s to %s', (given, expected) => {
    expect(accepted(decodeLogEntry({ ...base, severity: given })).entry.severity).toBe(expected);
  });

  // a number is a severity of the wrong type (taxonomy, invalid input), proto3's enum numbers too
  it.each([['WARN'], [0], [500], [450], [900], [-100], [true], [null], [{}]])('rejects %s', (given) => {
    expect(rejected(decodeLogEntry({ ...base, severity: given })).reason).toBe('ENTRY.BAD_FIELD_TYPE');
  });

  it('maps names and numbers', () => {
    expect(toSeverityName('notice')).toBe('NOTICE');
    expect(toSeverityName(100)).toBeNull();
    expect(toSeverityName(1.5)).toBeNull();
  });
});

describe('RFC 3339 timestamps', () => {
  it.each([
    '2026-03-01T10:00:00Z',
    '2026-03-01T10:00:00.123456789Z',
    '2026-03-01T10:00:00.1Z',
    '2026-03-01T10:00:00+02:00',
    '2026-03-01T10:00:00.5-05:30',
    '2026-03-01t10:00:00z',
    '2024-02-29T00:00:00Z',
    '2016-12-31T23:59:60Z',
  ])('accepts %s', (ts) => {
    expect(isRfc3339(ts)).toBe(true);
    expect(decodeLogEntry({ ...base, timestamp: ts }).kind).toBe('accepted');
  });

  it.each([
    '2026-03-01 10:00:00Z',
    '2026-03-01T10:00:00',
    '2026-03-01',
    '2026-03-01T10:00Z',
    '2026-03-01T10:00:00.Z',
    '2026-03-01T10:00:00+0200',
    '2026-13-01T10:00:00Z',
    '2025-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T10:00:00+24:00',
    '0000-01-01T00:00:00Z',
    '1772359200',
    ' 2026-03-01T10:00:00Z',
  ])('rejects %s', (ts) => {
    expect(isRfc3339(ts)).toBe(false);
    const result = rejected(decodeLogEntry({ ...base, timestamp: ts }));
    expect(result.reason).toBe('ENTRY.BAD_TIMESTAMP');
    expect(result.detail).toContain('timestamp');
  });

  it('rejects a numeric timestamp and a bad receiveTimestamp', () => {
    expect(rejected(decodeLogEntry({ ...base, timestamp: 1772359200 })).reason).toBe('ENTRY.BAD_TIMESTAMP');
    expect(rejected(decodeLogEntry({ ...base, receiveTimestamp: 'yesterday' })).reason).toBe('ENTRY.BAD_TIMESTAMP');
  });
});

describe('decodeLogEntry: the taxonomy invalid rules', () => {

  it.each(INVALID_CASES)('%s', (_name, value, reason, detail) => {
    const result = rejected(decodeLogEntry(value));
    expect(result.reason).toBe(reason);
    if (detail !== undefined) expect(result.detail).toContain(detail);
    expect(result.raw).toBe(JSON.stringify(value));
  });

  it('is invalid even when the text is recognisable', () => {
    const { timestamp: _ts, ...noTimestamp } = cloudRunText;
    expect(rejected(decodeLogEntry(noTimestamp)).reason).toBe('ENTRY.MISSING_FIELD');
  });

  it('accepts an httpRequest without payload and an empty textPayload', () => {
    expect(decodeLogEntry({ ...base, textPayload: undefined, httpRequest: {} }).kind).toBe('accepted');
    expect(decodeLogEntry({ ...base, textPayload: '' }).kind).toBe('accepted');
  });
});

describe('decodeLogEntry: precedence when several problems exist', () => {
  it('follows the taxonomy order', () => {
    const everything = { resource: { type: 1 }, timestamp: 'now', severity: 'LOUD', textPayload: 1, jsonPayload: {} };
    expect(rejected(decodeLogEntry(everything)).reason).toBe('ENTRY.MISSING_FIELD');
    const typed = { ...everything, logName: 'l' };
    expect(rejected(decodeLogEntry(typed)).reason).toBe('ENTRY.BAD_TIMESTAMP');
    const timed = { ...typed, timestamp: '2026-03-01T10:00:00Z' };
    expect(rejected(decodeLogEntry(timed)).reason).toBe('ENTRY.BAD_FIELD_TYPE');
    const fielded = { ...timed, resource: { type: 't' }, severity: 'INFO' };
    expect(rejected(decodeLogEntry(fielded)).reason).toBe('ENTRY.BAD_PAYLOAD_TYPE');
    const payloaded = { ...fielded, textPayload: 'x' };
    expect(rejected(decodeLogEntry(payloaded)).reason).toBe('ENTRY.PAYLOAD_CONFLICT');
  });

  it('names the first field in schema order, whatever the key order', () => {
    const a = { ...base, insertId: 1, severity: 'LOUD', labels: { z: 1, a: 2 } };
    const b = { labels: { a: 2, z: 1 }, insertId: 1, severity: 'LOUD', ...base };
    const ra = rejected(decodeLogEntry(a));
    const rb = rejected(decodeLogEntry(b));
    expect(ra.detail).toMatch(/^severity/);
    expect(rb.detail).toBe(ra.detail);
    const labelsOnly = rejected(decodeLogEntry({ ...base, labels: { z: 1, a: 2 } }));
    expect(labelsOnly.detail).toMatch(/^labels\.a/);
  });

  it('reports missing logName before missing timestamp', () => {
    expect(rejected(decodeLogEntry({ resource: { type: 't' }, textPayload: 'x' })).detail).toBe('missing field logName');
  });
});
