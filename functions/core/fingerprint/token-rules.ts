/**
 * The per-token half of the masker: an ordered table of named rules, first match wins. A rule is
 * only tried when the token has the characters it needs, so a plain word never reaches a regex.
 * Tokens that still hold digits afterwards are masked run by run (segments.ts).
 */
import { F, tokenFeatures } from './features.js';
import { maskSegments } from './segments.js';
import { isFileName, isHostName, isIpv6, isPath } from './shapes.js';
import { hasPlaceholder } from './tokenize.js';

export interface TokenRule {
  readonly name: string;
  /** what the rule writes, for documentation and tests */
  readonly placeholder: string;
  /** features the token must all have for the rule to be tried */
  readonly needs: number;
  /** features of which the token must have at least one (0: no condition) */
  readonly anyOf: number;
  /** the masked core, or null when the rule does not apply */
  readonly apply: (core: string, flags: number) => string | null;
}

function rule(name: string, placeholder: string, needs: number, anyOf: number, apply: TokenRule['apply']): TokenRule {
  return { name, placeholder, needs, anyOf, apply };
}

function whole(re: RegExp, placeholder: string): TokenRule['apply'] {
  return (core) => (re.test(core) ? placeholder : null);
}

const PATH_LEAD = /^[A-Za-z_][\w.-]*[(=:[]/;

/** A path, or a path after a short lead such as `chdir(` or `file=`, which is kept. */
function maskPath(core: string): string | null {
  const lead = PATH_LEAD.exec(core);
  if (lead && isPath(core.slice(lead[0].length))) return lead[0] + '<path>';
  return isPath(core) ? '<path>' : null;
}

const KEY = /^[A-Za-z_][\w.-]*$/;

function maskKeyValue(core: string): string | null {
  const eq = core.indexOf('=');
  if (eq <= 0 || eq === core.length - 1 || !KEY.test(core.slice(0, eq))) return null;
  const value = core.slice(eq + 1);
  // `abc==` is base64 padding, not an assignment.
  if (!/[A-Za-z0-9<]/.test(value)) return null;
  const masked = maskQuoted(value) ?? maskCore(value);
  // The key stays as written (`PSR0=`), and so does a plain word value: `reason=OOMKilled` or
  // `state=RUNNING` is what the message is about.
  return masked === value ? core : `${core.slice(0, eq)}=${masked}`;
}

const HEX_0X = /^0[xX][0-9a-fA-F]+$/;

function maskHex(core: string, flags: number): string | null {
  if (HEX_0X.test(core)) return '<hex>';
  // Zero-padded registers and addresses (`00000000000f0000` beside `0000000000100000`) are hex too.
  if ((flags & (F.NONHEX | F.ALPHA)) === 0) return core.length >= 8 && core[0] === '0' ? '<hex>' : null;
  return (flags & F.NONHEX) === 0 && core.length >= 6 ? '<hex>' : null;
}

const POD_RE = /^([a-z0-9-]+)-[0-9a-f]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
// A Cloud Run revision: `<service>-<5-digit generation>-<3 random characters>`. Unquoted names
// of 16 or more characters are already `<id>` (ID_RE); a short service's would mask by what its
// random part happened to hold (`api-<num>-kex`, `api-<num>-<id>`, `api-<num>-<num>km`), and so
// would any name with a quote that stuck to it (`msg="rollout failed for api-00060-kex"`).
const REVISION_RE = /^(["'`]?)([a-z][a-z0-9-]*)-\d{5}-[a-z0-9]{3}(["'`]?)$/;
const ID_MIN_CHARS = 16;

function maskRevision(core: string): string | null {
  const m = REVISION_RE.exec(core);
  if (m === null) return null;
  const [, open = '', name = '', close = ''] = m;
  if (open === '' && close === '' && core.length >= ID_MIN_CHARS) return null;
  // the service's own digits are masked as in any token, so a second pass changes nothing
  return `${open}${maskCore(name)}-<num>-<id>${close}`;
}

const NUM_RE = /^[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?(?:%|[A-Za-z]{1,3})?$/;
const ID_RE = new RegExp(`^[A-Za-z0-9_+=-]{${ID_MIN_CHARS},}$`);
const NONE = 0;

export const TOKEN_RULES: readonly TokenRule[] = [
  rule('url', '<url>', F.SLASH | F.COLON, NONE, whole(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '<url>')),
  rule('email', '<email>', F.AT | F.DOT, NONE, whole(/^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$/, '<email>')),
  rule('ipv4', '<ip>', F.DIGIT | F.DOT, NONE, whole(/^\/?(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$/, '<ip>')),
  rule('ipv6', '<ip>', F.COLON, NONE, (c) => (isIpv6(c) ? '<ip>' : null)),
  rule('mac', '<mac>', NONE, F.COLON | F.DASH, whole(/^[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5,}$/, '<mac>')),
  rule('uuid', '<uuid>', F.DASH, NONE, whole(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, '<uuid>')),
  rule('path', '<path>', NONE, F.SLASH | F.BSLASH, maskPath),
  rule('file', '<file>', F.INNERDOT, NONE, (c) => (isFileName(c) ? '<file>' : null)),
  rule('key_value', 'key=<num>', F.EQ, NONE, maskKeyValue),
  rule('k8s_pod', 'name-<pod>', F.DIGIT | F.DASH, NONE, (c) => (POD_RE.test(c) ? c.replace(POD_RE, '$1-<pod>') : null)),
  rule('cloud_run_revision', 'name-<num>-<id>', F.DIGIT | F.DASH, NONE, maskRevision),
  rule('hex', '<hex>', F.DIGIT, NONE, maskHex),
  rule('number', '<num>', F.DIGIT, NONE, whole(NUM_RE, '<num>')),
  rule('opaque_id', '<id>', F.DIGIT | F.ALPHA, NONE, whole(ID_RE, '<id>')),
  rule('hostname', '<host>', F.INNERDOT, NONE, (c) => (isHostName(c) ? '<host>' : null)),
];

/** Masks a token's core (wrappers already removed); returns it unchanged when nothing applies. */
export function maskCore(core: string, known?: number): string {
  const flags = known ?? tokenFeatures(core);
  if ((flags & F.SLOW) === 0) return core;
  // Most digit tokens are plain counts: skip the table for them.
  if (flags === F.DIGIT) return core.length >= 8 && core.charCodeAt(0) === 48 ? '<hex>' : '<num>';
  for (const r of TOKEN_RULES) {
    if ((flags & r.needs) !== r.needs || (r.anyOf !== 0 && (flags & r.anyOf) === 0)) continue;
    const out = r.apply(core, flags);
    if (out !== null) return out;
  }
  return (flags & F.DIGIT) !== 0 ? maskSegments(core) : core;
}

/** A whole quoted value: the quotes stay, the content is masked (a plain quoted word too). */
export function maskQuoted(core: string): string | null {
  const q = core.charCodeAt(0);
  if (core.length < 3 || (q !== 39 && q !== 34 && q !== 96) || core.charCodeAt(core.length - 1) !== q) return null;
  const inner = core.slice(1, -1);
  if (inner.includes(core[0]!)) return null;
  const masked = maskCore(inner);
  return core[0] + (masked === inner && !hasPlaceholder(inner) ? '<*>' : masked) + core[0];
}
