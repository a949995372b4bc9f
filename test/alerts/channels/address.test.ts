import { describe, expect, it } from 'vitest';
import { blockedReason, isLoopback, parseV6 } from '../../../functions/adapters/webhook/address.js';
import { checkUrl, hostAllowed, WebhookRefusedError, type TargetPolicy } from '../../../functions/adapters/webhook/target.js';

describe('webhook address policy', () => {
  it.each([
    '10.1.2.3', '127.0.0.1', '127.255.0.9', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.255.254',
    '0.0.0.0', '224.0.0.251', '239.1.1.1', '255.255.255.255', '198.18.0.1', '192.0.2.10',
    '::', '::1', 'fd00:ec2::254', 'fc00::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '2001:db8::1',
    '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '::127.0.0.1',
    '64:ff9b::a9fe:a9fe', '2002:a00:1::1', '0:0:0:0:0:ffff:c0a8:0101',
  ])('refuses %s', (ip) => {
    expect(blockedReason(ip)).not.toBeNull();
  });

  it.each(['8.8.8.8', '52.1.2.3', '100.128.0.1', '172.32.0.1', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '2606:4700::6810:84e5'])('allows public %s', (ip) => {
    expect(blockedReason(ip)).toBeNull();
  });

  it('refuses what is not an address', () => {
    expect(blockedReason('hooks.slack.com')).toMatch(/not an IP/);
  });

  it('parses IPv6 forms to the same groups', () => {
    expect(parseV6('::ffff:127.0.0.1')).toEqual(parseV6('0:0:0:0:0:ffff:7f00:1'));
    expect(parseV6('fd00:ec2::254')).toEqual([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]);
  });

  it('knows loopback from other private ranges', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.2'].map(isLoopback)).toEqual([true, true, true]);
    expect(['10.0.0.1', '::2', '169.254.169.254'].map(isLoopback)).toEqual([false, false, false]);
  });

  it('matches allowlist entries exactly or by "*." suffix', () => {
    expect(hostAllowed('hooks.slack.com', ['hooks.slack.com'])).toBe(true);
    expect(hostAllowed('HOOKS.slack.com.', ['hooks.slack.com'])).toBe(true);
    expect(hostAllowed('evilhooks.slack.com', ['hooks.slack.com'])).toBe(false);
    expect(hostAllowed('a.chat.example', ['*.chat.example'])).toBe(true);
    expect(hostAllowed('chat.example', ['*.chat.example'])).toBe(false);
    expect(hostAllowed('xchat.example', ['*.chat.example'])).toBe(false);
  });

  const policy = (allowedHosts: string[]): TargetPolicy => ({ allowedHosts, resolve: async () => [], allowPlainHttpLoopback: false });

  it.each([
    ['http://hooks.slack.com/services/x', ['hooks.slack.com'], /https/],
    ['https://evil.example.com/x', ['hooks.slack.com'], /allowlist/],
    ['https://user:pw@hooks.slack.com/x', ['hooks.slack.com'], /credentials/],
    ['https://metadata.google.internal/computeMetadata/v1/', ['metadata.google.internal'], /metadata/],
    ['https://169.254.169.254/latest', ['169.254.169.254'], /non-public/],
    ['https://[fd00:ec2::254]/latest', ['fd00:ec2::254'], /non-public/],
    ['https://[::ffff:a9fe:a9fe]/', ['::ffff:a9fe:a9fe'], /non-public/],
    ['https://0x7f.1/', ['127.0.0.1'], /non-public/], // WHATWG URL reads it as 127.0.0.1
    ['not a url', ['hooks.slack.com'], /not a valid URL/],
  ])('checkUrl refuses %s', (url, hosts, why) => {
    expect(() => checkUrl(url, policy(hosts))).toThrow(WebhookRefusedError);
    expect(() => checkUrl(url, policy(hosts))).toThrow(why);
  });
});
