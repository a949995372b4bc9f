/**
 * Redaction of secrets and personal data before any text or param leaves the classifier
 * (excerpts, templates, params). Every secret becomes a fixed marker, so two texts that differ
 * only in a secret redact to the same text: signatures made from redacted text stay stable.
 *
 * Linear time: every regex starts behind a one-character boundary lookbehind (so a long run of
 * word characters is entered once, not at each position) and has bounded, non-nested
 * quantifiers; PEM blocks are cut with indexOf. A case-insensitive trigger test lets the common
 * line with no secret through after one scan.
 */

import { MORE_LONG_KEYS, MORE_TRIGGER, MORE_TRIGGER_MARKS, moreRedactions } from './redact-more.js';

export const REDACTED = '<redacted>';
export const EMAIL = '<email>';
export const TRUNCATED = '<truncated>';
/** Cloud Logging's entry size limit: real entries are never cut, and nothing unscanned is emitted. */
export const REDACT_LIMIT_CHARS = 256 * 1024;

// Identifier endings that name a secret. Long ones may follow any prefix (dbPassword, csrftoken);
// short ones only a separator (DB_PASS, user.pwd), so "bypass=" and "cwd=" stay.
const LONG_KEY = ['passw(?:or)?d|passphrase|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|credentials?', ...MORE_LONG_KEYS].join('|');
const SHORT_KEY = 'pwd|pass|pw';
const KEY = `(?<![\\w.-])((?:[\\w.-]{0,128}?(?:${LONG_KEY}))|(?:[\\w.-]{0,128}?[_.-])?(?:${SHORT_KEY}))`;
// closing quote of a quoted key (JSON, Python repr, escaped JSON), then the separator
const SEP = `(\\\\?["']?[ \\t]{0,3}[:=][ \\t]{0,3})`;

const QUOTED_KV = new RegExp(
  `${KEY}${SEP}(?:"((?:[^"\\\\\\n]|\\\\.){0,1024})"|'((?:[^'\\\\\\n]|\\\\.){0,1024})'|\\\\"([^"\\\\\\n]{0,1024})\\\\"|\\{([^{}\\n]{0,1024})\\})`,
  'gi',
);
const BARE_KV = new RegExp(`${KEY}${SEP}(\\\\?["']?)([^\\s"'\`\\\\&,;<>(){}\\[\\]]{1,1024})`, 'gi');

const AUTH_HEADER =
  /(?<![\w-])((?:proxy-)?authorization)(\\?["']?[ \t]{0,3}[:=][ \t]{0,3}\\?["']?)(?:(bearer|basic|digest|token|negotiate|bot)[ \t]{1,3})?([^\s"'\\,;]{1,4096})/gi;
// A bare "Bearer x" outside a header: short words ("Bearer token invalid") are prose, not tokens.
const BEARER = /(?<![\w-])(bearer)[ \t]{1,3}[\w.~+/-]{16,4096}=*/gi;
// userinfo password of any scheme://user:pass@host; greedy so an unescaped "@" or "/" in it is covered
const URL_CREDS = /(?<![\w+.-])([a-zA-Z][\w+.-]{0,30}:\/\/[^\s:@/?#"'<>]{0,256}):([^\s"']{1,256})@/g;
// Go MySQL DSN: user:pass@tcp(host:3306)/db; greedy, so an `@` or `/` in the password is covered
const GO_DSN = /(?<![\w.-])([\w.-]{1,64}):[^\s<>"]{1,256}@(tcp|unix)\(/g;
// Each may also follow a URL-encoded character: `access_token%3Dya29.…`, `Bearer%20eyJ…`.
const TOKENS = [
  /(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{2}))AIza[\w-]{30,60}/g, // Google API key
  /(?:(?<![A-Z0-9])|(?<=%[0-9A-Fa-f]{2}))(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, // AWS access key id
  /(?:(?<!\w)|(?<=%[0-9A-Fa-f]{2}))(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_\w{20,255})/g, // GitHub
  /(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{2}))xox[abposr]-[\w-]{10,255}/g, // Slack
  /(?:(?<!\w)|(?<=%[0-9A-Fa-f]{2}))[rs]k_(?:live|test)_[A-Za-z0-9]{10,255}/g, // Stripe secret/restricted
  /(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{2}))eyJ[\w-]{5,4096}\.eyJ[\w-]{5,8192}\.[\w-]{0,4096}/g, // JWT
];
const EMAIL_RE = /(?<![\w.%+-])[\w.%+-]{1,64}@([A-Za-z0-9-]{1,63}\.[A-Za-z0-9.-]{1,190})/g;
// Service-account and Cloud SQL IAM users are identities of machines, and the params need them.
const MACHINE_DOMAIN = /(?:^|\.)(?:gserviceaccount\.com|iam)$/i;

// `pw` only as a key: `"pw": "x"`, `pw=x` (a quote may close the key before the separator).
// Whatever any rule below can redact in a line, the trigger finds in that same line: redaction
// skips the lines it does not find anything in (redactLines). Each word starts with a literal.
const TRIGGER_WORDS = [
  ...['pass', 'pwd', String.raw`pw\\?["']?\s{0,3}[:=]`, 'secret', 'token', 'key', 'cred', 'auth', 'bearer'],
  ...['BEGIN', 'AIza', 'AKIA', 'ASIA', 'gh[pousr]_', 'github_pat_', 'xox', 'rk_', 'sk_', 'eyJ'],
  ...MORE_TRIGGER,
];
const TRIGGER = new RegExp(byFirstCharacter(TRIGGER_WORDS), 'i');
// The rest of the trigger, found by indexOf: as alternatives of TRIGGER, a one-character word
// and a punctuation start made V8 scan every other word's text a third slower.
const TRIGGER_MARKS = ['@', '://', ...MORE_TRIGGER_MARKS];

/** Whether the trigger finds anything in the text. */
function triggers(s: string): boolean {
  for (const mark of TRIGGER_MARKS) if (s.includes(mark)) return true;
  return TRIGGER.test(s);
}

/** Where the trigger first finds something in the text, or -1. */
function triggerAt(s: string): number {
  let at = TRIGGER.exec(s)?.index ?? -1;
  for (const mark of TRIGGER_MARKS) {
    const i = s.indexOf(mark);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/**
 * The alternation of case-insensitive words grouped by their first character, `p(?:ass|wd)`
 * for `pass|pwd`: V8 then tries one branch per position instead of every word, and the
 * trigger's scan of a traceback, its most frequent cost, takes about a third less time.
 */
export function byFirstCharacter(words: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const word of words) {
    const first = word.charAt(0);
    if (first === '' || '\\[](){}|.*+?^$'.includes(first)) throw new Error(`trigger word must start with a literal: ${word}`);
    // `s?x` would make the grouped `s(?:?x)`, and a top-level `a|b` would lose `b` to the group
    if ('?*+{'.includes(word.charAt(1) || '_') || hasTopLevelBar(word)) throw new Error(`trigger word must be one alternative led by its literal: ${word}`);
    const rests = groups.get(first.toLowerCase()) ?? [];
    groups.set(first.toLowerCase(), [...rests, word.slice(1)]);
  }
  // a word of one character (`@`) matches wherever any longer word of its group does
  return [...groups].map(([first, rests]) => (rests.includes('') ? first : `${first}(?:${rests.join('|')})`)).join('|');
}

/** Whether a regex source has a `|` outside every group and character class. */
function hasTopLevelBar(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

// Every key QUOTED_KV or BARE_KV can match ends with one of these words right before SEP, or,
// for `secret` and `confirm`, with MORE_LONG_KEYS' `secret_value` and `password_confirmation`
// (which SEP_AT lets come between).
const KEY_ENDINGS = ['passwd', 'password', 'passphrase', 'secret', 'token', 'key', 'credential', 'credentials', 'pwd', 'pass', 'pw', 'confirm'];
const SEP_AT = /(?:(?<=secret)[_-]?value|(?<=confirm)ation)?\\?["']?[ \t]{0,3}[:=]/y;

/**
 * Whether some secret-naming word is followed by a separator: the key-value patterns scan
 * every word start up to 128 characters ahead, which made "KeyError" in a traceback cost
 * tens of microseconds; without such a word and separator they cannot match, so skip them.
 */
function hasKeySeparator(lower: string): boolean {
  for (const word of KEY_ENDINGS) {
    for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
      SEP_AT.lastIndex = at + word.length;
      if (SEP_AT.test(lower)) return true;
    }
  }
  return false;
}

function kvReplacer(m: string, key: string, sep: string, ...rest: unknown[]): string {
  const [dq, sq, esc, brace] = rest as (string | undefined)[];
  const value = dq ?? sq ?? esc ?? brace ?? '';
  if (value.startsWith('projects/')) return m; // a Secret Manager resource name, not a value
  // a SQL Server connection string braces a value that holds `;`: password={Ms;Sql@pw}
  if (brace !== undefined) return `${key}${sep}{${REDACTED}}`;
  const quote = dq !== undefined ? '"' : sq !== undefined ? "'" : '\\"';
  return `${key}${sep}${quote}${REDACTED}${quote}`;
}

function bareReplacer(m: string, key: string, sep: string, open: string, value: string): string {
  if (value.startsWith('projects/')) return m;
  // "Invalid token: expired" is prose; a bare word key with ':' needs a value that is not a word.
  if (open === '' && sep.trim() === ':' && /^[A-Za-z]{1,64}$/.test(key) && /^[A-Za-z]{1,23}$/.test(value)) return m;
  return `${key}${sep}${open}${REDACTED}`;
}

function urlReplacer(m: string, head: string, pass: string): string {
  // http://host:8080/users/a@b is a port and a path, not a password; nor is a SQL Server
  // JDBC URL's port before its properties (`:1433;user=x;password=p@ss`, redacted as a pair)
  const port = /^\d{1,5}\//.test(pass) || (/^\d{1,5};/.test(pass) && /^sqlserver:/i.test(head));
  return port ? m : `${head}:${REDACTED}@`;
}

function authReplacer(_m: string, name: string, sep: string, scheme: string | undefined): string {
  return `${name}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`;
}

function emailReplacer(m: string, domain: string, offset: number, text: string): string {
  const bare = domain.replace(/\.+$/, '');
  const tld = bare.slice(bare.lastIndexOf('.') + 1);
  // user@host of a URL (postgres://app@db.example.com), versions (pkg@1.2.3), machine identities
  if (text.startsWith('//', offset - 2) || !/^[A-Za-z]{2,24}$/.test(tld) || MACHINE_DOMAIN.test(bare)) return m;
  return EMAIL + domain.slice(bare.length);
}

const PEM_BEGIN = '-----BEGIN ';

/** End of a PEM body that lost its END line: base64, whitespace and escaped newlines. */
function pemBodyEnd(s: string, from: number): number {
  let i = s.startsWith(REDACTED, from) ? from + REDACTED.length : from;
  while (i < s.length && /[A-Za-z0-9+/=\s\\]/.test(s[i] as string)) i++;
  return i;
}

function redactPem(s: string): string {
  let out = '';
  let from = 0;
  let search = 0;
  const unterminated = new Set<string>(); // labels whose END is absent: never search again (linear)
  for (;;) {
    const b = s.indexOf(PEM_BEGIN, search);
    if (b < 0) break;
    const headEnd = s.indexOf('-----', b + PEM_BEGIN.length);
    const label = headEnd < 0 ? '' : s.slice(b + PEM_BEGIN.length, headEnd);
    search = b + PEM_BEGIN.length;
    if (label.length > 40 || !label.includes('PRIVATE KEY')) continue;
    const endMarker = `-----END ${label}-----`;
    const e = unterminated.has(label) ? -1 : s.indexOf(endMarker, headEnd + 5);
    if (e < 0) unterminated.add(label);
    out += s.slice(from, headEnd + 5) + REDACTED + (e < 0 ? '' : endMarker);
    from = e < 0 ? pemBodyEnd(s, headEnd + 5) : e + endMarker.length;
    search = from;
  }
  return from === 0 ? s : out + s.slice(from);
}

interface Rule {
  needles: readonly string[];
  /** `lower` is `s` in lower case, for rules that look for words before running a pattern */
  apply: (s: string, lower: string) => string;
}

// Order matters: multi-line and structured forms first, so later rules see their markers.
const RULES: readonly Rule[] = [
  { needles: ['-----begin '], apply: redactPem },
  { needles: ['authorization'], apply: (s) => s.replace(AUTH_HEADER, authReplacer) },
  { needles: ['bearer'], apply: (s) => s.replace(BEARER, `$1 ${REDACTED}`) },
  { needles: ['://'], apply: (s) => s.replace(URL_CREDS, urlReplacer) },
  { needles: ['@tcp(', '@unix('], apply: (s) => s.replace(GO_DSN, `$1:${REDACTED}@$2(`) },
  ...moreRedactions(REDACTED),
  {
    needles: ['pass', 'pwd', 'pw', 'secret', 'token', 'key', 'cred'],
    apply: (s, lower) => (hasKeySeparator(lower) ? s.replace(QUOTED_KV, kvReplacer).replace(BARE_KV, bareReplacer) : s),
  },
  { needles: ['aiza', 'akia', 'asia', 'gh', 'github_pat_', 'xox', 'k_live_', 'k_test_', 'eyj'], apply: redactTokens },
  { needles: ['@'], apply: (s) => s.replace(EMAIL_RE, emailReplacer) },
];

function redactTokens(s: string): string {
  let out = s;
  for (const re of TOKENS) out = out.replace(re, REDACTED);
  return out;
}

function applyRules(text: string): string {
  let s = text;
  let lower = s.toLowerCase();
  for (const rule of RULES) {
    if (!rule.needles.some((n) => lower.includes(n))) continue;
    const next = rule.apply(s, lower);
    if (next !== s) lower = (s = next).toLowerCase();
  }
  return s;
}

function toFixpoint(text: string): string {
  let s = text;
  // One rule's marker can complete another rule's pattern; repeat to a fixpoint so that
  // redacting twice changes nothing (stored text may be redacted again downstream).
  for (let pass = 0; pass < 4; pass++) {
    const next = applyRules(s);
    if (next === s) break;
    s = next;
  }
  return s;
}

/** Past this many lines that set off the trigger, the whole text is redacted at once instead. */
const MAX_LINES_APART = 2;

/**
 * Every rule's pattern but the PEM block's stays within a line (none matches, or looks behind
 * or ahead, across a line break), and on any one line the trigger is at least as broad as
 * every rule (the test of redaction by lines holds both), so a multi-line text is redacted
 * line by line from the line that set off the trigger, and only where a line sets it off
 * again: a traceback ending in `KeyError` pays for one short line, not for every rule's scan
 * of every frame. A text where many lines set it off (a Node trace's `file://` frames,
 * pretty-printed JSON keys) costs less redacted whole, with the same result.
 */
function redactLines(s: string, triggeredAt: number): string {
  const start = s.lastIndexOf('\n', triggeredAt) + 1;
  let out = s.slice(0, start);
  let from = start;
  let triggered = 0;
  for (;;) {
    const nl = s.indexOf('\n', from);
    const line = nl < 0 ? s.slice(from) : s.slice(from, nl);
    if (from === start || triggers(line)) {
      if (++triggered > MAX_LINES_APART) return toFixpoint(s);
      out += toFixpoint(line);
    } else {
      out += line;
    }
    if (nl < 0) return out;
    out += '\n';
    from = nl + 1;
  }
}

/** Whether anything in the text could start a secret: when not, redaction leaves it as it is. */
export function mayHoldSecret(text: string): boolean {
  // redactHead asks this of the very head it just redacted (an excerpt's context is its head)
  if (text === last.text && last.triggered !== null) return last.triggered;
  return triggers(text);
}

/** Redacts secrets and personal data; deterministic, idempotent, total. */
export function redactText(text: string): string {
  if (typeof text !== 'string') return '';
  // A one-line message is redacted twice in a row, for its template and for its excerpt.
  if (text === last.text) return last.redacted;
  const s = text.length > REDACT_LIMIT_CHARS ? text.slice(0, REDACT_LIMIT_CHARS) + TRUNCATED : text;
  const triggeredAt = triggerAt(s);
  const redacted = triggeredAt < 0 ? s : redactTriggered(s, triggeredAt);
  // of a text cut at the limit, the trigger saw only the head: no answer for the whole
  last = { text, redacted, triggered: s === text ? triggeredAt >= 0 : null };
  return redacted;
}

let last: { text: string; redacted: string; triggered: boolean | null } = { text: '', redacted: '', triggered: false };

function redactTriggered(s: string, triggeredAt: number): string {
  // PEM blocks span lines; their dashes are case-free, so this finds any "-----BEGIN " spelling
  if (!s.includes('\n') || s.includes('-----')) return toFixpoint(s);
  return redactLines(s, triggeredAt);
}
