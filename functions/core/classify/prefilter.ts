/**
 * Decides which rules are worth running on a text: a rule is tried only when one of its
 * `anyOf` literals occurs (case-insensitively) in it. One pass of an Aho-Corasick automaton
 * over the text replaces a pattern call per rule, which matters because an RE2 call costs
 * microseconds while the pass costs a few nanoseconds per character.
 */
export interface Prefilter {
  /** indices of the rules that may match, in precedence order (see buildPrefilter's `rank`) */
  candidates(text: string): readonly number[];
}

/** Text is scanned as 7-bit characters; every non-ASCII character folds into one symbol. */
const ALPHABET = 128;
const symbol = (c: number) => (c < ALPHABET ? c : ALPHABET - 1);

interface Trie {
  children: Map<number, number>[];
  out: number[][];
}

function addLiteral(t: Trie, literal: string, rules: readonly number[]): void {
  let state = 0;
  for (let i = 0; i < literal.length; i++) {
    const c = symbol(literal.charCodeAt(i));
    let to = t.children[state]?.get(c);
    if (to === undefined) {
      to = t.children.length;
      t.children.push(new Map());
      t.out.push([]);
      t.children[state]?.set(c, to);
    }
    state = to;
  }
  t.out[state]?.push(...rules);
}

/**
 * Compiles the trie into a full transition table (Aho-Corasick with fail links folded in),
 * so that scanning costs one array read per character.
 */
function toDfa(t: Trie): { delta: Int32Array; out: number[][] } {
  const delta = new Int32Array(t.children.length * ALPHABET);
  const fail = new Int32Array(t.children.length);
  const out = t.out.map((o) => [...o]);
  const queue: number[] = [];
  for (const [c, to] of t.children[0] ?? []) {
    delta[c] = to;
    queue.push(to);
  }
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head] as number;
    out[s] = [...new Set([...(out[s] ?? []), ...(out[fail[s] as number] ?? [])])];
    for (let c = 0; c < ALPHABET; c++) {
      const to = t.children[s]?.get(c);
      if (to === undefined) {
        delta[s * ALPHABET + c] = delta[(fail[s] as number) * ALPHABET + c] as number;
      } else {
        fail[to] = delta[(fail[s] as number) * ALPHABET + c] as number;
        delta[s * ALPHABET + c] = to;
        queue.push(to);
      }
    }
  }
  return { delta, out };
}

const NO_RULES: readonly number[] = Object.freeze([]);

/**
 * Insertion sort by rank, in place: a text sets off a handful of rules (a phase timeout line
 * about twenty), and Array.sort's working copy and comparator calls cost three times more.
 */
function sortByRank(hits: number[], rank: readonly number[]): number[] {
  // quadratic: past this, Array.sort
  if (hits.length > 64) return hits.sort((x, y) => (rank[x] as number) - (rank[y] as number));
  for (let i = 1; i < hits.length; i++) {
    const rule = hits[i] as number;
    const r = rank[rule] as number;
    let j = i - 1;
    for (; j >= 0 && (rank[hits[j] as number] as number) > r; j--) hits[j + 1] = hits[j] as number;
    hits[j + 1] = rule;
  }
  return hits;
}

export function buildPrefilter(anyOfPerRule: string[][], rank: readonly number[] = anyOfPerRule.map((_, i) => i)): Prefilter {
  const rulesOf = new Map<string, number[]>();
  anyOfPerRule.forEach((anyOf, rule) => {
    for (const lit of anyOf) {
      const key = lit.toLowerCase();
      rulesOf.set(key, [...(rulesOf.get(key) ?? []), rule]);
    }
  });
  const trie: Trie = { children: [new Map()], out: [[]] };
  for (const [lit, rules] of rulesOf) if (lit.length > 0) addLiteral(trie, lit, rules);
  const { delta, out } = toDfa(trie);
  // which rules this call found already: set and cleared within one call, so shared
  const seen = new Uint8Array(anyOfPerRule.length);
  return {
    candidates(text: string): readonly number[] {
      const lower = text.toLowerCase();
      const hits: number[] = [];
      try {
        let state = 0;
        for (let i = 0; i < lower.length; i++) {
          state = delta[state * ALPHABET + symbol(lower.charCodeAt(i))] as number;
          const found = out[state] as number[];
          for (let k = 0; k < found.length; k++) {
            const rule = found[k] as number;
            if (seen[rule] === 1) continue;
            seen[rule] = 1;
            hits.push(rule);
          }
        }
      } finally {
        for (const rule of hits) seen[rule] = 0;
      }
      return hits.length > 1 ? sortByRank(hits, rank) : hits.length === 1 ? hits : NO_RULES;
    },
  };
}
