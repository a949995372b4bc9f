/**
 * The miner's one judgement: does a token position that varies inside a candidate group hold a
 * variable (merge the lines) or a constant that tells templates apart (split them)?
 */
import { hasDigit, hasPlaceholder } from './tokenize.js';

/** At or above this many distinct plain words, a position is a variable (user names, hosts...). */
export const MAX_ENUM_VALUES = 5;

export type PositionKind = 'constant' | 'variable' | 'split';

interface TokenInfo {
  /** the letters outside placeholders: `rhost=<ip>` -> `rhost`, `(<host>)` -> `` */
  skeleton: string;
  /** holds a placeholder or a digit */
  varLike: boolean;
  /** the `key=` (or `call(`) it starts with, if any */
  assigned: string | null;
}

const BOOLEAN = /(?<![A-Za-z])(?:true|false)(?![A-Za-z])/gi;

const infos = new Map<string, TokenInfo>();

/** Per-token facts, cached: the same tokens come back at every level of the split. */
function info(token: string): TokenInfo {
  let i = infos.get(token);
  if (i === undefined) {
    // a boolean is a value like a number: `overlap:true` and `overlap:false` are one slot
    const valued = token.replace(BOOLEAN, '<bool>');
    i = {
      skeleton: valued.replace(/<[a-z*]+>/g, '').replace(/[^A-Za-z]+/g, ''),
      varLike: valued !== token || hasPlaceholder(token) || hasDigit(token),
      assigned: assignedKey(token),
    };
    if (infos.size >= 200_000) infos.clear();
    infos.set(token, i);
  }
  return i;
}

function allUpper(words: Iterable<string>): boolean {
  for (const w of words) if (w.length < 2 || w !== w.toUpperCase()) return false;
  return true;
}

export interface PositionKeys {
  /** value -> the constant it stands for, '' being "a variable slot" */
  keys: Map<string, string>;
  distinct: Set<string>;
}

/**
 * Maps each value seen at a position to the constant it stands for, '' being "a variable slot".
 * `<path>)`, `(<host>)` and `()` are slots; `rhost=<ip>` and `rhost=` are one key `rhost`; when no
 * value is a bare slot, digit-bearing tokens keep their letters (`eth<num>` and `wlan<num>` differ),
 * but beside one (`<id>`), they are all taken as fillers of the slot, as Drain does with numbers.
 */
export function positionKeys(values: ReadonlySet<string>, slots = true): PositionKeys {
  const varSkels = new Set<string>();
  for (const v of values) {
    const i = info(v);
    if (!i.varLike) continue;
    varSkels.add(i.skeleton);
    if (i.assigned) varSkels.add(i.assigned);
  }
  // One-token lines are all template: `<id>` beside `ready=true,policy=<num>` is no slot of it.
  const slotMode = slots && varSkels.has('');
  const stem = slotMode ? null : sharedStem(varSkels);
  const keys = new Map<string, string>();
  const distinct = new Set<string>();
  for (const v of values) {
    const { skeleton: sk, varLike, assigned } = info(v);
    let key: string;
    if (sk === '') key = '';
    else if (varLike) key = slotMode ? '' : assigned ?? stemmed(sk, stem);
    else key = varSkels.has(sk) ? sk : assigned !== null && (varSkels.has(assigned) || assignsName(assigned)) ? assigned : v;
    keys.set(v, key);
    distinct.add(key);
  }
  return { keys, distinct };
}

/** Numbered names this long (in letters) that differ in one letter are one name. */
const MIN_STEM_CHARS = 5;

interface Stem {
  /** the shared shape, the differing letter written `*`: `Thunderbird*` */
  key: string;
  head: string;
  tail: string;
}

/**
 * The shared shape of numbered names that differ in one letter only, at the same place:
 * `Thunderbird_A8` and `Thunderbird_B12` (skeletons `ThunderbirdA`, `ThunderbirdB`), or hosts
 * `aadmin1` and `badmin3`, are one numbered name (`ThunderbirdA` -> `Thunderbird*`), while
 * `eth<num>` and `wlan<num>` share nothing and stay apart. Null when there is no such shape.
 */
function sharedStem(skeletons: ReadonlySet<string>): Stem | null {
  if (skeletons.size < 2) return null;
  const [first] = skeletons as Set<string>;
  let at = -1;
  for (const sk of skeletons) {
    if (sk.length !== first!.length || sk.length < MIN_STEM_CHARS) return null;
    for (let i = 0; i < sk.length; i++) {
      if (sk[i] === first![i]) continue;
      if (at >= 0 && at !== i) return null;
      at = i;
    }
  }
  if (at < 0) return null;
  const [head, tail] = [first!.slice(0, at), first!.slice(at + 1)];
  return { key: `${head}*${tail}`, head, tail };
}

/** The stem a skeleton belongs to, or the skeleton itself. */
function stemmed(sk: string, stem: Stem | null): string {
  if (stem === null || sk.length !== stem.key.length) return sk;
  return sk.startsWith(stem.head) && sk.endsWith(stem.tail) ? stem.key : sk;
}

const LEAD_KEY = /^[A-Za-z_][\w.-]*[=(:[]/;

/**
 * `rhost=` for `rhost=zummit.com`, `chdir(` for `chdir(pwd)`: beside `rhost=<ip>` or
 * `chdir(<path>)`, an unmasked value after the same key fills the same slot.
 */
function assignedKey(token: string): string | null {
  const m = LEAD_KEY.exec(token);
  return m && m[0].length < token.length ? m[0] : null;
}

/**
 * `name=`: its value is a name, a variable of one slot. Only that key: `user=root` beside
 * `user=guest` may well be two templates (Linux's su and sshd lines are).
 */
function assignsName(key: string): boolean {
  return key === 'name=';
}

/** Nouns that name the value after them: `for user cyrus`, `on host db1`. */
const NAMING_WORDS = new Set(
  'user users username account owner host hostname domain node pod container bucket database table topic queue file directory'.split(' '),
);

/** True when the constant word before a position announces a name (case and a trailing `:` aside). */
export function namesNext(previous: string | undefined): boolean {
  if (previous === undefined) return false;
  const word = previous.endsWith(':') ? previous.slice(0, -1) : previous;
  return NAMING_WORDS.has(word.toLowerCase());
}

const ENUM_LAST_PART = /\.[A-Z][A-Z0-9_]*:?$/;
const DOTTED_NAME = /^([A-Za-z][\w-]*)(?:\.[A-Za-z][\w-]*){2,}:?$/;

/**
 * Names of one namespace (`com.apple.CacheDelete.daily:`, `system.charge.show`): at least three
 * dotted parts each, all under the same first part. They name what a message is about (a job,
 * a setting), as a user or host name does, wherever they stand, so they are never constants
 * that tell templates apart.
 */
function areDottedNames(keys: ReadonlySet<string>): boolean {
  let root: string | null = null;
  let enumLike = true;
  // A masked value among the names (`<url>:` beside Mac's job names) is one of them only when
  // the names are many: beside a few (`<file>` and four of Hadoop's deprecated properties),
  // it says they are constants, each its own message.
  const slotOk = keys.size - (keys.has('') ? 1 : 0) >= MAX_ENUM_VALUES;
  for (const k of keys) {
    if (k === '' && slotOk) continue;
    const m = DOTTED_NAME.exec(k);
    if (!m || (root !== null && m[1] !== root)) return false;
    root = m[1]!;
    enumLike &&= ENUM_LAST_PART.test(k);
  }
  // `android.intent.action.SCREEN_ON` and `...SCREEN_OFF` are constants: an enum's members.
  return root !== null && !enumLike;
}

/**
 * Classifies one position from its values' keys; `previous` is the token before it when that one
 * is the same on every line. `split` means the keys are constants of different templates.
 */
export function classifyPosition(pos: PositionKeys, position: number, length: number, previous?: string): PositionKind {
  if (pos.keys.size <= 1) return 'constant';
  const { distinct } = pos;
  if (distinct.size === 1 || namesNext(previous) || areDottedNames(distinct)) return 'variable';
  // A one-word line is all template; and, as in Drain, the first word is the message's verb or subject.
  if (length === 1 || position === 0) return 'split';
  const words = distinct.size - (distinct.has('') ? 1 : 0);
  if (words < MAX_ENUM_VALUES) return 'split';
  // Few distinct words are states or actions (`VM Started`, `VM Paused`); many are names.
  // UPPER_CASE words are enum constants however many there are (`from NEW to RUNNING`).
  const named = [...distinct].filter((k) => k !== '');
  return allUpper(named) ? 'split' : 'variable';
}
