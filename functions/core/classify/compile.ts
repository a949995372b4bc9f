import RE2 from 're2';
import type { Category } from '../taxonomy.js';
import { RuleFile, type ParamSpec, type Rule } from './rule-schema.js';
import { buildPrefilter, type Prefilter } from './prefilter.js';
import { positionalPattern } from './groups.js';

/** Default precedence: the most specific cause in an entry wins (taxonomy labelling rule 3). */
const CATEGORY_PRIORITY: Record<Category, number> = {
  db_init_timeout: 300,
  init_timeout: 300,
  db_connect_timeout: 300,
  connection_refused: 300,
  db_pool_exhausted: 300,
  db_too_many_connections: 300,
  db_auth_failed: 300,
  cloudsql_connector: 300,
  vpc_connector: 300,
  import_error: 300,
  config_missing: 300,
  permission_denied: 300,
  dns: 300,
  port_in_use: 300,
  oom: 300,
  port_not_listening: 200,
  startup_probe_failed: 200,
  restart_backoff: 200,
  worker_timeout: 200,
  exit_code: 150,
  app_startup_failed: 100,
  unhandled_exception: 100,
  startup_progress: 50,
  startup_success: 50,
  not_startup_related: 10,
};

export interface CompiledRule {
  rule: Rule;
  regex: RE2;
  priority: number;
  /** position across all files in load order; breaks priority ties */
  order: number;
  /** the pattern's named groups (declared in rule.params) and where each one's text is in an exec result of `regex`, which has plain groups */
  groupIndex: { name: string; index: number }[];
  /** a JavaScript regex that matches as `regex` does on portable texts, faster (see CompileOptions) */
  twin: RegExp | null;
  /** rule.params in declared order, each with its group's index in an exec result (if it has a group) */
  paramPlan: readonly { name: string; spec: ParamSpec; index: number | undefined }[];
}

export interface CompileOptions {
  /**
   * A linear-time JavaScript regex that reads a rule's positional pattern as RE2 does, or
   * null to keep RE2 for that rule. Matching is then done by it, except on texts whose
   * characters the two engines treat differently (see matchRules).
   */
  twinRegExp?: (positionalSource: string, ignoreCase: boolean) => RegExp | null;
}

export interface RuleSet {
  version: string;
  rules: CompiledRule[];
  prefilter: Prefilter;
}

export interface RuleSource {
  /** file name, e.g. 010_db_init.json, for error messages and ordering */
  name: string;
  data: unknown;
}

/** A rule file that cannot be used. Thrown at load: bad rules must fail loudly, once. */
export class RuleLoadError extends Error {
  override name = 'RuleLoadError';
}

const NAMED_GROUP = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g;

function compileOne(rule: Rule, file: string, order: number, options: CompileOptions): CompiledRule {
  const where = `${file}: rule ${rule.id}`;
  const flags = rule.ignoreCase ? 'iu' : 'u';
  const positional = positionalPattern(rule.pattern);
  let regex: RE2;
  try {
    regex = new RE2(positional.source, flags);
  } catch {
    try {
      new RE2(rule.pattern, flags); // the error message should quote the rule's own pattern
    } catch (err) {
      throw new RuleLoadError(`${where}: pattern is not valid RE2: ${(err as Error).message}`);
    }
    throw new RuleLoadError(`${where}: pattern could not be compiled with positional groups`);
  }
  const groups = [...rule.pattern.matchAll(NAMED_GROUP)].map((m) => m[1] as string);
  if (positional.groups.map((g) => g.name).join() !== groups.join()) {
    throw new RuleLoadError(`${where}: named groups could not be located in the pattern`);
  }
  for (const g of groups) {
    if (!(g in rule.params)) throw new RuleLoadError(`${where}: named group "${g}" is not declared in params`);
  }
  for (const [name, spec] of Object.entries(rule.params)) {
    const constant = typeof spec === 'object' && spec.value !== undefined;
    if (!constant && !groups.includes(name)) {
      throw new RuleLoadError(`${where}: param "${name}" is neither a named group nor a constant`);
    }
  }
  for (const key of rule.signature.by) {
    if (!(key in rule.params)) throw new RuleLoadError(`${where}: signature.by names unknown param "${key}"`);
  }
  const twin = options.twinRegExp?.(positional.source, rule.ignoreCase) ?? null;
  const paramPlan = Object.entries(rule.params).map(([name, spec]) => ({ name, spec, index: positional.groups.find((g) => g.name === name)?.index }));
  return { rule, regex, priority: rule.priority ?? CATEGORY_PRIORITY[rule.category], order, groupIndex: positional.groups, twin, paramPlan };
}

/** Rules sharing a signature key describe one failure: they must agree on what defines it. */
function checkSharedKeys(rules: CompiledRule[]): void {
  const byKey = new Map<string, CompiledRule>();
  for (const c of rules) {
    const first = byKey.get(c.rule.signature.key);
    if (!first) {
      byKey.set(c.rule.signature.key, c);
      continue;
    }
    const a = first.rule;
    const b = c.rule;
    const same =
      a.category === b.category &&
      a.signature.version === b.signature.version &&
      a.signature.withTemplate === b.signature.withTemplate &&
      [...a.signature.by].sort().join() === [...b.signature.by].sort().join();
    if (!same) {
      throw new RuleLoadError(
        `rules ${a.id} and ${b.id} share signature key ${a.signature.key} but differ in category, version, by or withTemplate`,
      );
    }
  }
}

/** Validates and compiles rule files (sorted by name, so NNN_ prefixes decide ties). */
export function compileRuleSet(version: string, sources: RuleSource[], options: CompileOptions = {}): RuleSet {
  const sorted = [...sources].sort((a, b) => a.name.localeCompare(b.name));
  const compiled: CompiledRule[] = [];
  const ids = new Set<string>();
  for (const source of sorted) {
    const parsed = RuleFile.safeParse(source.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue ? issue.path.join('.') : '';
      throw new RuleLoadError(`${source.name}: invalid rule file at ${path || '(root)'}: ${issue?.message ?? 'unknown'}`);
    }
    for (const rule of parsed.data.rules) {
      if (ids.has(rule.id)) throw new RuleLoadError(`${source.name}: duplicate rule id ${rule.id}`);
      ids.add(rule.id);
      compiled.push(compileOne(rule, source.name, compiled.length, options));
    }
  }
  checkSharedKeys(compiled);
  // Precedence: higher priority first, then load order; matchRules relies on it.
  const precedence = compiled.map((_, i) => i).sort((a, b) => {
    const ca = compiled[a] as CompiledRule;
    const cb = compiled[b] as CompiledRule;
    return cb.priority - ca.priority || ca.order - cb.order;
  });
  const rank: number[] = [];
  precedence.forEach((ruleIndex, position) => (rank[ruleIndex] = position));
  return { version, rules: compiled, prefilter: buildPrefilter(compiled.map((c) => c.rule.anyOf), rank) };
}
