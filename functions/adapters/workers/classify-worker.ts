/**
 * A worker thread of ClassifyPool: decodes and classifies batches of record texts with the
 * same rules as the main thread, and answers with one result per text, in order.
 */
import { parentPort } from 'node:worker_threads';
import { createEngine } from '../../core/engine.js';
import { decodeRecord, type RecordFormat } from '../../core/decode/index.js';
import { loadRules } from '../../rules/load.js';
import type { Preclassified } from '../../ports/batch-classifier.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('classify-worker.js runs as a worker thread only');

const { rules, classifierVersion } = loadRules();
const engine = createEngine(rules, classifierVersion);

function classify(text: string, format: RecordFormat): Preclassified {
  const decoded = decodeRecord(text, format);
  if (decoded.kind === 'rejected') return decoded;
  const record = engine.classifyDecoded(decoded);
  if (record.status === 'rejected') throw new Error('the engine rejected an accepted entry');
  return record;
}

port.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: request.id, results: request.texts.map((t) => classify(t, request.format)) };
  } catch (err) {
    reply = { id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: classifierVersion } satisfies WorkerReply);
