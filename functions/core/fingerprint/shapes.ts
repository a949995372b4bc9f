/** Shape tests for the masker's token rules that are clearer (and safer from backtracking) as code. */

const TLDS = new Set('com net org edu gov mil int info biz local internal lan localdomain cloud app dev'.split(' '));
// Two-letter country domains, except those that are more often file extensions or words.
const NOT_TLDS = new Set('js ts py rb rs go sh so gz xz bz md db cc hh pl pm cs fs ko mo po ps in is or do to me'.split(' '));
const SECOND_LEVEL = new Set(['com', 'net', 'org', 'co', 'ac', 'edu', 'gov']);
const LABEL = /^[A-Za-z0-9-]{1,63}$/;

/** Country domains only count with some other sign of a host name: `mapred.task.id` is a property. */
function isTld(labels: readonly string[], name: string): boolean {
  const last = labels[labels.length - 1]!;
  if (TLDS.has(last)) return true;
  if (!/^[a-z]{2}$/.test(last)) return false;
  if (SECOND_LEVEL.has(labels[labels.length - 2]!)) return true;
  return !NOT_TLDS.has(last) && /[\d-]/.test(name);
}

/** A DNS name (optionally with a port): a known top-level domain, and three labels, a digit or `.com`. */
export function isHostName(core: string): boolean {
  const colon = core.lastIndexOf(':');
  const name = colon > 0 && /^\d{1,5}$/.test(core.slice(colon + 1)) ? core.slice(0, colon) : core;
  // Cheap first: most dotted tokens (`java.lang.Foo`, `done.Next`) end in no domain at all.
  const tail = name.slice(name.lastIndexOf('.') + 1);
  if (!TLDS.has(tail) && !/^[a-z]{2}$/.test(tail)) return false;
  const labels = name.split('.');
  // `com.example.app` is a package name, written the other way round.
  if (labels.length < 2 || TLDS.has(labels[0]!) || !isTld(labels, name)) return false;
  if (labels.length < 3 && !/\d/.test(name) && !SECOND_LEVEL.has(labels[labels.length - 1]!)) return false;
  return labels.every((l) => LABEL.test(l));
}

/** An IPv6 address, possibly `[bracketed]:port` (the opening bracket may have been stripped). */
export function isIpv6(core: string): boolean {
  let s = core.startsWith('[') ? core.slice(1) : core;
  const close = s.indexOf(']');
  if (close >= 0) {
    if (!/^(?::\d{1,5})?$/.test(s.slice(close + 1))) return false;
    s = s.slice(0, close);
  }
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const groups = s.split(':');
  if (groups.length < 3 || groups.length > 9) return false;
  if (!s.includes('::') && groups.length !== 8) return false;
  return groups.every((g) => g.length <= 4 || (g.includes('.') && g.length <= 15));
}

const FILE_EXT =
  'exe dll sys so jar war py pyc js mjs cjs ts rb go java class c cc cpp h hpp rs php pl sh bat ps1 ' +
  'log txt json yaml yml xml toml conf cfg ini properties env csv html css map zip gz tgz tar whl db sqlite pem crt key pid sock lock';
const FILE_RE = new RegExp(`^[\\w.+-]+\\.(?:${FILE_EXT.replace(/ /g, '|')})(?::\\d+)*$`);

/** A file name with a well-known extension (`chrome.exe`, `app.py:12`): a variable like a path. */
export function isFileName(core: string): boolean {
  return FILE_RE.test(core);
}

export function isPath(core: string): boolean {
  const c0 = core.charCodeAt(0);
  // `/x`, `~/x`, `./x`, `../x`
  if (c0 === 47 || c0 === 126 || c0 === 46) return core.length > 1 && /^(?:\/|~\/|\.\.?\/)./.test(core);
  if (core.length > 2 && core[1] === ':' && core[2] === '\\') return true;
  const slash = core.indexOf('/');
  if (slash < 0) return false;
  if (core.indexOf('/', slash + 1) > slash + 1) return true;
  return /^[\w.-]+\/[\w.-]+\.[A-Za-z]\w*(?::\d+)*$/.test(core);
}
