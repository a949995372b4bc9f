/**
 * Redaction of params: a param whose key names a secret loses its whole value; other string
 * values are redacted as text.
 */
import type { ParamValue, Params } from './taxonomy.js';
import { boundedMemo } from './memo.js';
import { REDACTED, redactText } from './redact.js';
import { redactHostValue } from './redact-more.js';

const SECRET_PARAM_SUFFIXES = ['password', 'passwd', 'passphrase', 'token', 'apikey', 'api_key', 'access_key', 'secret_key', 'private_key', 'client_secret', 'credentials', 'authorization'];
const SECRET_PARAM_WORDS = new Set(['pwd', 'pass', 'pw', 'credential']);

/**
 * Whether a param key names a secret value. Not `secret` alone: the taxonomy's `secret` param
 * is a Secret Manager short name, which is context, not a credential.
 */
export const isSecretKey = boundedMemo(namesSecret, 1024);

function namesSecret(key: string): boolean {
  const k = key.toLowerCase().replace(/-/g, '_');
  const last = k.slice(Math.max(k.lastIndexOf('_'), k.lastIndexOf('.')) + 1);
  return SECRET_PARAM_WORDS.has(last) || SECRET_PARAM_SUFFIXES.some((s) => k.endsWith(s));
}

// a host holds no `@`: `app:pw@db` in one is a DSN given as the host, whose text said `host "…"`
const HOST_KEYS = new Set(['host', 'hostname', 'addr', 'address']);

/** One param value: secret-named keys lose the whole value, other strings are redacted as text. */
export function redactValue(value: ParamValue, key = ''): ParamValue {
  if (isSecretKey(key)) return REDACTED;
  if (typeof value !== 'string') return value;
  const redacted = redactText(value);
  return HOST_KEYS.has(key) && redacted.includes('@') ? redactHostValue(redacted, REDACTED) : redacted;
}

export function redactParams(params: Params): Params {
  const out: Params = {};
  if (params === null || typeof params !== 'object') return out;
  for (const [key, value] of Object.entries(params)) out[key] = redactValue(value, key);
  return out;
}
