import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openAlertChannels } from '../../../functions/app/alert-channels.js';
import { fanOutPublisher, FanOutError } from '../../../functions/app/alert-fanout.js';
import { parseConfig } from '../../../functions/config.js';
import type { Alert } from '../../../functions/core/alerts/schema.js';
import type { AlertPublisher } from '../../../functions/ports/alert-publisher.js';
import type { Telemetry } from '../../../functions/ports/telemetry.js';
import { sampleAlert } from './fixtures.js';

function recording(name: string, fail?: string): AlertPublisher & { got: string[] } {
  const got: string[] = [];
  return {
    name,
    got,
    publish: async (a: Alert) => {
      if (fail) throw new Error(fail);
      got.push(a.alert_key);
    },
  };
}

function events(): Telemetry & { seen: { event: string; fields: Record<string, unknown> }[] } {
  const seen: { event: string; fields: Record<string, unknown> }[] = [];
  return { seen, emit: (_s, event, fields = {}) => void seen.push({ event, fields }) };
}

describe('fan-out publisher', () => {
  it('sends one alert to every channel', async () => {
    const a = recording('a');
    const b = recording('b');
    const t = events();
    const outcomes = await fanOutPublisher([a, b], t).publishAll(sampleAlert());
    expect(outcomes).toEqual([{ channel: 'a', ok: true }, { channel: 'b', ok: true }]);
    expect([a.got, b.got]).toEqual([[sampleAlert().alert_key], [sampleAlert().alert_key]]);
    expect(t.seen).toEqual([]);
  });

  it('reports each failed channel and still delivers to the others', async () => {
    const a = recording('stdout');
    const bad = recording('webhook', 'HTTP 500 after 5 attempts');
    const c = recording('pubsub');
    const t = events();
    const fan = fanOutPublisher([a, bad, c], t);
    const err = await fan.publish(sampleAlert()).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FanOutError);
    expect((err as FanOutError).outcomes.filter((o) => !o.ok).map((o) => o.channel)).toEqual(['webhook']);
    expect((err as FanOutError).message).toContain('webhook: Error: HTTP 500 after 5 attempts');
    expect([a.got.length, c.got.length]).toEqual([1, 1]);
    expect(t.seen.map((e) => [e.event, e.fields['channel']])).toEqual([['AlertChannelFailed', 'webhook']]);
  });
});

describe('alert channels from configuration', () => {
  it('is stdout only when no topic or webhook is configured', async () => {
    const out = new PassThrough();
    const channels = openAlertChannels(parseConfig({ FAULTLINE_SINK: 'duckdb' }), events(), out);
    expect(channels.publisher.name).toBe('stdout');
    await channels.publisher.publish(sampleAlert());
    const line = JSON.parse(String(out.read())) as { event: string; alert: Alert };
    expect([line.event, line.alert.alert_key]).toEqual(['Alert', sampleAlert().alert_key]);
    await channels.close();
  });

  it('adds Pub/Sub and webhook from the environment and logs the webhook host only', async () => {
    const t = events();
    const config = parseConfig({
      FAULTLINE_SINK: 'duckdb',
      FAULTLINE_PROJECT: 'acme-prod',
      FAULTLINE_ALERTS_TOPIC: 'projects/acme-prod/topics/faultline-alerts',
      FAULTLINE_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/SECRETvalue',
    });
    expect(config.webhook.allowedHosts).toEqual(['hooks.slack.com']);
    const channels = openAlertChannels(config, t, new PassThrough());
    expect(channels.publisher.name).toBe('stdout+pubsub+webhook');
    expect(JSON.stringify(t.seen)).not.toContain('SECRET');
    expect(t.seen.find((e) => e.event === 'AlertWebhookReady')!.fields).toEqual({ host: 'hooks.slack.com' });
    await channels.close();
  });

  it('fails at start on a webhook the policy refuses, without echoing the URL', () => {
    const config = parseConfig({ FAULTLINE_SINK: 'duckdb', FAULTLINE_WEBHOOK_URL: 'http://hooks.slack.com/services/SECRETvalue' });
    expect(() => openAlertChannels(config, events(), new PassThrough())).toThrow(/must be https \(host hooks\.slack\.com\)/);
    try {
      openAlertChannels(config, events(), new PassThrough());
    } catch (err) {
      expect(String(err)).not.toContain('SECRET');
    }
  });

  it('refuses a topic that is not a full topic name', () => {
    expect(() => parseConfig({ FAULTLINE_SINK: 'duckdb', FAULTLINE_ALERTS_TOPIC: 'faultline-alerts' })).toThrow(/FAULTLINE_ALERTS_TOPIC/);
  });
});
