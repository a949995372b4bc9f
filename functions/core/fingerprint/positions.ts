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

const infos = new Map<string, TokenInfo>();

/** Per-token facts, cached: the same tokens come back at every level of the split. */
function info(token: string): TokenInfo {
  let i = infos.get(token);
  if (i === undefined) {
    i = {
      skeleton: token.replace(/<[a-z*]+>/g, '').replace(/[^A-Za-z]+/g, ''),
      varLike: hasPlaceholder(token) || hasDigit(token),
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
export function positionKeys(values: ReadonlySet<string>): PositionKeys {
  const varSkels = new Set<string>();
  for (const v of values) {
    const i = info(v);
    if (!i.varLike) continue;
    varSkels.add(i.skeleton);
    if (i.assigned) varSkels.add(i.assigned);
  }
  const slotMode = varSkels.has('');
  const keys = new Map<string, string>();
  const distinct = new Set<string>();
  for (const v of values) {
    const { skeleton: sk, varLike, assigned } = info(v);
    let key: string;
    if (sk === '') key = '';
    else if (varLike) key = slotMode ? '' : assigned ?? sk;
    else key = varSkels.has(sk) ? sk : assigned !== null && varSkels.has(assigned) ? assigned : v;
    keys.set(v, key);
    distinct.add(key);
  }
  return { keys, distinct };
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

/**
 * Classifies one position from its values' keys; `previous` is the token before it when that one
 * is the same on every line. `split` means the keys are constants of different templates.
 */
export function classifyPosition(pos: PositionKeys, position: number, length: number, previous?: string): PositionKind {
  if (pos.keys.size <= 1) return 'constant';
  const { distinct } = pos;
  if (distinct.size === 1 || namesNext(previous)) return 'variable';
  // A one-word line is all template; and, as in Drain, the first word is the message's verb or subject.
  if (length === 1 || position === 0) return 'split';
  const words = distinct.size - (distinct.has('') ? 1 : 0);
  if (words < MAX_ENUM_VALUES) return 'split';
  // Few distinct words are states or actions (`VM Started`, `VM Paused`); many are names.
  // UPPER_CASE words are enum constants however many there are (`from NEW to RUNNING`).
  const named = [...distinct].filter((k) => k !== '');
  return allUpper(named) ? 'split' : 'variable';
}
