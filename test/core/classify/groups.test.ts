import { describe, expect, it } from 'vitest';
import RE2 from 're2';
import { positionalPattern } from '../../../functions/core/classify/groups.js';

describe('positionalPattern', () => {
  it.each([
    ['timeout after (?P<timeout_s>\\d+)s', 'timeout after ()s'.replace('()', '(\\d+)'), [['timeout_s', 1]]],
    ['(a|b)(?:c)(?P<x>d)(?<y>e)', '(a|b)(?:c)(d)(e)', [['x', 2], ['y', 3]]],
    // escaped parens and parens inside classes open no group
    ['\\((?P<x>\\d+)\\)[(](?P<y>[^)(]+)', '\\((\\d+)\\)[(]([^)(]+)', [['x', 1], ['y', 2]]],
    // a leading ] in a class is literal; a class does not end there
    ['[](](?P<x>a)', '[](](a)', [['x', 1]]],
    ['(?i)(?P<x>a)', '(?i)(a)', [['x', 1]]],
  ])('%s', (pattern, source, groups) => {
    const p = positionalPattern(pattern);
    expect(p.source).toBe(source);
    expect(p.groups.map((g) => [g.name, g.index])).toEqual(groups);
  });

  it('reads the same texts as the named groups it replaced', () => {
    const pattern = '(?:(?P<exception>ModuleNotFoundError|ImportError): )No module named (\')?(?P<module>[\\w.]+)';
    const text = "ModuleNotFoundError: No module named 'app.monitoring'";
    const named = new RE2(pattern, 'u').exec(text)?.groups;
    const p = positionalPattern(pattern);
    const m = new RE2(p.source, 'u').exec(text) ?? [];
    expect(Object.fromEntries(p.groups.map((g) => [g.name, m[g.index]]))).toEqual({ ...named });
  });
});
