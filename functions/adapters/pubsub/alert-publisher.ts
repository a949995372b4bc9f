import { PubSub, type ClientConfig } from '@google-cloud/pubsub';
import { Alert } from '../../core/alerts/schema.js';
import type { AlertPublisher } from '../../ports/alert-publisher.js';

/**
 * Alerts as Pub/Sub messages: the JSON of the `faultline-alert/v1` object as the body, and
 * attributes subscribers can filter on without parsing it (kind, service, signature_id,
 * alert_key). An attribute whose value is null is left out.
 */
export interface PubSubAlertOptions {
  /** "projects/P/topics/T" (FAULTLINE_ALERTS_TOPIC), or a topic id with projectId */
  topic: string;
  projectId?: string | null;
  /** client options for tests (apiEndpoint, fallback); production uses the defaults */
  client?: ClientConfig;
}

export interface PubSubAlertPublisher extends AlertPublisher {
  /** sends what waits and closes the client's channels */
  close(): Promise<void>;
}

// Pub/Sub limits attribute values to 1024 bytes; alert keys are short, but a service name is not ours.
const ATTRIBUTE_MAX_BYTES = 1024;

function attribute(value: string): string {
  const buf = Buffer.from(value, 'utf8');
  return buf.length <= ATTRIBUTE_MAX_BYTES ? value : buf.subarray(0, ATTRIBUTE_MAX_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}

export function alertAttributes(a: Alert): Record<string, string> {
  const attrs: Record<string, string> = { kind: a.kind, alert_key: attribute(a.alert_key), schema: a.schema };
  if (a.service !== null) attrs['service'] = attribute(a.service);
  if (a.signature_id !== null) attrs['signature_id'] = attribute(a.signature_id);
  return attrs;
}

export function createPubSubAlertPublisher(options: PubSubAlertOptions): PubSubAlertPublisher {
  const client = new PubSub({ ...(options.projectId ? { projectId: options.projectId } : {}), ...options.client });
  // Alerts are rare and each one should leave now: no batching delay.
  const topic = client.topic(options.topic, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
  return {
    name: 'pubsub',
    async publish(alert: Alert) {
      const valid = Alert.parse(alert);
      await topic.publishMessage({ data: Buffer.from(JSON.stringify(valid), 'utf8'), attributes: alertAttributes(valid) });
    },
    async close() {
      await topic.flush();
      await client.close();
    },
  };
}
