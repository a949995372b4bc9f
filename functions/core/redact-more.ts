import { bareRedactions } from './redact-bare.js';

/**
 * Secrets that no key word of redact.ts names, found by a blind audit of what libraries and
 * platforms print (audit 14, 2026-11-29): signed URLs' signatures, session cookies, Azure
 * account keys, webhook URLs, vendor tokens (OpenAI, Stripe webhook secrets, Google OAuth), and
 * credentials written the way Redis, Oracle's thin driver and SQL Server's JDBC URLs write them.
 * Like every pattern of redact.ts but PEM's, each stays within one line, and MORE_TRIGGER (part
 * of redact.ts's trigger) finds it in its line, which redaction line by line relies on.
 */

/**
 * More endings of secret-naming keys, for redact.ts's key-value patterns (whose check for a
 * separator after a key knows these: `key`, and `secret` then `_value`).
 */
export const MORE_LONG_KEYS = ['account[_-]?key', 'secret[_-]?value', 'passw(?:or)?d[_-]?confirm(?:ation)?'];

/**
 * Alternatives added to redact.ts's case-insensitive trigger: as narrow as the patterns below
 * (a line merely about sessions or tasks stays on the fast path). `redis://` needs none: the
 * trigger finds every `://`.
 */
export const MORE_TRIGGER: readonly string[] = [
  's(?:ig(?:nature)?=|ession(?:[_-]?id|=)|id=|k-)',
  'remember[_-]?me=',
  // without their leading `/`: a punctuation start slows the trigger's scan of every text
  'services/T',
  'webhooks/',
  'whsec_',
  'ya29\\.',
  'cookie[\'"],',
  'jdbc:oracle:',
  'AC[0-9a-f]{32}:',
  // a Postgres role or user name holding `name:password` (a DSN's userinfo given as the user)
  String.raw`role\s{1,3}\\?"[^"\s:\\]{1,64}:`,
  String.raw`user\s{1,3}\\?"[^"\s:\\]{1,64}:`,
  // MySQL's CREATE USER … IDENTIFIED BY '…' (redact-bare.ts)
  String.raw`identified\s{1,3}by\s`,
];

/**
 * Found by indexOf like redact.ts's `@`. `code=` stands for the rule's `?code=` and `&code=`:
 * a broader trigger, and one scan per text instead of two.
 */
export const MORE_TRIGGER_MARKS: readonly string[] = ['code='];

// Where a driver prints the host it could not reach, resolve or parse. A host never holds `@`,
// so `[user]:password@host` there is a DSN given as a host (libpq, redis-py, Go's resolver,
// node's getaddrinfo, the Mongo drivers, pgx, JDBC, Prisma, Ecto, kombu, urllib3's proxy):
// the same shape anywhere else is as often an IAM member, a package specifier or a log prefix.
const HOST_LEAD = [
  String.raw`host(?:[ \t]?name)?(?:\\?["']?[ \t]{0,3}[:=][ \t]{0,3}|[ \t]{1,3})`,
  String.raw`(?:lookup|address|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH)[ \t]`,
  String.raw`(?:connect|connecting)[ \t]to[ \t](?:redis[ \t](?:on|at)[ \t]|(?:MySQL[ \t])?server[ \t](?:on[ \t])?)?`,
  String.raw`server[ \t]{0,3}\[|server[ \t]at[ \t]|addr(?:ess)?\\?["']?[ \t]{0,3}[:=][ \t]{0,3}|tcp[ \t]connect[ \t]\(`,
  String.raw`Invalid[ \t]URL[ \t]|parse[ \t]URL[ \t]from[ \t]`,
  String.raw`No[ \t]such[ \t]host[ \t]is[ \t]known\.[ \t]\(`,
  String.raw`--proxy[= \t]|from[ \t]string[ \t]|dsn\\?["']?[ \t]{0,3}[:=][ \t]{0,3}`,
].join('|');
// lead, opening quote, user (empty for redis' `:password@`), then the password up to the last
// `@` of the token that a host follows (greedy: `P@ssw0rd@db` keeps only `db`)
// the password stops at a field boundary of compact JSON (`","`) or of a query/logfmt list (`&k=`,
// `,k=`) and at a marker a previous pass wrote (so a chain of leads cannot grow a match pass by
// pass), and the host is no image digest nor a bare port (Redis' `ip:port@cport`)
const HOST_PW = String.raw`(?!\d{1,5}\/)(?:[^\s"&,;<]|<(?!redacted>)|"(?![,:;}\]])|[&,;](?![\w.-]{1,64}[=:])){1,256}@(?=[\w[])(?!sha(?:256|384|512):|\d{1,5}(?![\w.[-]))`;
// not an IAM member, a JDBC URL or an npm alias; `<sip:…>` is an address
const HOST_USER = String.raw`(?!sips?:|mailto:|serviceAccount:|jdbc:|npm:)[^\s:"'\`<]{0,128}`;
const HOST_CREDS = new RegExp(
  String.raw`((?:(?<![\w./])(?:${HOST_LEAD})|(?<!\w)(?:UnknownHostException|ServerSelectionTimeoutError|MongoSocketException):[ \t]{1,3}|(?<=[a-z])(?:[_.-]proxy|_url)\\?["']?[ \t]{0,3}[:=][ \t]{0,3})\\?["'\`]?)(${HOST_USER}):(?!\/\/)${HOST_PW}`,
  'gi',
);

const HOST_VALUE_CREDS = new RegExp(String.raw`^(${HOST_USER}):(?!\/\/)${HOST_PW}`, 'i');

/** A host param's value that holds `[user]:password@` (libpq's `host "app:pw@db"`), redacted. */
export function redactHostValue(value: string, marker: string): string {
  return value.replace(HOST_VALUE_CREDS, `$1:${marker}@`);
}

interface PatternRule {
  readonly needles: readonly string[];
  readonly pattern: RegExp;
  /** what a match becomes, `$1` and `$2` being its kept groups; `{R}` is the redaction marker */
  readonly replacement: string;
}

// Ordered like redact.ts's rules: these run after URL credentials and before key-value pairs.
const MORE_RULES: readonly PatternRule[] = [
  // redis://password@host (Lettuce, redis-py; redis+sentinel:// too): the password has no user before it
  { needles: ['redis://', 'rediss://', 'redis+sentinel://', 'rediss+sentinel://'], pattern: /(?<![\w+.-])(rediss?(?:\+sentinel)?:\/\/)([^\s:@/?#"'<>]{1,256})@/gi, replacement: '$1{R}@' },
  // jdbc:oracle:thin:scott/tiger@//host:1521/db
  { needles: ['jdbc:oracle:'], pattern: /(?<![\w.-])(jdbc:oracle:[a-z]{2,8}:[\w$#.-]{1,128})\/[^\s@/]{1,256}@/gi, replacement: '$1/{R}@' },
  { needles: ['@'], pattern: HOST_CREDS, replacement: '$1$2:{R}@' },
  // FATAL: role "app:password" does not exist
  { needles: ['role', 'user'], pattern: /(?<![\w-])((?:role|user)[ \t]{1,3}\\?")(?!(?:system|arn):)([^"\s:\\]{1,64}):(?!(?:\2|\d{1,10})\\?")[^"\s\\]{1,256}(?=\\?")/gi, replacement: '$1$2:{R}' },
  // Twilio's AccountSid:AuthToken wherever it stands (`-u`, `"auth": "…"`), a shape nothing else has
  { needles: ['ac'], pattern: /(?<![\w-])(AC[0-9a-f]{32}):[0-9a-f]{32}(?![0-9a-f])/g, replacement: '$1:{R}' },
  // Twilio's auth=AccountSid:AuthToken
  { needles: ['auth='], pattern: /(?<![\w-])(auth=\\?["']?[^\s:&"'\\]{1,128}):[^\s&"'\\]{16,256}/gi, replacement: '$1:{R}' },
  // PagerDuty's routing key (32 characters, 20 at least here); AMQP's routing_key=orders.created is a name
  { needles: ['routing'], pattern: /(?<!\w)(routing[_ -]?key\\?["']?[ \t]{0,3}[:=][ \t]{0,3}\\?["']?)(?=[A-Za-z]{0,62}\d[A-Za-z]{0,62}\d)[A-Za-z0-9]{20,64}(?![\w.-])/gi, replacement: '$1{R}' },
  // an OAuth authorization code or a one-time code in a URL's query
  { needles: ['?code=', '&code='], pattern: /([?&]code=)(?:\d{6,10}(?![^\s&#"'<>])|(?=[^\s&#"'<>\d]{0,64}\d)[^\s&#"'<>]{16,1024})/g, replacement: '$1{R}' },
  // https://hooks.slack.com/services/T…/B…/<secret>, https://discord.com/api/webhooks/<id>/<token>
  { needles: ['/services/t'], pattern: /(\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/)[A-Za-z0-9]{16,64}/g, replacement: '$1{R}' },
  { needles: ['/webhooks/'], pattern: /(discord(?:app)?\.com\/api\/(?:v\d{1,2}\/)?webhooks\/\d{5,30}\/)[\w-]{20,255}/g, replacement: '$1{R}' },
  // a signed URL's signature (Azure SAS `sig=`, `X-Goog-Signature=`, `X-Amz-Signature=`, CloudFront
  // `Signature=`), as a query parameter of 16 characters or more: `signature=invalid` is prose
  {
    needles: ['sig=', 'signature='],
    pattern: /([?&](?:sig|signature|x-goog-signature|x-amz-signature)=)[^\s&#"'<>]{16,1024}/gi,
    replacement: '$1{R}',
  },
  // session cookies: a value of 16 characters or more, so `session=expired` stays
  {
    needles: ['session', 'sid=', 'remember'],
    pattern: /(?<![\w.-])([\w.-]{0,64}?(?:session(?:[_-]?id)?|remember[_-]?me|phpsessid|aspsessionid[a-z]{0,16})|(?:[\w.-]{0,64}?[_.-])?sid)=([^\s"'`\\&,;<>(){}[\]]{16,4096})/gi,
    replacement: '$1={R}',
  },
  // a session id as a quoted key and value (Django's request.COOKIES, JSON): `'sessionid': '…'`;
  // unquoted `sessionid: 0x14ede63a5a70002` is ZooKeeper's session number, no credential
  {
    needles: ['session'],
    pattern: /(\\?['"][\w.-]{0,64}?session[_-]?id\\?['"][ \t]{0,3}:[ \t]{0,3}\\?['"])([^'"\\\n]{16,4096})/gi,
    replacement: '$1{R}',
  },
  // vendor tokens, each with its own needle, so that `disk-` or `task-` runs one pattern, not all
  { needles: ['sk-'], pattern: /(?:(?<![\w-])|(?<=%[0-9A-Fa-f]{2}))sk-(?:(?:proj|svcacct|admin)-[\w-]{40,255}|[A-Za-z0-9]{32,255})/g, replacement: '{R}' }, // OpenAI
  { needles: ['whsec_'], pattern: /(?:(?<!\w)|(?<=%[0-9A-Fa-f]{2}))whsec_[A-Za-z0-9+/=]{20,255}/g, replacement: '{R}' }, // Stripe webhook signing secret
  { needles: ['ya29.'], pattern: /(?:(?<![\w.-])|(?<=%[0-9A-Fa-f]{2}))ya29\.[\w.-]{20,4096}/g, replacement: '{R}' }, // Google OAuth access token
  // an ASGI header tuple as Python prints it: (b'x-api-key', b'...')
  {
    // the key names what the header holds, so a text without these words cannot match
    needles: ['authorization', 'key', 'token', 'secret', 'cookie', 'password'],
    pattern: /(\(b?['"][\w-]{0,64}(?:authorization|key|token|secret|cookie|password)['"],[ \t]{0,3}b?['"])([^'"\\\n]{1,4096})/gi,
    replacement: '$1{R}',
  },
];

/** The rules above as redact.ts runs them, with `{R}` written as the marker once. */
export function moreRedactions(marker: string): { needles: readonly string[]; apply: (s: string) => string }[] {
  const rules = MORE_RULES.map(({ needles, pattern, replacement }) => {
    const marked = replacement.replace('{R}', marker);
    return { needles, apply: (s: string) => s.replace(pattern, marked) };
  });
  return [...rules, ...bareRedactions(marker)];
}
