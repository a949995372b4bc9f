/**
 * Rule patterns name their captures (`(?P<timeout_s>...)`), but the re2 package builds a
 * `groups` object on every exec, which measured as the larger part of a match's cost on the
 * big rule patterns. Rules are compiled with plain groups instead, and params are read by index.
 */
export interface PositionalPattern {
  /** the pattern with every named group opener turned into a plain `(` */
  source: string;
  /** each named group's index in an exec result, in pattern order */
  groups: { name: string; index: number }[];
}

const NAMED_OPENER = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/;

/** Where a character class that starts at `open` ends (RE2/Perl: a leading `]` is literal). */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length - 1;
}

export function positionalPattern(pattern: string): PositionalPattern {
  let source = '';
  const groups: { name: string; index: number }[] = [];
  let captures = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      source += pattern.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      const end = classEnd(pattern, i);
      source += pattern.slice(i, end + 1);
      i = end;
    } else if (c === '(' && pattern[i + 1] !== '?') {
      captures++;
      source += c;
    } else if (c === '(') {
      const named = NAMED_OPENER.exec(pattern.slice(i, i + 80));
      if (named) {
        groups.push({ name: named[1] as string, index: ++captures });
        source += '(';
        i += named[0].length - 1;
      } else source += c;
    } else source += c;
  }
  return { source, groups };
}
