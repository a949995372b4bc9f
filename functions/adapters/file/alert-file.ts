import { appendFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Alert } from '../../core/alerts/schema.js';
import type { AlertPublisher } from '../../ports/alert-publisher.js';

/** Alerts as JSON lines appended to a local file. */
export function fileAlertPublisher(path: string): AlertPublisher {
  return { name: 'file', publish: (a: Alert) => appendFile(path, JSON.stringify(a) + '\n', 'utf8') };
}

/** Alerts as JSON lines on a stream (stdout in the Cloud Function: Cloud Logging keeps them). */
export function streamAlertPublisher(out: Writable): AlertPublisher {
  return { name: 'stdout', publish: async (a: Alert) => void out.write(JSON.stringify({ severity: 'WARNING', event: 'Alert', alert: a }) + '\n') };
}
