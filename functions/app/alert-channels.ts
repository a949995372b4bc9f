import type { Writable } from 'node:stream';
import { streamAlertPublisher } from '../adapters/file/alert-file.js';
import { createPubSubAlertPublisher } from '../adapters/pubsub/alert-publisher.js';
import { createWebhookPublisher } from '../adapters/webhook/publisher.js';
import type { Config } from '../config.js';
import type { AlertPublisher } from '../ports/alert-publisher.js';
import type { Telemetry } from '../ports/telemetry.js';
import { fanOutPublisher, type FanOutPublisher } from './alert-fanout.js';

export interface AlertChannels {
  publisher: FanOutPublisher;
  close(): Promise<void>;
}

/**
 * The configured alert channels behind one fan-out publisher: stdout (always: Cloud Logging
 * keeps it), the Pub/Sub topic when FAULTLINE_ALERTS_TOPIC is set, the webhook when
 * FAULTLINE_WEBHOOK_URL is. Telemetry names the webhook by host only.
 */
export function openAlertChannels(config: Config, telemetry: Telemetry, out: Writable = process.stdout): AlertChannels {
  const channels: AlertPublisher[] = [streamAlertPublisher(out)];
  const closers: (() => Promise<void>)[] = [];
  if (config.alertsTopic !== null) {
    const pubsub = createPubSubAlertPublisher({ topic: config.alertsTopic, projectId: config.project });
    channels.push(pubsub);
    closers.push(() => pubsub.close());
  }
  if (config.webhook.url !== null) {
    channels.push(createWebhookPublisher({ url: config.webhook.url, allowedHosts: config.webhook.allowedHosts, telemetry }));
    telemetry.emit('INFO', 'AlertWebhookReady', { host: new URL(config.webhook.url).hostname });
  }
  return {
    publisher: fanOutPublisher(channels, telemetry),
    close: async () => void (await Promise.all(closers.map((c) => c()))),
  };
}
