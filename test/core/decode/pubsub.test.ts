import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeCloudEvent, decodePubsubMessage, type DecodeResult } from '../../../functions/core/decode/index.js';
import {
  BINARY_HEADERS,
  SNAKE_MESSAGE_ID,
  auditLog,
  base64,
  cloudRunText,
  gkeContainer,
  pushBody,
  sinkMessage,
  snakeMessage,
  structuredEvent,
} from './fixtures.js';

function rejected(result: DecodeResult) {
  if (result.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result;
}

const MESSAGE_CASES: [string, unknown, string][] = [
  ['not an object', 'hello', 'MESSAGE.NOT_OBJECT'],
  ['an array', [sinkMessage(cloudRunText)], 'MESSAGE.NOT_OBJECT'],
  ['no data', { messageId: '1', attributes: {} }, 'MESSAGE.MISSING_DATA'],
  ['data a number', { data: 7 }, 'MESSAGE.BAD_FIELD_TYPE'],
  ['messageId a number', { ...sinkMessage(cloudRunText), messageId: 7 }, 'MESSAGE.BAD_FIELD_TYPE'],
  ['publish_time not RFC 3339', { ...snakeMessage(cloudRunText), publish_time: 'Sun 1 Mar' }, 'MESSAGE.BAD_FIELD_TYPE'],
  ['attributes not strings', { ...sinkMessage(cloudRunText), attributes: { n: 1 } }, 'MESSAGE.BAD_FIELD_TYPE'],
  ['bad base64', sinkMessage(cloudRunText, 'eyJ#'), 'PAYLOAD.BAD_BASE64'],
  ['empty data', sinkMessage(cloudRunText, ''), 'PAYLOAD.EMPTY'],
  ['whitespace data', sinkMessage(cloudRunText, base64(' \n ')), 'PAYLOAD.EMPTY'],
  ['invalid UTF-8', sinkMessage(cloudRunText, Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]).toString('base64')), 'PAYLOAD.BAD_UTF8'],
  ['truncated JSON', sinkMessage(cloudRunText, base64(JSON.stringify(cloudRunText).slice(0, 50))), 'INPUT.BAD_JSON'],
  ['an invalid entry', sinkMessage({ ...cloudRunText, jsonPayload: {} }), 'ENTRY.PAYLOAD_CONFLICT'],
  ['a null entry', sinkMessage(null), 'ENTRY.NOT_OBJECT'],
  ['data too large', sinkMessage(cloudRunText, 'A'.repeat(1_500_000)), 'INPUT.TOO_LARGE'],
];

const message = sinkMessage(cloudRunText);

const EVENT_CASES: [string, unknown, Record<string, string> | undefined, string][] = [
  ['a null body', null, undefined, 'EVENT.NOT_OBJECT'],
  ['a list body', [message], undefined, 'EVENT.NOT_OBJECT'],
  ['a JSON string body', '"hello"', undefined, 'EVENT.NOT_OBJECT'],
  ['a structured event of another type', structuredEvent(message, 'google.cloud.storage.object.v1.finalized'), undefined, 'EVENT.BAD_TYPE'],
  ['a structured event without type', { ...structuredEvent(message), type: undefined }, undefined, 'EVENT.BAD_TYPE'],
  ['a binary event of another type', pushBody(message), { ...BINARY_HEADERS, 'ce-type': 'google.cloud.audit.log.v1.written' }, 'EVENT.BAD_TYPE'],
  ['a structured event without data', { ...structuredEvent(message), data: undefined }, undefined, 'EVENT.MISSING_MESSAGE'],
  ['a binary event without message', { subscription: 's' }, BINARY_HEADERS, 'EVENT.MISSING_MESSAGE'],
  ['a push body without message', { subscription: 's' }, undefined, 'EVENT.MISSING_MESSAGE'],
  ['a message that is a string', pushBody('hi'), undefined, 'MESSAGE.NOT_OBJECT'],
  ['a message without data', pushBody({ messageId: '1' }), undefined, 'MESSAGE.MISSING_DATA'],
  ['bad base64 in an event', structuredEvent(sinkMessage(cloudRunText, 'QUJD\u00e9')), undefined, 'PAYLOAD.BAD_BASE64'],
  ['an invalid entry in an event', structuredEvent(sinkMessage({ ...cloudRunText, resource: {} })), undefined, 'ENTRY.MISSING_FIELD'],
];

describe('decodePubsubMessage', () => {
  it('decodes a sink message', () => {
    const result = decodePubsubMessage(sinkMessage(cloudRunText));
    expect(result).toMatchObject({ kind: 'accepted', messageId: '11862927329284566', publishTime: '2026-03-01T10:00:01.512Z' });
    if (result.kind === 'accepted') expect(result.entry.textPayload).toBe(cloudRunText.textPayload);
  });

  it('reads snake_case ids and prefers camelCase when both are present', () => {
    expect(decodePubsubMessage(snakeMessage(gkeContainer))).toMatchObject({ kind: 'accepted', messageId: SNAKE_MESSAGE_ID, publishTime: '2026-03-01T10:00:01.9Z' });
    const both = { ...sinkMessage(gkeContainer), message_id: 'other', publish_time: '2020-01-01T00:00:00Z' };
    expect(decodePubsubMessage(both)).toMatchObject({ messageId: '11862927329284566', publishTime: '2026-03-01T10:00:01.512Z' });
  });

  it('accepts URL-safe and unpadded data', () => {
    const json = JSON.stringify(auditLog);
    expect(decodePubsubMessage(sinkMessage(auditLog, Buffer.from(json).toString('base64url'))).kind).toBe('accepted');
  });


  it.each(MESSAGE_CASES)('rejects %s', (_name, value, reason) => {
    expect(rejected(decodePubsubMessage(value)).reason).toBe(reason);
  });

  it('keeps the message as raw until the data decodes, then the decoded entry', () => {
    const badBase64 = sinkMessage(cloudRunText, 'eyJ#');
    expect(rejected(decodePubsubMessage(badBase64))).toMatchObject({ raw: JSON.stringify(badBase64), messageId: '11862927329284566' });
    const entryText = JSON.stringify({ ...cloudRunText, timestamp: 'now' });
    const badEntry = rejected(decodePubsubMessage(sinkMessage(null, base64(entryText))));
    expect(badEntry).toMatchObject({ reason: 'ENTRY.BAD_TIMESTAMP', raw: entryText, publishTime: '2026-03-01T10:00:01.512Z' });
  });

  it('truncates the stored raw of an oversized message', () => {
    const result = rejected(decodePubsubMessage(sinkMessage(cloudRunText, 'A'.repeat(1_500_000))));
    expect(result.raw.length).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('decodeCloudEvent', () => {
  it('decodes a structured CloudEvent', () => {
    expect(decodeCloudEvent(structuredEvent(message))).toMatchObject({ kind: 'accepted', messageId: '11862927329284566' });
  });

  it('decodes a binary CloudEvent, header names in any case', () => {
    expect(decodeCloudEvent(pushBody(message), BINARY_HEADERS).kind).toBe('accepted');
    const upper = Object.fromEntries(Object.entries(BINARY_HEADERS).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(decodeCloudEvent(pushBody(snakeMessage(gkeContainer)), upper)).toMatchObject({ kind: 'accepted', messageId: SNAKE_MESSAGE_ID });
  });

  it('decodes a raw push body with both spellings', () => {
    const both = { ...message, message_id: message.messageId, publish_time: message.publishTime };
    expect(decodeCloudEvent(pushBody(both))).toMatchObject({ kind: 'accepted', publishTime: '2026-03-01T10:00:01.512Z' });
  });

  it('decodes a body that arrives as text or bytes', () => {
    const text = JSON.stringify(structuredEvent(message));
    expect(decodeCloudEvent(text).kind).toBe('accepted');
    expect(decodeCloudEvent(Buffer.from(text), {}).kind).toBe('accepted');
    expect(rejected(decodeCloudEvent('{"message":')).reason).toBe('INPUT.BAD_JSON');
    expect(rejected(decodeCloudEvent(Uint8Array.from([0xff, 0xfe]))).reason).toBe('INPUT.BAD_JSON');
  });

  it('fills ids from the event when the message has none', () => {
    const bare = { data: message.data };
    expect(decodeCloudEvent(pushBody(bare), BINARY_HEADERS)).toMatchObject({ messageId: '11862927329284566', publishTime: '2026-03-01T10:00:01.512Z' });
  });


  it.each(EVENT_CASES)('rejects %s', (_name, body, headers, reason) => {
    expect(rejected(decodeCloudEvent(body, headers)).reason).toBe(reason);
  });

  it('stores the whole event until the payload decodes', () => {
    const event = structuredEvent(sinkMessage(cloudRunText, 'QQ=?'));
    expect(rejected(decodeCloudEvent(event))).toMatchObject({ reason: 'PAYLOAD.BAD_BASE64', raw: JSON.stringify(event), messageId: '11862927329284566' });
    const text = JSON.stringify(event);
    expect(rejected(decodeCloudEvent(text)).raw).toBe(text);
  });
});
