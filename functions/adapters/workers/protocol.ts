import type { RecordFormat } from '../../core/decode/index.js';
import type { Preclassified } from '../../ports/batch-classifier.js';

export interface WorkerRequest {
  id: number;
  texts: readonly string[];
  format: RecordFormat;
}

export type WorkerReply = { ready: string } | { id: number; results: Preclassified[] } | { id: number; error: string };
