import type { Params } from '../taxonomy.js';
import type { CompiledRule, RuleSet } from './compile.js';
import type { ParamSpec } from './rule-schema.js';
import { durationSeconds } from './duration.js';

export interface RuleMatch {
  compiled: CompiledRule;
  params: Params;
  /** index of the candidate text that matched (0 = the final exception or the whole message) */
  candidate: number;
  /** the text the rule matched */
  text: string;
}

function convert(raw: string, spec: ParamSpec): string | number | undefined {
  const type = typeof spec === 'string' ? spec : spec.type;
  if (type === 'string') return raw;
  const n = type === 'duration' ? (durationSeconds(raw) ?? Number.NaN) : type === 'int' ? Number.parseInt(raw.replace(/[,_]/g, ''), 10) : Number.parseFloat(raw.replace(/,/g, ''));
  if (!Number.isFinite(n)) return undefined;
  const scale = typeof spec === 'string' ? undefined : spec.scale;
  if (scale === undefined) return n;
  // round away binary noise from unit scaling (30000 * 0.001 = 30.000000000000004)
  const scaled = Math.round(n * scale * 1e9) / 1e9;
  return type === 'int' ? Math.round(scaled) : scaled;
}

/** Params of a match (an exec result of the rule's positional regex), in the rule's declared order, so output is stable. */
export function extractParams(compiled: CompiledRule, m: readonly (string | undefined)[]): Params {
  const params: Params = {};
  for (const { name, spec, index } of compiled.paramPlan) {
    if (typeof spec === 'object' && spec.value !== undefined) {
      params[name] = spec.value;
      continue;
    }
    const raw = index === undefined ? undefined : m[index];
    if (raw === undefined || raw === '') continue;
    const value = convert(raw, spec);
    if (value !== undefined) params[name] = value;
  }
  return params;
}

// Characters JavaScript and RE2 count or case-fold differently (astral characters and lone
// surrogates, long s, the Kelvin sign): texts holding them are matched by RE2.
const NOT_PORTABLE = /[\uD800-\uDFFF\u017F\u212A]/;

/**
 * Whether a rule matches a text, with its groups. A rule with a JavaScript twin (same
 * matches on every portable text, linear time: see CompileOptions) is matched by it: V8 runs
 * these patterns in well under a microsecond where re2 takes 1-3 µs to test and 5-15 µs to
 * exec with groups. Otherwise RE2: `test` when the rule has no groups, `exec` when it has.
 */
function matchOf(compiled: CompiledRule, text: string, portable: boolean): readonly (string | undefined)[] | null {
  if (compiled.twin !== null && portable) return compiled.twin.exec(text);
  if (compiled.groupIndex.length === 0) return compiled.regex.test(text) ? [] : null;
  return compiled.regex.exec(text);
}

/**
 * The best rule over the candidate texts: highest priority, then the earliest candidate
 * (the exception that ends a trace beats its causes), then the earliest rule. The prefilter
 * returns rules in exactly that precedence, so the first match of a text is its best and
 * later texts only need rules that outrank it: most entries cost one RE2 call.
 */
export function matchRules(set: RuleSet, candidates: readonly string[]): RuleMatch | null {
  let best: RuleMatch | null = null;
  candidates.forEach((text, candidate) => {
    const portable = !NOT_PORTABLE.test(text);
    for (const i of set.prefilter.candidates(text)) {
      const compiled = set.rules[i] as CompiledRule;
      if (best && compiled.priority <= best.compiled.priority) break;
      const m = matchOf(compiled, text, portable);
      if (!m) continue;
      best = { compiled, params: extractParams(compiled, m), candidate, text };
      break;
    }
  });
  return best;
}

/** Whether one rule alone matches a text, as classification decides it (a rule's negative examples). */
export function ruleMatches(compiled: CompiledRule, text: string): boolean {
  return matchOf(compiled, text, !NOT_PORTABLE.test(text)) !== null;
}
