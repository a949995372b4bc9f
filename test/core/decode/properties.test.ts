import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../../functions/core/taxonomy.js';
import {
  RecordSplitter,
  decodeCloudEvent,
  decodeLogEntry,
  decodePubsubMessage,
  decodeRecord,
  decodeStrictBase64,
  type DecodeResult,
  type RecordFormat,
  type SplitMode,
} from '../../../functions/core/decode/index.js';
import { cloudRunText, sinkMessage } from './fixtures.js';

/** Exactly one well-formed result: a rejection always names a known reason and keeps text. */
function isOneResult(result: DecodeResult): boolean {
  if (result.kind === 'accepted') return typeof result.entry === 'object' && result.entry !== null;
  return (
    result.kind === 'rejected' &&
    (REASON_CODES as readonly string[]).includes(result.reason) &&
    typeof result.detail === 'string' &&
    result.detail.length > 0 &&
    typeof result.raw === 'string'
  );
}

const formats = fc.constantFrom<RecordFormat>('auto', 'entry', 'pubsub', 'push');
const jsonish = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ',', ':', ' ', '\n', '\r', 'a', '1', 'é', '\uFEFF') });
const base64ish = fc.string({ unit: fc.constantFrom(...'AQgw+/-_=*! \n'.split('')) });
const headers = fc.option(fc.dictionary(fc.constantFrom('ce-type', 'CE-ID', 'ce-time', 'x'), fc.oneof(fc.string(), fc.array(fc.string()))), { nil: undefined });

describe('decoders never throw and return exactly one result', () => {
  it('decodeRecord on arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), jsonish, fc.string({ unit: 'binary' })), formats, (text, format) => isOneResult(decodeRecord(text, format))));
  });

  it('decodeRecord on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), formats, (value, format) => isOneResult(decodeRecord(JSON.stringify(value) ?? '', format))));
  });

  it('decodeLogEntry, decodePubsubMessage and decodeCloudEvent on anything', () => {
    const anything = fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true });
    fc.assert(
      fc.property(anything, headers, (value, h) => {
        return isOneResult(decodeLogEntry(value)) && isOneResult(decodePubsubMessage(value)) && isOneResult(decodeCloudEvent(value, h));
      }),
    );
  });

  it('messages whose data is random bytes, base64-ish garbage or random JSON', () => {
    const data = fc.oneof(
      fc.uint8Array().map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.uint8Array().map((bytes) => Buffer.from(bytes).toString('base64url')),
      base64ish,
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64')),
    );
    fc.assert(
      fc.property(data, headers, (d, h) => {
        const message = sinkMessage(cloudRunText, d);
        return isOneResult(decodePubsubMessage(message)) && isOneResult(decodeCloudEvent({ message, subscription: 's' }, h));
      }),
    );
  });

  it('a real entry survives any Pub/Sub wrapping', () => {
    fc.assert(fc.property(fc.boolean(), (url) => {
      const json = Buffer.from(JSON.stringify(cloudRunText));
      return decodePubsubMessage(sinkMessage(cloudRunText, json.toString(url ? 'base64url' : 'base64'))).kind === 'accepted';
    }));
  });
});

describe('strict base64', () => {
  it('decodes every encoding of any bytes back to those bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom<'base64' | 'base64url'>('base64', 'base64url'), (bytes, encoding) => {
        const result = decodeStrictBase64(Buffer.from(bytes).toString(encoding));
        return result.ok && Buffer.from(result.bytes).equals(Buffer.from(bytes));
      }),
    );
  });

  it('accepts only canonical text: re-encoding what it decoded gives the input back', () => {
    fc.assert(
      fc.property(base64ish, (text) => {
        const result = decodeStrictBase64(text);
        if (!result.ok) return true;
        const std = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
        return Buffer.from(result.bytes).toString('base64').replace(/=+$/, '') === std;
      }),
      { numRuns: 500 },
    );
  });
});

function runSplitter(chunks: string[], mode: SplitMode): string[] {
  const splitter = new RecordSplitter(mode);
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
}

function cut(text: string, offsets: number[]): string[] {
  const points = [...new Set(offsets.map((o) => o % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(text.slice(start, p));
    start = p;
  }
  chunks.push(text.slice(start));
  return chunks;
}

const canonical = (value: unknown): string => JSON.stringify(value) ?? '';

describe('the splitter yields one record per element, whatever the chunking', () => {
  const elements = fc.array(fc.jsonValue(), { maxLength: 8 });
  const offsets = fc.array(fc.nat(), { maxLength: 12 });

  it('pretty-printed and compact arrays', () => {
    fc.assert(
      fc.property(elements, offsets, fc.constantFrom(0, 2, 4), fc.constantFrom<SplitMode>('auto', 'json-array'), (values, at, indent, mode) => {
        const text = JSON.stringify(values, null, indent);
        const records = runSplitter(cut(text, at), mode);
        expect(records.map((r) => canonical(JSON.parse(r)))).toEqual(values.map(canonical));
      }),
    );
  });

  it('NDJSON with CRLF or LF', () => {
    fc.assert(
      fc.property(elements, offsets, fc.constantFrom('\n', '\r\n'), (values, at, eol) => {
        const text = values.map((v) => JSON.stringify(v)).join(eol);
        const records = runSplitter(cut(text, at), 'ndjson');
        expect(records.map((r) => canonical(JSON.parse(r)))).toEqual(values.map(canonical));
      }),
    );
  });

  it('garbage gives the same records however it is chunked', () => {
    fc.assert(
      fc.property(jsonish, offsets, fc.constantFrom<SplitMode>('auto', 'ndjson', 'json-array'), (text, at, mode) => {
        expect(runSplitter(cut(text, at), mode)).toEqual(runSplitter([text], mode));
      }),
      { numRuns: 300 },
    );
  });
});
