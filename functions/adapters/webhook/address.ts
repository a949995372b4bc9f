import { isIP } from 'node:net';

/**
 * Which IP addresses a webhook may connect to: public unicast only. Everything else (private,
 * loopback, link-local with the metadata server 169.254.169.254, CGNAT, multicast, reserved,
 * documentation ranges, AWS's fd00:ec2::254) is refused, including the same IPv4 addresses
 * written inside IPv6 (::ffff:a.b.c.d, ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16).
 */

/** [first octets as a 32-bit number, prefix length] */
const BLOCKED_V4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata servers
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];

/** [first hextets, prefix length]; the IPv4-embedding prefixes are handled before this list */
const BLOCKED_V6: readonly (readonly [number[], number])[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 128], // unspecified
  [[0, 0, 0, 0, 0, 0, 0, 1], 128], // loopback
  [[0x0100], 64], // discard-only
  [[0x2001, 0x0db8], 32], // documentation
  [[0x2001, 0x0000], 23], // IETF protocol assignments (Teredo and others)
  [[0xfc00], 7], // unique local, with fd00:ec2::254
  [[0xfe80], 10], // link-local
  [[0xfec0], 10], // site-local (deprecated)
  [[0xff00], 8], // multicast
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inV4(ip: number, base: string, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(v4ToInt(base) / size);
}

/** Eight 16-bit groups; a trailing dotted quad becomes the last two. Null when not IPv6. */
export function parseV6(ip: string): number[] | null {
  const text = ip.replace(/%.*$/, ''); // zone index (fe80::1%eth0)
  if (isIP(text) !== 6) return null;
  // a trailing dotted quad becomes two hex groups, so the rest parses one way
  const body = text.replace(/:(\d+\.\d+\.\d+\.\d+)$/, (_m, quad: string) => {
    const n = v4ToInt(quad);
    return `:${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  });
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((x) => parseInt(x, 16)));
  const parts = body.split('::');
  const left = groups(parts[0]!);
  const right = parts.length === 2 ? groups(parts[1]!) : [];
  const all = parts.length === 2 ? [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right] : left;
  return all.length === 8 ? all : null;
}

function inV6(g: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((g[i]! & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 address an IPv6 address stands for, when it embeds one. */
function embeddedV4(g: number[]): string | null {
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(5) && g[5] === 0xffff) return v4Of(g[6]!, g[7]!); // ::ffff:a.b.c.d (mapped)
  if (zeros(4) && g[4] === 0xffff && g[5] === 0) return v4Of(g[6]!, g[7]!); // ::ffff:0:a.b.c.d (translated)
  if (zeros(6) && (g[6] !== 0 || g[7]! > 1)) return v4Of(g[6]!, g[7]!); // ::a.b.c.d (compatible)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4Of(g[6]!, g[7]!); // NAT64
  if (g[0] === 0x2002) return v4Of(g[1]!, g[2]!); // 6to4
  return null;
}

/** Why an address must not be connected to, or null when it is public unicast. */
export function blockedReason(ip: string): string | null {
  const family = isIP(ip.replace(/%.*$/, ''));
  if (family === 4) {
    const n = v4ToInt(ip);
    const hit = BLOCKED_V4.find(([base, bits]) => inV4(n, base, bits));
    return hit ? `${ip} is in ${hit[0]}/${hit[1]}` : null;
  }
  const g = family === 6 ? parseV6(ip) : null;
  if (g === null) return `${ip} is not an IP address`;
  const v4 = embeddedV4(g);
  if (v4 !== null) {
    const inner = blockedReason(v4);
    return inner === null ? null : `${ip} embeds ${inner}`;
  }
  const hit = BLOCKED_V6.find(([prefix, bits]) => inV6(g, prefix, bits));
  return hit ? `${ip} is in a special-purpose IPv6 range (/${hit[1]})` : null;
}

/** Loopback only: what the test-only plain-http escape hatch may reach. */
export function isLoopback(ip: string): boolean {
  if (isIP(ip) === 4) return inV4(v4ToInt(ip), '127.0.0.0', 8);
  const g = parseV6(ip);
  if (g === null) return false;
  const v4 = embeddedV4(g);
  return v4 !== null ? isLoopback(v4) : g.every((x, i) => x === (i === 7 ? 1 : 0));
}
