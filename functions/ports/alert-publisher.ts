import type { Alert } from '../core/alerts/schema.js';

/** One alert channel (stdout/file, webhook, Pub/Sub). Throws when delivery failed for good. */
export interface AlertPublisher {
  readonly name: string;
  publish(alert: Alert): Promise<void>;
}
