import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../functions/core/classify/classify.js';
import { ruleMatches } from '../../functions/core/classify/match.js';
import { loadRules } from '../../functions/rules/load.js';

// Every rule carries its own examples; this suite is what keeps them honest.
const { rules } = loadRules();

function classify(text: string) {
  return classifyMessage(rules, { message: text, stack: null, detail: null, source: 'example' }, 'example-scope');
}

describe.each(rules.rules.map((c) => [c.rule.id, c] as const))('rule %s', (_id, compiled) => {
  const { rule } = compiled;
  it.each(rule.examples.match.map((e, i) => [i, e] as const))('classifies match example %i with this rule', (_i, example) => {
    const result = classify(example.text);
    expect({ rule_id: result.rule_id, category: result.category }).toEqual({ rule_id: rule.id, category: rule.category });
    if (example.params) expect(result.params).toEqual(example.params);
    expect(result.signature_id).toMatch(/^[0-9a-f]{16}$/);
  });
  it.each(rule.examples.noMatch.map((t, i) => [i, t] as const))('does not match noMatch example %i', (_i, text) => {
    expect(ruleMatches(compiled, text)).toBe(false);
  });
});
