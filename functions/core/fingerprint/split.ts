/**
 * Top-down splitting of same-length token rows, IPLoM-style: a cluster is split on the position
 * whose values are the fewest distinct constants (see positions.ts), then each part again, until
 * every position that still varies holds a variable. Tokens are interned to integers so a pass
 * over a position costs an array read and a stamp per member.
 */
import { classifyPosition, positionKeys } from './positions.js';
import { mergeValues } from './template.js';

/** Positions past this are never split on: bounds the cost of very long lines. */
const MAX_SPLIT_POSITIONS = 64;

export interface TokenRows {
  /** interned token ids of each distinct masked line */
  readonly rows: readonly Int32Array[];
  /** token id -> token text */
  readonly text: readonly string[];
}

interface SplitChoice {
  position: number;
  keys: Map<string, string>;
}

class Scanner {
  private readonly stamp: Uint32Array;
  private epoch = 0;

  constructor(private readonly t: TokenRows) {
    this.stamp = new Uint32Array(t.text.length);
  }

  /** The distinct token ids at a position, or null when every member has the same one. */
  valuesAt(cluster: readonly number[], p: number): number[] | null {
    const { rows } = this.t;
    const first = rows[cluster[0]!]![p]!;
    let k = 1;
    while (k < cluster.length && rows[cluster[k]!]![p] === first) k++;
    if (k === cluster.length) return null;
    const epoch = ++this.epoch;
    const out = [first];
    this.stamp[first] = epoch;
    for (; k < cluster.length; k++) {
      const id = rows[cluster[k]!]![p]!;
      if (this.stamp[id] !== epoch) {
        this.stamp[id] = epoch;
        out.push(id);
      }
    }
    return out;
  }
}

/**
 * Below this share of positions that hold one token on every line, a cluster is not one message:
 * Drain's similarity threshold (0.4 untuned) plays the same part.
 */
const MIN_SHARED = 0.4;

/**
 * The position to split a cluster on: the one whose constants are fewest, leftmost on ties.
 * When no position reads as constants but the lines share almost nothing (ten-token lines of
 * ten different messages, each position holding five or more words), the position with the
 * fewest distinct values is split on all the same.
 */
function chooseSplit(cluster: readonly number[], t: TokenRows, scan: Scanner, length: number): SplitChoice | null {
  let best: SplitChoice | null = null;
  let bestSize = Infinity;
  let fallback: SplitChoice | null = null;
  let fallbackSize = Infinity;
  let shared = 0;
  let previous: string | undefined;
  const scanned = Math.min(length, MAX_SPLIT_POSITIONS);
  for (let p = 0; p < scanned; p++) {
    const ids = scan.valuesAt(cluster, p);
    const before = previous;
    previous = ids === null ? t.text[t.rows[cluster[0]!]![p]!] : undefined;
    if (ids === null) {
      shared++;
      continue;
    }
    const pos = positionKeys(new Set(ids.map((id) => t.text[id]!)), length > 1);
    const size = pos.distinct.size;
    if (classifyPosition(pos, p, length, before) !== 'split') {
      if (size > 1 && size < fallbackSize) [fallback, fallbackSize] = [{ position: p, keys: pos.keys }, size];
      continue;
    }
    if (size < bestSize) [best, bestSize] = [{ position: p, keys: pos.keys }, size];
  }
  return best ?? (shared < MIN_SHARED * scanned ? fallback : null);
}

/** Splits the rows `members` (all `length` tokens long); returns the leaves as lists of rows. */
export function splitByPositions(members: number[], t: TokenRows, length: number): number[][] {
  const scan = new Scanner(t);
  const leaves: number[][] = [];
  const stack: number[][] = [members];
  while (stack.length > 0) {
    const cluster = stack.pop()!;
    const choice = cluster.length > 1 ? chooseSplit(cluster, t, scan, length) : null;
    if (!choice) {
      leaves.push(cluster);
      continue;
    }
    const parts = new Map<string, number[]>();
    for (const m of cluster) {
      const key = choice.keys.get(t.text[t.rows[m]![choice.position]!]!)!;
      const part = parts.get(key);
      if (part) part.push(m);
      else parts.set(key, [m]);
    }
    for (const part of parts.values()) stack.push(part);
  }
  return leaves;
}

/** A leaf's template: its constant tokens, and a wildcard (keeping shared punctuation) elsewhere. */
export function leafTemplate(leaf: readonly number[], t: TokenRows, length: number): string {
  const scan = new Scanner(t);
  const out: string[] = [];
  for (let p = 0; p < length; p++) {
    const ids = scan.valuesAt(leaf, p);
    out.push(ids === null ? t.text[t.rows[leaf[0]!]![p]!]! : mergeValues(ids.map((id) => t.text[id]!)));
  }
  return out.join(' ');
}
