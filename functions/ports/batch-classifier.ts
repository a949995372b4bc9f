import type { ClassifiedRecord } from '../core/classify/entry.js';
import type { DecodeResult, RecordFormat } from '../core/decode/index.js';

/** A record decoded and classified: the engine's record, or the decoder's rejection. */
export type Preclassified = ClassifiedRecord | (DecodeResult & { kind: 'rejected' });

/**
 * Decodes and classifies batches of records away from the caller's thread (worker threads),
 * with the caller's rules: one result per text, in order.
 */
export interface BatchClassifier {
  readonly classifierVersion: string;
  classify(texts: readonly string[], format: RecordFormat): Promise<Preclassified[]>;
  close(): Promise<void>;
}
