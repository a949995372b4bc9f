/**
 * Secrets written with no key word before them, found by the twelfth session's review: a DSN
 * with no scheme (`app:pw@db:5432/app`), a token given as a URL's user (`https://<token>@host`)
 * and a password in prose (`the password is hunter2x`). Their shapes are also those of thread
 * names, storage containers and validation messages, so each match is judged by its value
 * before it is redacted. Like every pattern of redact.ts but PEM's, each stays within one line,
 * and redact.ts's trigger finds each in its line (`@`, `://`, `pass`, `identified by`).
 */

type Replacer = (match: string, ...groups: string[]) => string;

// a URI scheme in any case (`sip:`, `Sip:`), an npm alias, a JDBC URL, a log level or a CamelCase
// name (Hadoop's thread `LeaseRenewer:spark_svc@nn1:8020`): no user
const DSN_NOT_USER = String.raw`(?!(?:[sS][iI][pP][sS]?|[mM][aA][iI][lL][tT][oO]|[tT][eE][lL]|[xX][mM][pP][pP]|npm|jdbc|TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|CRITICAL|FATAL):|[A-Z][a-z\d]{1,30}[A-Z])`;
// the host and its port, then the end of the address (`/app`, `: connection refused`, `.`)
const DSN_HOST_PORT = String.raw`(?!sha(?:256|384|512):)[A-Za-z0-9][\w-]{0,62}(?:\.[\w-]{1,63}){0,8}:\d{2,5}(?![\w-]|[.:][\w/])`;
// greedy up to the last `@` a host and port follow, so `P@ssw0rd@db:5432` loses all of `P@ssw0rd`
// after a boundary, or right after a URL or DSN field's name (Go's `%+v`: `{DatabaseURL:app:pw@db:5432/app}`)
const BARE_DSN = new RegExp(String.raw`(?:(?<![\w.:/@%+-])|(?<=(?:[uU][rR][lL]|[uU][rR][iI]|[dD][sS][nN])[:=]))${DSN_NOT_USER}([A-Za-z_][\w.-]{0,63}):(?!\/\/)([^\s:/?#"'<>]{1,256})@(?=${DSN_HOST_PORT})`, 'g');

/**
 * Not a password: a hex address (Ruby's `#<Thread:0x…@worker.rb:25>`), a partition number
 * (`orders:0@kafka-0:9092`) or lower-case letters only, a user (`worker:run@host:8080`).
 */
const notDsnPassword = (pw: string): boolean => /^0x[0-9a-f]/i.test(pw) || /^\d{1,5}$/.test(pw) || /^[a-z]+$/.test(pw);

// 32 characters or more of one token alphabet with a letter and a digit (a Sentry DSN's key, a
// GitHub or Azure DevOps token), as the user of an https URL, with or without a password after
// it (GitHub's `<token>:x-oauth-basic@`); storage URIs name containers there (`abfss://`)
const TOKEN_USER = /(?<![\w+.-])((?:https?|git\+https?|wss?):\/\/)([A-Za-z0-9_]{32,256})(?::[^\s@/?#"']{0,256})?@/gi;

const SP = String.raw`[ \t\u00a0]`;
const PROSE_KEY = String.raw`(?:[\w.-]{0,64}?[_.-])?(?:passw(?:or)?d|passphrase)`;
// the longer forms first: a global replace goes on after a match judged no secret (`was` + `set`)
const PROSE_VERB = String.raw`(?:(?:(?:is|was|has${SP}{1,3}been)${SP}{1,3})?(?:set|reset|changed|updated)${SP}{1,3}to|is${SP}{1,3}now|is|was)`;
// `for user 'app'`, `of user app`, and where: `on database "prod"`
const PROSE_OF = String.raw`(?:${SP}{1,3}(?:for|of)${SP}{1,3}(?:user${SP}{1,3})?['"]?[\w.@-]{1,64}['"]?(?:${SP}{1,3}(?:on|in|at)${SP}{1,3}(?:database|db|host|server)${SP}{1,3}['"]?[\w.@-]{1,64}['"]?)?)?`;
const PROSE_LEAD = [
  // `password is X`, `password for user 'app' is X`, `password of user app is X`, `password for app: X`
  String.raw`(?<![\w.-])${PROSE_KEY}${PROSE_OF}(?:${SP}{1,3}${PROSE_VERB}:?|:)${SP}{1,3}`,
  // `with the password X`, `setting password to X`
  String.raw`(?<=\b(?:with|using|setting|resetting|changing|updating)${SP}{1,3}(?:the${SP}{1,3})?)${PROSE_KEY}${SP}{1,3}(?:to${SP}{1,3})?`,
  // always secrets: a SQL literal (`ALTER USER app WITH ENCRYPTED PASSWORD 'x'`, MySQL's `IDENTIFIED BY 'x'`) and MySQL's first start
  String.raw`(?<![\w.-])(?:password|identified${SP}{1,3}by)${SP}{1,3}(?=')`,
  String.raw`(?<![\w.-])temporary${SP}password${SP}is${SP}generated${SP}for${SP}[^\s:]{1,128}:${SP}`,
].join('|');
// quoted (JSON-escaped too), or up to a field's end in JSON, XML or a `;`/`,` list
const PROSE_VALUE = String.raw`\\"[^"\\\n]{1,256}\\"|"[^"\n]{1,256}"|'(?:[^'\n]|''){1,256}'|[^\s"<;,]{1,256}`;
const PROSE_PASSWORD = new RegExp(String.raw`(${PROSE_LEAD})(${PROSE_VALUE})`, 'gi');

// not a value: a placeholder (`${DB_PASSWORD}`, `$DB_PASSWORD`, `%s`, `{pw}`, `<redacted>`, `(null)`),
// a length (`8-64`) or a description (`base64-encoded`, `SHA256-hashed`)
const PLACEHOLDER = /^(?:\$\{|\$[A-Z_]{2}|%[sdv]|[{<(])/;
const DESCRIPTION = /^\d{1,3}(?:-\d{1,3})?$|-(?:encoded|encrypted|hashed|protected|based|bit)$/i;

/**
 * Whether a value said in prose is a secret: a digit, or a symbol before its last character
 * (`Hunter2!x`, but not `required!` nor `expired.`), and no PLACEHOLDER, DESCRIPTION nor word under 4.
 */
function isProseSecret(value: string): boolean {
  const v = unquoted(value);
  if (v.length < 4 || PLACEHOLDER.test(v) || DESCRIPTION.test(v)) return false;
  return /\d/.test(v) || /[!#$%^&*+=?~@;(][^\s]/.test(v);
}

function quoteOf(value: string): string {
  if (value.startsWith('\\"')) return '\\"';
  return value[0] === '"' || value[0] === "'" ? value[0] : '';
}

function unquoted(value: string): string {
  const quote = quoteOf(value);
  return quote === '' ? value : value.slice(quote.length, -quote.length);
}

function proseReplacer(marker: string): Replacer {
  return (m, lead, value) => {
    const quote = quoteOf(value);
    // a literal right after the word, or MySQL's temporary password: a secret whatever it looks like
    const always = /^temporary/i.test(lead) || (/(?:password|identified\s+by)\s*$/i.test(lead) && quote === "'");
    return always || isProseSecret(value) ? `${lead}${quote}${marker}${quote}` : m;
  };
}

/** The rules above as redact-more.ts appends them to its own, with the marker written in. */
export function bareRedactions(marker: string): { needles: readonly string[]; apply: (s: string) => string }[] {
  const dsn: Replacer = (m, user, pw) => (notDsnPassword(pw) ? m : `${user}:${marker}@`);
  return [
    { needles: ['@'], apply: (s) => s.replace(BARE_DSN, dsn) },
    { needles: ['://'], apply: (s) => s.replace(TOKEN_USER, (m, scheme: string, token: string) => (/\d/.test(token) && /[A-Za-z]/.test(token) ? `${scheme}${marker}@` : m)) },
    { needles: ['pass', 'identified'], apply: (s) => s.replace(PROSE_PASSWORD, proseReplacer(marker)) },
  ];
}
