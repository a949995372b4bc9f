/**
 * Secrets written with no key word before them, found by the twelfth session's review: a DSN
 * with no scheme (`app:pw@db:5432/app`), a token given as a URL's user (`https://<token>@host`)
 * and a password in prose (`the password is hunter2x`). Their shapes are also those of thread
 * names, storage containers and validation messages, so each match is judged by its value
 * before it is redacted. Like every pattern of redact.ts but PEM's, each stays within one line,
 * and redact.ts's trigger finds each in its line (`@`, `://`, `pass`).
 */

type Replacer = (match: string, ...groups: string[]) => string;

// a URI scheme in any case (`sip:`, `Sip:`), an npm alias, a JDBC URL or a log level: no user
const DSN_NOT_USER = String.raw`(?!(?:[sS][iI][pP][sS]?|[mM][aA][iI][lL][tT][oO]|[tT][eE][lL]|[xX][mM][pP][pP]|npm|jdbc|TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|CRITICAL|FATAL):)`;
// the host and its port, then the end of the address (`/app`, `: connection refused`, `.`)
const DSN_HOST_PORT = String.raw`(?!sha(?:256|384|512):)[A-Za-z0-9][\w-]{0,62}(?:\.[\w-]{1,63}){0,8}:\d{2,5}(?![\w-]|[.:][\w/])`;
// greedy up to the last `@` a host and port follow, so `P@ssw0rd@db:5432` loses all of `P@ssw0rd`
const BARE_DSN = new RegExp(String.raw`(?<![\w.:/@%+-])${DSN_NOT_USER}([A-Za-z_][\w.-]{0,63}):(?!\/\/)([^\s:/?#"'<>]{1,256})@(?=${DSN_HOST_PORT})`, 'g');

/**
 * Not a password: a hex address (Ruby's `#<Thread:0x…@worker.rb:25>`), a partition number
 * (`orders:0@kafka-0:9092`) or lower-case letters only, a user (Hadoop's `LeaseRenewer:hdfs@nn:8020`).
 */
const notDsnPassword = (pw: string): boolean => /^0x[0-9a-f]/i.test(pw) || /^\d{1,5}$/.test(pw) || /^[a-z]+$/.test(pw);

// 32 characters or more of one token alphabet with a letter and a digit (a Sentry DSN's key, a
// GitHub or Azure DevOps token), as the user of an https URL, with or without a password after
// it (GitHub's `<token>:x-oauth-basic@`); storage URIs name containers there (`abfss://`)
const TOKEN_USER = /(?<![\w+.-])((?:https?|git\+https?|wss?):\/\/)([A-Za-z0-9_]{32,256})(?::[^\s@/?#"']{0,256})?@/gi;

const PROSE_KEY = String.raw`(?:[\w.-]{0,64}?[_.-])?(?:passw(?:or)?d|passphrase)`;
// the longer forms first: a global replace goes on after a match judged no secret (`was` + `set`)
const PROSE_VERB = String.raw`(?:(?:(?:is|was|has[ \t]{1,3}been)[ \t]{1,3})?(?:set|reset|changed)[ \t]{1,3}to|is|was)`;
const PROSE_FOR = String.raw`(?:[ \t]{1,3}for[ \t]{1,3}(?:user[ \t]{1,3})?['"]?[\w.@-]{1,64}['"]?)?`;
// `password is X`, `password for user 'app' is X`, `with the password X`, and MySQL's first start:
// `A temporary password is generated for root@localhost: X` (always a secret, whatever it looks like)
const PROSE_PASSWORD = new RegExp(
  String.raw`((?<![\w.-])(?:${PROSE_KEY}${PROSE_FOR}[ \t]{1,3}${PROSE_VERB}:?[ \t]{1,3}|(?<=\b(?:with|using)[ \t]{1,3}(?:the[ \t]{1,3})?)${PROSE_KEY}[ \t]{1,3})|(?<![\w.-])temporary[ \t]password[ \t]is[ \t]generated[ \t]for[ \t][^\s:]{1,128}:[ \t])("[^"\n]{1,256}"|'[^'\n]{1,256}'|[^\s]{1,256})`,
  'gi',
);

/**
 * Whether a value said in prose is a secret: a digit, or a symbol before its last character
 * (`Hunter2!x`, but not `required!` nor `expired.`); never a placeholder (`${DB_PASSWORD}`,
 * `%s`, `{pw}`, `<redacted>`) nor a word of fewer than 4 characters.
 */
function isProseSecret(value: string): boolean {
  const v = value.length > 1 && (value[0] === '"' || value[0] === "'") ? value.slice(1, -1) : value;
  if (v.length < 4 || /^[$%{<]/.test(v)) return false;
  return /\d/.test(v) || /[!#$%^&*+=?~@;(][^\s]/.test(v);
}

function proseReplacer(marker: string): Replacer {
  return (m, lead, value) => {
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    const always = /^temporary/i.test(lead);
    return always || isProseSecret(value) ? `${lead}${quote}${marker}${quote}` : m;
  };
}

/** The rules above as redact-more.ts appends them to its own, with the marker written in. */
export function bareRedactions(marker: string): { needles: readonly string[]; apply: (s: string) => string }[] {
  const dsn: Replacer = (m, user, pw) => (notDsnPassword(pw) ? m : `${user}:${marker}@`);
  return [
    { needles: ['@'], apply: (s) => s.replace(BARE_DSN, dsn) },
    { needles: ['://'], apply: (s) => s.replace(TOKEN_USER, (m, scheme: string, token: string) => (/\d/.test(token) && /[A-Za-z]/.test(token) ? `${scheme}${marker}@` : m)) },
    { needles: ['pass'], apply: (s) => s.replace(PROSE_PASSWORD, proseReplacer(marker)) },
  ];
}
