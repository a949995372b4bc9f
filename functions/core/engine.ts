import type { RuleSet } from './classify/compile.js';
import { classifyEntry, type OutputRecord } from './classify/entry.js';
import { decodeRecord, type DecodeResult, type RecordFormat } from './decode/index.js';

/** The signature engine: decoded or raw records in, one output record each, never a throw. */
export interface Engine {
  readonly classifierVersion: string;
  classifyDecoded(result: DecodeResult): OutputRecord;
  classifyRecord(text: string, format?: RecordFormat): OutputRecord;
}

export function createEngine(rules: RuleSet, classifierVersion: string): Engine {
  const classifyDecoded = (result: DecodeResult): OutputRecord => {
    const meta = { messageId: result.messageId, publishTime: result.publishTime };
    if (result.kind === 'rejected') {
      return { status: 'rejected', reason: result.reason, detail: result.detail, message_id: meta.messageId, publish_time: meta.publishTime };
    }
    return classifyEntry(rules, result.entry, meta, classifierVersion);
  };
  return {
    classifierVersion,
    classifyDecoded,
    classifyRecord: (text, format = 'auto') => classifyDecoded(decodeRecord(text, format)),
  };
}
