import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { blockedReason, isLoopback } from './address.js';

/**
 * Where a webhook request may go, decided before every attempt: an https URL whose host is on
 * the allowlist and whose every resolved address is public. The request then connects to the
 * checked address itself, so a second DNS answer (rebinding) cannot move it elsewhere.
 */

/** All addresses of a host name, as node:dns lookup({all: true}) gives them. */
export type Resolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['hooks.slack.com'];

/** Names of metadata servers, refused whatever the allowlist says. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** A URL that must never be tried (policy), as opposed to a delivery that failed. */
export class WebhookRefusedError extends Error {
  override name = 'WebhookRefusedError';
}

export interface PinnedTarget {
  url: URL;
  /** the host name as written (Host header, TLS SNI and certificate check) */
  hostname: string;
  /** the checked address the socket connects to */
  address: string;
  port: number;
}

export interface TargetPolicy {
  allowedHosts: readonly string[];
  resolve: Resolver;
  /** tests only: http:// and loopback addresses allowed (never set from configuration) */
  allowPlainHttpLoopback: boolean;
}

/** Exact names; "*.example.com" allows subdomains of example.com (not example.com itself). */
export function hostAllowed(hostname: string, allowed: readonly string[]): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return allowed.some((a) => {
    const rule = a.trim().toLowerCase();
    return rule.startsWith('*.') ? h.endsWith(rule.slice(1)) && h.length > rule.length - 1 : h === rule;
  });
}

/** The URL parsed and checked, without any DNS: scheme, credentials, allowlist, literal IPs. */
export function checkUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookRefusedError('webhook URL is not a valid URL');
  }
  const insecureOk = policy.allowPlainHttpLoopback && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !insecureOk) throw new WebhookRefusedError(`webhook URL must be https (host ${url.hostname})`);
  if (url.username !== '' || url.password !== '') throw new WebhookRefusedError(`webhook URL must not carry credentials (host ${url.hostname})`);
  const hostname = bareHost(url);
  if (METADATA_HOSTS.has(hostname.toLowerCase().replace(/\.$/, ''))) throw new WebhookRefusedError(`webhook host ${hostname} is a metadata server`);
  if (!hostAllowed(hostname, policy.allowedHosts)) throw new WebhookRefusedError(`webhook host ${hostname} is not on the allowlist`);
  if (isIP(hostname) !== 0) checkAddress(hostname, hostname, policy);
  return url;
}

/** The host without IPv6 brackets: WHATWG URL keeps them in hostname. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function checkAddress(address: string, hostname: string, policy: TargetPolicy): void {
  if (policy.allowPlainHttpLoopback && isLoopback(address)) return;
  const why = blockedReason(address);
  if (why !== null) throw new WebhookRefusedError(`webhook host ${hostname} resolves to a non-public address: ${why}`);
}

/** Checks the URL, resolves the host, checks every address; the first one is connected to. */
export async function pinTarget(raw: string, policy: TargetPolicy): Promise<PinnedTarget> {
  const url = checkUrl(raw, policy);
  const hostname = bareHost(url);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (isIP(hostname) !== 0) return { url, hostname, address: hostname, port };
  const addresses = await policy.resolve(hostname);
  if (addresses.length === 0) throw new Error(`webhook host ${hostname} has no address`);
  // One bad address refuses the host: a round-robin answer must not be a lottery.
  for (const a of addresses) checkAddress(a.address, hostname, policy);
  return { url, hostname, address: addresses[0]!.address, port };
}
