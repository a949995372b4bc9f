import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { PinnedTarget } from './target.js';

/** What one POST came to; network trouble and timeouts are values too, so the caller retries. */
export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter: string | null; body: string }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string };

const BODY_KEPT_CHARS = 512;

/**
 * POSTs the body to the pinned address: the socket goes to the checked IP, while the Host
 * header, TLS SNI and the certificate check use the host name of the URL.
 */
export function postOnce(target: PinnedTarget, body: string, timeoutMs: number, ca?: string): Promise<AttemptResult> {
  const https = target.url.protocol === 'https:';
  const options = {
    host: target.address,
    port: target.port,
    path: `${target.url.pathname}${target.url.search}`,
    method: 'POST',
    // no pooling: a kept-alive socket would outlive the address check it was made under
    agent: false as const,
    // URL.host leaves out a default port, as the Host header should
    headers: { host: target.url.host, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'user-agent': 'faultline-alerts' },
    ...(https && isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
    ...(ca !== undefined ? { ca } : {}),
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: AttemptResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = (https ? httpsRequest : httpRequest)(options, (res) => void readBody(res).then((text) => finish(responseOf(res, text))));
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'network', code: err.code ?? err.name }));
    req.end(body);
  });
}

function responseOf(res: IncomingMessage, body: string): AttemptResult {
  const retryAfter = res.headers['retry-after'];
  return { kind: 'response', status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body };
}

/** The start of the body (Slack says why in it); the rest is drained and dropped. */
function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (text.length < BODY_KEPT_CHARS) text += chunk.slice(0, BODY_KEPT_CHARS - text.length);
    });
    res.on('end', () => resolve(text));
    res.on('error', () => resolve(text));
  });
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
