/**
 * Decides which rules are worth running on a text: a rule is tried only when one of its
 * `anyOf` literals occurs (case-insensitively) in it. One scan over the text replaces a
 * pattern call per rule, which matters because an RE2 call costs microseconds.
 */
export interface Prefilter {
  /** indices of the rules that may match, in precedence order (see buildPrefilter's `rank`) */
  candidates(text: string): number[];
}

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `rank[i]` orders rule i among candidates: lower is tried first. */
export function buildPrefilter(anyOfPerRule: string[][], rank: readonly number[] = anyOfPerRule.map((_, i) => i)): Prefilter {
  const literals = [...new Set(anyOfPerRule.flat().map((l) => l.toLowerCase()))].sort(
    (a, b) => b.length - a.length || a.localeCompare(b),
  );
  const index = new Map(literals.map((l, i) => [l, i]));
  // A scan reports the longest literal at each position; the shorter ones it contains
  // occur too, so each literal carries the rules of every literal inside it.
  const rulesOf: number[][] = literals.map(() => []);
  anyOfPerRule.forEach((anyOf, rule) => {
    for (const lit of anyOf) rulesOf[index.get(lit.toLowerCase()) as number]?.push(rule);
  });
  const closure: number[][] = literals.map((outer) => {
    const rules = new Set<number>();
    literals.forEach((inner, j) => {
      if (outer.includes(inner)) for (const r of rulesOf[j] ?? []) rules.add(r);
    });
    return [...rules];
  });
  if (literals.length === 0) return { candidates: () => [] };
  // Literal alternation only: no quantifier, so no backtracking blow-up.
  const scanner = new RegExp(literals.map(escapeLiteral).join('|'), 'gi');
  return {
    candidates(text: string): number[] {
      const hits = new Set<number>();
      scanner.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = scanner.exec(text)) !== null) {
        const li = index.get(m[0].toLowerCase());
        if (li !== undefined) for (const r of closure[li] ?? []) hits.add(r);
        // restart one past the match start so that overlapping literals are found too
        scanner.lastIndex = m.index + 1;
      }
      return [...hits].sort((a, b) => (rank[a] as number) - (rank[b] as number));
    },
  };
}
