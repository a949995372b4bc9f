import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { compileRuleSet, RuleLoadError, type RuleSet, type RuleSource } from '../core/classify/compile.js';
import { DEFAULT_RULES_VERSION, ENGINE_VERSION } from '../core/version.js';
import { linearTwinRegExp } from './linear-regexp.js';

export interface LoadedRules {
  rules: RuleSet;
  /** e.g. `faultline-0.1.0+rules-v1.3f9a0c2e`: changes whenever any rule file changes */
  classifierVersion: string;
}

/** The rules folder, both from the sources (vitest) and from the compiled dist/ tree. */
export function rulesRoot(): string {
  const candidates = [new URL('./', import.meta.url), new URL('../../../functions/rules/', import.meta.url)];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}/${DEFAULT_RULES_VERSION}`)) return dir;
  }
  throw new RuleLoadError(`rules folder not found next to ${fileURLToPath(import.meta.url)}`);
}

export function readRuleSources(dir: string): RuleSource[] {
  const names = readdirSync(dir).filter((n) => /^\d{3}_[a-z0-9_]+\.json$/.test(n)).sort();
  if (names.length === 0) throw new RuleLoadError(`no rule files (NNN_topic.json) in ${dir}`);
  return names.map((name) => {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    try {
      return { name, data: JSON.parse(text) as unknown };
    } catch (err) {
      throw new RuleLoadError(`${name}: not valid JSON: ${(err as Error).message}`);
    }
  });
}

function contentHash(sources: RuleSource[]): string {
  const h = createHash('sha256');
  for (const s of sources) h.update(s.name).update('\0').update(JSON.stringify(s.data)).update('\0');
  return h.digest('hex').slice(0, 8);
}

/** Loads, validates and compiles a rule set; throws RuleLoadError with the file and rule at fault. */
export function loadRules(version: string = DEFAULT_RULES_VERSION, root: string = rulesRoot()): LoadedRules {
  const sources = readRuleSources(`${root}/${version}`);
  return {
    rules: compileRuleSet(version, sources, { twinRegExp: linearTwinRegExp }),
    classifierVersion: `faultline-${ENGINE_VERSION}+rules-${version}.${contentHash(sources)}`,
  };
}
