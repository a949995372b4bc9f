import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookPublisher } from '../../../functions/adapters/webhook/publisher.js';
import type { Resolver } from '../../../functions/adapters/webhook/target.js';
import { sampleAlert } from './fixtures.js';

/**
 * HTTPS to a pinned address: the socket goes to the resolved 127.0.0.1 while SNI, the Host
 * header and the certificate check use the URL's host name (a certificate for hooks.test).
 */
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let server: Server;
let port = 0;
let cert = '';
const seen: { sni: string | undefined; host: string | undefined }[] = [];

beforeAll(async () => {
  if (!hasOpenssl) return;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=hooks.test',
      '-addext', 'subjectAltName=DNS:hooks.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      seen.push({ sni: (req.socket as unknown as { servername?: string }).servername, host: req.headers.host });
      req.resume();
      req.on('end', () => res.writeHead(200).end('ok'));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  if (server) await new Promise((r) => server.close(r));
});

const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

describe.skipIf(!hasOpenssl)('webhook over TLS to the checked address', () => {
  it('sends SNI and Host for the URL host and verifies its certificate', async () => {
    const p = createWebhookPublisher({ url: `https://hooks.test:${port}/services/x`, allowedHosts: ['hooks.test'], resolve }, { allowPlainHttpLoopback: true, ca: cert });
    await p.publish(sampleAlert());
    expect(seen.at(-1)).toEqual({ sni: 'hooks.test', host: `hooks.test:${port}` });
  });

  it('fails at once when the certificate does not match the URL host', async () => {
    const sleeps: number[] = [];
    const p = createWebhookPublisher(
      { url: `https://other.test:${port}/services/x`, allowedHosts: ['other.test'], resolve, sleep: async (ms) => void sleeps.push(ms) },
      { allowPlainHttpLoopback: true, ca: cert },
    );
    await expect(p.publish(sampleAlert())).rejects.toThrow(/ERR_TLS_CERT_ALTNAME_INVALID, not retried/);
    expect(sleeps).toEqual([]);
  });
});
