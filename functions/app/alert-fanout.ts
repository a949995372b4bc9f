import type { Alert } from '../core/alerts/schema.js';
import type { AlertPublisher } from '../ports/alert-publisher.js';
import type { Telemetry } from '../ports/telemetry.js';

export type ChannelOutcome = { channel: string; ok: true } | { channel: string; ok: false; error: string };

/** Some channels failed for good; the others got the alert. */
export class FanOutError extends Error {
  override name = 'FanOutError';
  constructor(readonly outcomes: readonly ChannelOutcome[]) {
    const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.channel}: ${o.ok ? '' : o.error}`);
    super(`alert delivery failed on ${failed.length} of ${outcomes.length} channels (${failed.join('; ')})`);
  }
}

export interface FanOutPublisher extends AlertPublisher {
  /** every channel tried at once; one outcome per channel, in channel order */
  publishAll(alert: Alert): Promise<ChannelOutcome[]>;
}

/**
 * One alert to every configured channel, concurrently, so a slow webhook retrying does not
 * hold back Pub/Sub. publish() throws FanOutError when any channel failed, after all were tried.
 */
export function fanOutPublisher(channels: readonly AlertPublisher[], telemetry: Telemetry): FanOutPublisher {
  const publishAll = async (alert: Alert): Promise<ChannelOutcome[]> => {
    const settled = await Promise.allSettled(channels.map((c) => c.publish(alert)));
    return settled.map((s, i): ChannelOutcome => {
      const channel = channels[i]!.name;
      if (s.status === 'fulfilled') return { channel, ok: true };
      const error = s.reason instanceof Error ? `${s.reason.name}: ${s.reason.message}` : String(s.reason);
      telemetry.emit('ERROR', 'AlertChannelFailed', { channel, alert_key: alert.alert_key, error });
      return { channel, ok: false, error };
    });
  };
  return {
    name: channels.map((c) => c.name).join('+') || 'none',
    publishAll,
    async publish(alert: Alert) {
      const outcomes = await publishAll(alert);
      if (outcomes.some((o) => !o.ok)) throw new FanOutError(outcomes);
    },
  };
}
