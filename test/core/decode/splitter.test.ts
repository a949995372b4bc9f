import { describe, expect, it } from 'vitest';
import { RecordSplitter, decideMode, decodeRecord, splitRecords, type SplitMode } from '../../../functions/core/decode/index.js';
import { GCLOUD_ARRAY, chunkings, cloudFunction, cloudRunText, gkeContainer, sinkMessage } from './fixtures.js';

function run(chunks: string[], mode: SplitMode = 'auto', maxRecordLength?: number): string[] {
  const splitter = new RecordSplitter(mode, maxRecordLength === undefined ? {} : { maxRecordLength });
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
}

/** The same records whatever the chunking: every two-way split and one character at a time. */
function expectChunkInvariant(text: string, mode: SplitMode = 'auto'): string[] {
  const whole = run([text], mode);
  for (const chunks of chunkings(text)) expect(run(chunks, mode)).toEqual(whole);
  return whole;
}

const ndjson = [cloudRunText, gkeContainer, cloudFunction].map((e) => JSON.stringify(e));

describe('NDJSON', () => {
  it('yields one record per line, skipping blank lines', () => {
    const text = `${ndjson[0]}\n\n   \n${ndjson[1]}\n${ndjson[2]}\n\n`;
    expect(expectChunkInvariant(text)).toEqual(ndjson);
  });

  it('handles CRLF, a BOM and a last line without newline', () => {
    const text = `\uFEFF${ndjson.join('\r\n')}`;
    expect(expectChunkInvariant(text)).toEqual(ndjson);
    expect(run([text], 'ndjson')).toEqual(ndjson);
  });

  it('keeps a broken line as one record between good ones', () => {
    const text = `${ndjson[0]}\n{"logName": "x", "textPayload": "unterminated\n${ndjson[1]}\n`;
    const records = expectChunkInvariant(text);
    expect(records.map((r) => decodeRecord(r).kind)).toEqual(['accepted', 'rejected', 'accepted']);
  });

  it('splits NDJSON of Pub/Sub messages', () => {
    const text = [sinkMessage(cloudRunText), sinkMessage(gkeContainer)].map((m) => JSON.stringify(m)).join('\n');
    expect(expectChunkInvariant(text).map((r) => decodeRecord(r).kind)).toEqual(['accepted', 'accepted']);
  });

  it('cuts an overlong line so that it is rejected as too large, not kept whole', () => {
    const records = run([`${'x'.repeat(50)}\n`, `${'y'.repeat(30)}\nok\n`], 'ndjson', 20);
    expect(records).toEqual(['x'.repeat(20), 'y'.repeat(20), 'ok']);
    const big = run(['{"a":"', 'z'.repeat(2 * 1024 * 1024), '"}\n{}'], 'ndjson');
    expect(big.map((r) => decodeRecord(r)).map((r) => (r.kind === 'rejected' ? r.reason : r.kind))).toEqual(['INPUT.TOO_LARGE', 'ENTRY.MISSING_FIELD']);
  });
});

describe('JSON array', () => {
  it('splits gcloud logging read --format=json output at every chunking', () => {
    const records = expectChunkInvariant(GCLOUD_ARRAY);
    expect(records).toHaveLength(3);
    expect(records.map((r) => decodeRecord(r).kind)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(records.map((r) => JSON.parse(r))).toEqual(JSON.parse(GCLOUD_ARRAY));
    expect(expectChunkInvariant(GCLOUD_ARRAY.replace(/\n/g, '\r\n'), 'json-array')).toHaveLength(3);
  });

  it('splits compact arrays and scalar elements', () => {
    expect(expectChunkInvariant('[{"a":[1,{"b":"]}"}]},{"c":"\\"}"}]')).toEqual(['{"a":[1,{"b":"]}"}]}', '{"c":"\\"}"}']);
    expect(expectChunkInvariant('[1, "a,b]", null ,true,-2.5e3]')).toEqual(['1', '"a,b]"', 'null', 'true', '-2.5e3']);
    expect(expectChunkInvariant('[]')).toEqual([]);
    expect(expectChunkInvariant(' [\n]\n')).toEqual([]);
  });

  it('reads concatenated arrays and a BOM', () => {
    expect(expectChunkInvariant('\uFEFF[{"a":1}]\n[{"b":2},\n{"c":3}]\n')).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('makes one record of a syntax error and continues', () => {
    const text = '[\n  {\n    "a": 1,\n    "b": \n  },\n  {\n    "c": 2\n  }\n]\n';
    expect(expectChunkInvariant(text)).toEqual(['{\n    "a": 1,\n    "b": \n  }', '{\n    "c": 2\n  }']);
  });

  it('resynchronises after an unterminated string', () => {
    const text = '[\n  {\n    "textPayload": "cut here\n  },\n  {\n    "c": 2\n  }\n]\n';
    const records = expectChunkInvariant(text);
    expect(records).toEqual(['{\n    "textPayload": "cut here\n  }', '{\n    "c": 2\n  }']);
    expect(records.map((r) => decodeRecord(r).kind)).toEqual(['rejected', 'rejected']);
  });

  it('resynchronises after a missing closing brace', () => {
    const text = '[\n  {\n    "a": {\n      "b": 1\n  },\n  {\n    "c": 2\n  }\n]\n';
    expect(expectChunkInvariant(text)).toEqual(['{\n    "a": {\n      "b": 1\n  },', '{\n    "c": 2\n  }']);
  });

  it('resynchronises when a truncated dump is followed by another', () => {
    const first = GCLOUD_ARRAY.slice(0, GCLOUD_ARRAY.indexOf('"severity"'));
    const records = expectChunkInvariant(first + GCLOUD_ARRAY);
    expect(records).toHaveLength(4);
    expect(records.map((r) => decodeRecord(r).kind)).toEqual(['rejected', 'accepted', 'accepted', 'accepted']);
  });

  it('yields the partial record of a truncated file', () => {
    const cut = GCLOUD_ARRAY.slice(0, GCLOUD_ARRAY.lastIndexOf('"spanId"'));
    const records = expectChunkInvariant(cut);
    expect(records).toHaveLength(3);
    expect(decodeRecord(records[2] ?? '')).toMatchObject({ kind: 'rejected', reason: 'INPUT.BAD_JSON' });
    expect(run(['[\n  {\n    "a": "b'], 'json-array')).toEqual(['{\n    "a": "b']);
  });

  it('keeps a closing bracket for a missing element close at the end', () => {
    expect(expectChunkInvariant('[\n  {\n    "a": 1\n]\n')).toEqual(['{\n    "a": 1']);
  });

  it('bounds an element by maxRecordLength', () => {
    const records = run(['[{"a":"', 'x'.repeat(100), '"},{"b":1}]'], 'json-array', 10);
    expect(records).toEqual(['{"a":"xxxx', '{"b":1}']);
  });
});

describe('auto mode', () => {
  it('reads pretty-printed concatenated objects (jq .) as values, not lines', () => {
    const text = `${JSON.stringify(cloudRunText, null, 2)}\n${JSON.stringify(gkeContainer, null, 2)}\n`;
    const records = expectChunkInvariant(text);
    expect(records.map((r) => JSON.parse(r))).toEqual([cloudRunText, gkeContainer]);
  });

  it('decides from the first non-blank character', () => {
    expect(decideMode('  \n ', 100)).toBeNull();
    expect(decideMode('  [', 100)).toBe('json-array');
    expect(decideMode('{"a"', 100)).toBe('ndjson');
    expect(decideMode('{  ', 100)).toBeNull();
    expect(decideMode('{ \n', 100)).toBe('json-array');
    expect(decideMode('x', 100)).toBe('ndjson');
    expect(decideMode(' '.repeat(200), 100)).toBe('ndjson');
  });

  it('handles empty and whitespace-only streams', () => {
    expect(run([])).toEqual([]);
    expect(run(['', '  \n', '\r\n'])).toEqual([]);
    expect(run(['\uFEFF'])).toEqual([]);
    expect(splitRecords('{')).toEqual(['{']);
  });
});
