import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { REASON_CODES, type ReasonCode } from '../../../functions/core/taxonomy.js';
import { MAX_RECORD_BYTES, decodeRecord, detectFormat, type DecodeResult, type RecordFormat } from '../../../functions/core/decode/index.js';
import { auditLog, cloudFunction, cloudRunText, pushBody, requestLog, sinkMessage, snakeMessage, structuredEvent } from './fixtures.js';

function reasonOf(result: DecodeResult): ReasonCode | 'accepted' {
  return result.kind === 'accepted' ? 'accepted' : result.reason;
}

const REACHABLE: [ReasonCode, () => DecodeResult][] = [
  ['INPUT.EMPTY', () => decodeRecord('  ')],
  ['INPUT.BAD_JSON', () => decodeRecord('{"logName": "x",')],
  ['INPUT.TOO_LARGE', () => decodeRecord(`"${'a'.repeat(MAX_RECORD_BYTES)}"`)],
  ['ENTRY.NOT_OBJECT', () => decodeRecord('null')],
  ['ENTRY.MISSING_FIELD', () => decodeRecord(JSON.stringify({ ...cloudRunText, logName: undefined }))],
  ['ENTRY.BAD_TIMESTAMP', () => decodeRecord(JSON.stringify({ ...cloudRunText, timestamp: '2026-03-01 10:00:00' }))],
  ['ENTRY.BAD_FIELD_TYPE', () => decodeRecord(JSON.stringify({ ...cloudRunText, insertId: 5 }))],
  ['ENTRY.PAYLOAD_CONFLICT', () => decodeRecord(JSON.stringify({ ...cloudRunText, protoPayload: {} }))],
  ['ENTRY.NO_PAYLOAD', () => decodeRecord(JSON.stringify({ ...cloudRunText, textPayload: undefined }))],
  ['ENTRY.BAD_PAYLOAD_TYPE', () => decodeRecord(JSON.stringify({ ...cloudRunText, textPayload: ['a'] }))],
  ['MESSAGE.NOT_OBJECT', () => decodeRecord('"x"', 'pubsub')],
  ['MESSAGE.MISSING_DATA', () => decodeRecord('{"messageId":"1"}')],
  ['MESSAGE.BAD_FIELD_TYPE', () => decodeRecord('{"data":"","attributes":[]}')],
  ['PAYLOAD.BAD_BASE64', () => decodeRecord('{"data":"e30%"}')],
  ['PAYLOAD.BAD_UTF8', () => decodeRecord(`{"data":"${Buffer.from([0xfe]).toString('base64')}"}`)],
  ['PAYLOAD.EMPTY', () => decodeRecord('{"data":""}')],
  ['EVENT.NOT_OBJECT', () => decodeRecord('[]', 'push')],
  ['EVENT.BAD_TYPE', () => decodeRecord(JSON.stringify(structuredEvent(sinkMessage(cloudRunText), 'other')))],
  ['EVENT.MISSING_MESSAGE', () => decodeRecord('{"subscription":"s"}')],
];

describe('decodeRecord: format detection', () => {
  it.each([
    ['an entry', cloudRunText, 'entry'],
    ['an entry with a data label', { ...requestLog, data: 'x' }, 'entry'],
    ['a sink message', sinkMessage(cloudRunText), 'pubsub'],
    ['a snake_case message', snakeMessage(cloudRunText), 'pubsub'],
    ['a push body', pushBody(sinkMessage(cloudRunText)), 'push'],
    ['a pull ReceivedMessage', { ackId: 'a', message: sinkMessage(cloudRunText) }, 'push'],
    ['a structured CloudEvent', structuredEvent(sinkMessage(cloudRunText)), 'push'],
    ['an app log line', { message: 'Listening on 8080', severity: 'INFO' }, 'entry'],
    ['a list', [cloudRunText], 'entry'],
  ])('reads %s as %s', (_name, value, expected) => {
    expect(detectFormat(value)).toBe(expected);
  });

  it.each([
    ['an entry', cloudRunText],
    ['a sink message', sinkMessage(auditLog)],
    ['a snake_case message', snakeMessage(cloudFunction)],
    ['a push body', pushBody(sinkMessage(requestLog))],
    ['a structured CloudEvent', structuredEvent(sinkMessage(cloudRunText))],
  ])('accepts %s in auto mode', (_name, value) => {
    expect(decodeRecord(JSON.stringify(value)).kind).toBe('accepted');
  });

  it('honours an explicit format', () => {
    const text = JSON.stringify(sinkMessage(cloudRunText));
    expect(reasonOf(decodeRecord(text, 'entry'))).toBe('ENTRY.MISSING_FIELD');
    expect(reasonOf(decodeRecord(text, 'push'))).toBe('EVENT.MISSING_MESSAGE');
    expect(reasonOf(decodeRecord(JSON.stringify(cloudRunText), 'pubsub'))).toBe('MESSAGE.MISSING_DATA');
    expect(reasonOf(decodeRecord(text, 'bogus' as RecordFormat))).toBe('accepted');
  });
});

describe('decodeRecord: text-level checks', () => {
  it('strips a BOM, CR and surrounding blanks but keeps the record as raw', () => {
    expect(decodeRecord(`\uFEFF  ${JSON.stringify(cloudRunText)}\r`).kind).toBe('accepted');
    const text = '{"logName": \r';
    expect(decodeRecord(text)).toMatchObject({ kind: 'rejected', reason: 'INPUT.BAD_JSON', raw: text });
  });

  it.each([[''], ['   '], ['\uFEFF'], ['\r']])('rejects %j as empty', (text) => {
    expect(reasonOf(decodeRecord(text))).toBe('INPUT.EMPTY');
  });

  it.each([['{"logName":'], ['garbage'], ['{"a":1}}'], ["{'a': 1}"], ['NaN']])('rejects %j as bad JSON', (text) => {
    expect(reasonOf(decodeRecord(text))).toBe('INPUT.BAD_JSON');
  });

  it('bounds the record size by UTF-8 bytes and truncates raw', () => {
    const big = JSON.stringify({ ...cloudRunText, textPayload: 'x'.repeat(MAX_RECORD_BYTES) });
    const result = decodeRecord(big);
    expect(result).toMatchObject({ kind: 'rejected', reason: 'INPUT.TOO_LARGE' });
    if (result.kind === 'rejected') expect(result.raw).toBe(big.slice(0, 64 * 1024));
    const multibyte = JSON.stringify({ ...cloudRunText, textPayload: 'é'.repeat(MAX_RECORD_BYTES / 2) });
    expect(multibyte.length).toBeLessThan(MAX_RECORD_BYTES);
    expect(reasonOf(decodeRecord(multibyte))).toBe('INPUT.TOO_LARGE');
    const fits = JSON.stringify({ ...cloudRunText, textPayload: 'x'.repeat(250 * 1024) });
    expect(decodeRecord(fits).kind).toBe('accepted');
  });
});

describe('every reason code is reachable', () => {

  it.each(REACHABLE)('%s', (reason, run) => {
    expect(reasonOf(run())).toBe(reason);
  });

  it('covers the whole list', () => {
    // STORE.* codes are given by the ingestion use case, not by decoding.
    const decodeCodes = REASON_CODES.filter((c) => !c.startsWith('STORE.'));
    expect(new Set(REACHABLE.map(([reason]) => reason))).toEqual(new Set(decodeCodes));
  });
});
