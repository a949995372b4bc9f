import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookPublisher, WebhookDeliveryError, type WebhookOptions } from '../../../functions/adapters/webhook/publisher.js';
import { WebhookRefusedError, type Resolver } from '../../../functions/adapters/webhook/target.js';
import type { Telemetry } from '../../../functions/ports/telemetry.js';
import { sampleAlert } from './fixtures.js';

interface Received {
  host: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  body: string;
}
type Reply = (res: ServerResponse) => void;

const SECRET = 'T000/B000/SECRETxyz';
let server: Server;
let port = 0;
let received: Received[] = [];
let replies: Reply[] = [];

const ok: Reply = (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
const status = (code: number, headers: Record<string, string> = {}): Reply => (res) => res.writeHead(code, headers).end(`status ${code}`);
const hang: Reply = () => undefined; // never answers: the client's timeout must fire

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ host: req.headers.host, path: req.url, contentType: req.headers['content-type'], body });
      (replies.shift() ?? ok)(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  received = [];
  replies = [];
});

interface Harness {
  sleeps: number[];
  events: { event: string; fields: Record<string, unknown> }[];
}

function publisher(extra: Partial<WebhookOptions> = {}, url = `http://127.0.0.1:${port}/services/${SECRET}`) {
  const h: Harness = { sleeps: [], events: [] };
  const telemetry: Telemetry = { emit: (_s, event, fields = {}) => void h.events.push({ event, fields }) };
  const p = createWebhookPublisher(
    {
      url,
      allowedHosts: ['127.0.0.1', 'hooks.test'],
      telemetry,
      sleep: async (ms) => void h.sleeps.push(ms),
      random: () => 0.5,
      retry: { maxAttempts: 4, attemptTimeoutMs: 300, baseDelayMs: 100, maxDelayMs: 1_000, totalMs: 60_000 },
      ...extra,
    },
    { allowPlainHttpLoopback: true },
  );
  return { p, h };
}

describe('webhook channel against a local HTTP server', () => {
  it('posts a Slack-compatible message with the alert facts', async () => {
    const { p, h } = publisher();
    await p.publish(sampleAlert());
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.path).toBe(`/services/${SECRET}`);
    expect(got.contentType).toMatch(/^application\/json/);
    const msg = JSON.parse(got.body) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] };
    expect(msg.text).toContain('Regression in checkout');
    expect(msg.blocks[0]!.type).toBe('header');
    const all = JSON.stringify(msg.blocks);
    for (const fact of ['db_init_timeout', '2026-03-02T10:15:00.000Z', '`timeout_s=25`', '`phase=init`', '#1278', '#1263', 'TimeoutError: database init exceeded 25.0 s']) {
      expect(all).toContain(fact);
    }
    const fields = msg.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields).toContain('*Count*\n1');
    const context = msg.blocks.find((b) => b.type === 'context')!.elements![0]!.text;
    const logs = /<(https:\/\/console\.cloud\.google\.com\/logs\/query;query=[^|]+)\|Cloud Logging>/.exec(context);
    expect(logs).not.toBeNull();
    const q = new URL(logs![1]!.replace(/%7C/g, '|'));
    expect(q.searchParams.get('project')).toBe('acme-prod');
    expect(decodeURIComponent(q.pathname)).toContain('resource.labels.service_name="checkout"');
    expect(h.events.map((e) => e.event)).toEqual(['AlertWebhookDelivered']);
  });

  it('redacts the example again before it leaves', async () => {
    const { p } = publisher();
    await p.publish(sampleAlert({ example: 'connect failed password=hunter2 token=ghp_abcdefghijklmnopqrstuvwxyz0123456789' }));
    expect(received[0]!.body).not.toContain('hunter2');
    expect(received[0]!.body).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(received[0]!.body).toContain('&lt;redacted&gt;');
  });

  it('waits as long as Retry-After says after a 429, then delivers', async () => {
    replies = [status(429, { 'retry-after': '3' }), ok];
    const { p, h } = publisher();
    await p.publish(sampleAlert());
    expect(received).toHaveLength(2);
    expect(h.sleeps).toHaveLength(1);
    expect(h.sleeps[0]).toBeGreaterThanOrEqual(3_000);
    expect(h.events.find((e) => e.event === 'AlertWebhookRetry')!.fields['outcome']).toMatch(/^HTTP 429/);
  });

  it('backs off exponentially on 5xx and fails once attempts are used up', async () => {
    replies = [status(500), status(502), status(503), status(500)];
    const { p, h } = publisher();
    await expect(p.publish(sampleAlert())).rejects.toThrow(WebhookDeliveryError);
    expect(received).toHaveLength(4);
    // random() = 0.5 of 100, 200, 400 ms
    expect(h.sleeps).toEqual([50, 100, 200]);
  });

  it('gives up when the next wait would pass the time budget', async () => {
    replies = [status(429, { 'retry-after': '120' })];
    const { p, h } = publisher({ retry: { totalMs: 10_000 } });
    await expect(p.publish(sampleAlert())).rejects.toThrow(/budget/);
    expect(received).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it('retries a request that timed out', async () => {
    replies = [hang, ok];
    const { p, h } = publisher();
    await p.publish(sampleAlert());
    expect(received).toHaveLength(2);
    expect(h.events.filter((e) => e.event === 'AlertWebhookRetry').map((e) => e.fields['outcome'])).toEqual(['timeout']);
  });

  it('retries connection errors, then reports them', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { p, h } = publisher({ retry: { maxAttempts: 2 } }, `http://127.0.0.1:${deadPort}/services/${SECRET}`);
    const err = await p.publish(sampleAlert()).then(() => null, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err!.message).toMatch(/connection error ECONNREFUSED after 2 attempts/);
    expect(h.sleeps).toHaveLength(1);
  });

  it('does not retry a 4xx other than 408 and 429', async () => {
    replies = [status(404)];
    const { p } = publisher();
    await expect(p.publish(sampleAlert())).rejects.toThrow(/HTTP 404.*not retried/);
    expect(received).toHaveLength(1);
  });

  it('never puts the secret URL in errors or telemetry', async () => {
    replies = [status(500), status(500), status(500), status(500)];
    const { p, h } = publisher();
    const err = await p.publish(sampleAlert()).then(() => null, (e: unknown) => e as Error);
    expect(err).not.toBeNull();
    expect(JSON.stringify(h.events)).not.toContain('SECRET');
    expect(err!.message).not.toContain('SECRET');
    expect(h.events.every((e) => e.fields['host'] === '127.0.0.1')).toBe(true);
  });

  it('connects to the resolved, checked address with the URL host in the Host header', async () => {
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const { p } = publisher({ resolve }, `http://hooks.test:${port}/services/${SECRET}`);
    await p.publish(sampleAlert());
    expect(received[0]!.host).toBe(`hooks.test:${port}`);
  });

  it('checks the addresses again before each retry (DNS rebinding)', async () => {
    const answers = ['127.0.0.1', '10.0.0.7'];
    const resolve: Resolver = async () => [{ address: answers.shift() ?? '10.0.0.7', family: 4 }];
    replies = [status(503)];
    const { p } = publisher({ resolve }, `http://hooks.test:${port}/x`);
    await expect(p.publish(sampleAlert())).rejects.toThrow(WebhookRefusedError);
    expect(received).toHaveLength(1);
  });
});

describe('webhook refusals (no request is made)', () => {
  const never: Resolver = async () => {
    throw new Error('must not resolve');
  };
  const make = (url: string, allowedHosts: string[], resolve: Resolver = never) => () => createWebhookPublisher({ url, allowedHosts, resolve });

  it.each([
    ['plain http', 'http://hooks.slack.com/services/x', ['hooks.slack.com']],
    ['a host off the allowlist', 'https://evil.example.com/services/x', ['hooks.slack.com']],
    ['10.x', 'https://10.0.0.1/x', ['10.0.0.1']],
    ['127.x', 'https://127.0.0.1/x', ['127.0.0.1']],
    ['the metadata server', 'https://169.254.169.254/computeMetadata/v1/', ['169.254.169.254']],
    ['::1', 'https://[::1]/x', ['::1']],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/x', ['::ffff:7f00:1']],
    ['the metadata host name', 'https://metadata.google.internal/x', ['metadata.google.internal']],
  ])('refuses %s at construction', (_name, url, hosts) => {
    expect(make(url, hosts)).toThrow(WebhookRefusedError);
  });

  it('keeps the test escape hatch to loopback', () => {
    expect(() => createWebhookPublisher({ url: 'http://10.0.0.1/x', allowedHosts: ['10.0.0.1'] }, { allowPlainHttpLoopback: true })).toThrow(WebhookRefusedError);
  });

  it.each([
    ['a private address', [{ address: '10.20.30.40', family: 4 }]],
    ['a CGNAT address', [{ address: '100.64.1.1', family: 4 }]],
    ['the metadata address', [{ address: '169.254.169.254', family: 4 }]],
    ['an IPv4-mapped metadata address', [{ address: '::ffff:169.254.169.254', family: 6 }]],
    ['AWS IPv6 metadata', [{ address: 'fd00:ec2::254', family: 6 }]],
    ['one private among public ones', [{ address: '52.1.2.3', family: 4 }, { address: '192.168.0.5', family: 4 }]],
  ])('refuses a host that resolves to %s', async (_name, addresses) => {
    const resolved: string[] = [];
    const resolve: Resolver = async (h) => {
      resolved.push(h);
      return addresses;
    };
    const p = createWebhookPublisher({ url: 'https://hooks.example.com/x', allowedHosts: ['hooks.example.com'], resolve, sleep: async () => undefined });
    await expect(p.publish(sampleAlert())).rejects.toThrow(WebhookRefusedError);
    expect(resolved).toEqual(['hooks.example.com']);
  });
});
