import { setTimeout as sleepMs } from 'node:timers/promises';
import { Alert } from '../../core/alerts/schema.js';
import { redactHead } from '../../core/redact-head.js';
import type { AlertPublisher } from '../../ports/alert-publisher.js';
import { silentTelemetry, type Telemetry } from '../../ports/telemetry.js';
import { slackMessage } from './message.js';
import { postOnce, retryAfterMs, type AttemptResult } from './send.js';
import { checkUrl, DEFAULT_ALLOWED_HOSTS, pinTarget, systemResolver, WebhookRefusedError, type Resolver, type TargetPolicy } from './target.js';

export interface RetryPolicy {
  maxAttempts: number;
  /** no attempt starts, and no wait is taken, past this much time since the first */
  totalMs: number;
  attemptTimeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, totalMs: 30_000, attemptTimeoutMs: 10_000, baseDelayMs: 500, maxDelayMs: 8_000 };

export interface WebhookOptions {
  /** the secret URL (FAULTLINE_WEBHOOK_URL): never logged, never in an error */
  url: string;
  allowedHosts?: readonly string[];
  retry?: Partial<RetryPolicy>;
  telemetry?: Telemetry;
  resolve?: Resolver;
  sleep?: (ms: number) => Promise<void>;
  /** 0 <= x < 1, for the jitter */
  random?: () => number;
  /** a monotonic clock in milliseconds, for the time budget */
  nowMs?: () => number;
}

/**
 * Test-only: lets a test reach a plain-http server on a loopback address. Only tests pass it;
 * configuration has no way to (createWebhookPublisher is called with one argument there).
 */
export interface UnsafeTestOnlyOptions {
  allowPlainHttpLoopback: true;
  /** a test server's self-signed certificate, trusted instead of the public CAs */
  ca?: string;
}

/** Delivery failed for good (attempts or time used up, or a response that retrying won't fix). */
export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
}

/** TLS verification failures (wrong certificate, unknown CA) do not heal by retrying. */
const TLS_FAILURE = /CERT|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

function retryable(r: AttemptResult): boolean {
  if (r.kind === 'network') return !TLS_FAILURE.test(r.code);
  return r.kind === 'timeout' || r.status === 429 || r.status === 408 || r.status >= 500;
}

function describe(r: AttemptResult): string {
  if (r.kind === 'response') return `HTTP ${r.status}${r.body ? ` ${JSON.stringify(redactHead(r.body, 200))}` : ''}`;
  return r.kind === 'timeout' ? 'timeout' : `connection error ${r.code}`;
}

/** Full jitter (uniform in [0, backoff]) spreads retries of many instances; Retry-After is a floor. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number, floorMs: number | null): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(floorMs ?? 0, Math.round(random() * ceiling));
}

/** The Slack-compatible webhook channel. The URL is checked at once, so a bad one fails cold start. */
export function createWebhookPublisher(options: WebhookOptions, unsafeTestOnly?: UnsafeTestOnlyOptions): AlertPublisher {
  const policy: TargetPolicy = {
    allowedHosts: options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS,
    resolve: options.resolve ?? systemResolver,
    allowPlainHttpLoopback: unsafeTestOnly?.allowPlainHttpLoopback === true,
  };
  const host = checkUrl(options.url, policy).hostname;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const deps = {
    telemetry: options.telemetry ?? silentTelemetry,
    sleep: options.sleep ?? ((ms: number) => sleepMs(ms).then(() => undefined)),
    random: options.random ?? Math.random,
    nowMs: options.nowMs ?? (() => performance.now()),
  };
  return {
    name: 'webhook',
    async publish(alert: Alert) {
      const body = JSON.stringify(slackMessage(Alert.parse(alert)));
      await deliver(body, alert.alert_key, { url: options.url, host, policy, retry, ca: unsafeTestOnly?.ca, ...deps });
    },
  };
}

interface Delivery {
  url: string;
  host: string;
  policy: TargetPolicy;
  retry: RetryPolicy;
  telemetry: Telemetry;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  nowMs: () => number;
  ca: string | undefined;
}

async function attempt(body: string, d: Delivery, timeoutMs: number): Promise<AttemptResult> {
  try {
    // Resolved and checked before every attempt: the address may have changed since the last.
    return await postOnce(await pinTarget(d.url, d.policy), body, timeoutMs, d.ca);
  } catch (err) {
    if (err instanceof WebhookRefusedError) throw err;
    return { kind: 'network', code: (err as NodeJS.ErrnoException).code ?? 'DNS' };
  }
}

async function deliver(body: string, alertKey: string, d: Delivery): Promise<void> {
  const started = d.nowMs();
  for (let n = 1; ; n++) {
    const left = d.retry.totalMs - (d.nowMs() - started);
    const r = await attempt(body, d, Math.max(1, Math.min(d.retry.attemptTimeoutMs, left)));
    if (r.kind === 'response' && r.status >= 200 && r.status < 300) {
      d.telemetry.emit('INFO', 'AlertWebhookDelivered', { host: d.host, alert_key: alertKey, attempts: n });
      return;
    }
    const why = describe(r);
    if (!retryable(r)) throw new WebhookDeliveryError(`webhook ${d.host}: ${why}, not retried`);
    if (n >= d.retry.maxAttempts) throw new WebhookDeliveryError(`webhook ${d.host}: ${why} after ${n} attempts`);
    const floor = r.kind === 'response' ? retryAfterMs(r.retryAfter, Date.now()) : null;
    const delayMs = backoffMs(n, d.retry, d.random, floor);
    if (d.nowMs() - started + delayMs >= d.retry.totalMs) {
      throw new WebhookDeliveryError(`webhook ${d.host}: ${why} after ${n} attempts; next try (in ${delayMs} ms) past the ${d.retry.totalMs} ms budget`);
    }
    d.telemetry.emit('WARNING', 'AlertWebhookRetry', { host: d.host, alert_key: alertKey, attempt: n, outcome: why, delay_ms: delayMs });
    await d.sleep(delayMs);
  }
}
