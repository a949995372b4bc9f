import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSqlLibrary } from '../../functions/adapters/sql/load.js';
import { findFile, outputColumns } from '../../functions/core/sql/library.js';
import { CATEGORIES } from '../../functions/core/taxonomy.js';
import { loadRules } from '../../functions/rules/load.js';

/** The library as a whole: consistent, and in step with the engine it describes. */
const { library: lib, errors } = loadSqlLibrary();
const sqlOf = (name: string) => findFile(lib, name)?.text ?? '';

describe('the SQL library', () => {
  it('loads without a problem (headers, params, table references, no cycle)', () => {
    expect(errors).toEqual([]);
  });

  it('has the views, questions and checks the analysts were promised', () => {
    const names = (kind: string) => lib.files.filter((f) => f.kind === kind).map((f) => f.name);
    expect(names('view')).toEqual(expect.arrayContaining(['events', 'start_attempts', 'signature_daily', 'startup_success_hourly', 'timeout_escalation', 'revision_introductions']));
    expect(names('analysis').length).toBeGreaterThanOrEqual(5);
    expect(names('check')).toEqual(expect.arrayContaining(['duplicate_event_ids', 'signature_categories', 'future_timestamps', 'attempts_with_two_outcomes']));
  });

  it('documents every output column and every param', () => {
    for (const f of lib.files) {
      expect(outputColumns(lib, f).length, f.path).toBeGreaterThan(0);
      for (const p of f.params) expect(p.description, `${f.path} @${p.name}`).not.toBe('');
      for (const c of f.columns) expect(c.description, `${f.path} ${c.name}`).not.toBe('');
    }
  });

  it('refers to tables only through the dataset placeholder', () => {
    for (const f of lib.files) expect(f.body, f.path).not.toMatch(/\b(FROM|JOIN)\s+`?[A-Za-z0-9_-]+\.[A-Za-z0-9_]+`?\.\w+/i);
  });
});

/** `db_init_timeout: 300,` pairs of the engine's CATEGORY_PRIORITY table (compile.ts keeps it private). */
function enginePriorities(): Record<string, number> {
  const source = readFileSync(fileURLToPath(new URL('../../functions/core/classify/compile.ts', import.meta.url)), 'utf8');
  const table = /const CATEGORY_PRIORITY[^{]*\{([^}]*)\}/.exec(source)?.[1] ?? '';
  return Object.fromEntries([...table.matchAll(/(\w+):\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

describe('category_specificity', () => {
  const pairs = Object.fromEntries([...sqlOf('category_specificity').matchAll(/SELECT '(\w+)'(?: AS category)?, (\d+)/g)].map((m) => [m[1], Number(m[2])]));

  it('lists every taxonomy category once', () => {
    expect(Object.keys(pairs).sort()).toEqual([...CATEGORIES].sort());
  });

  it("agrees with the engine's category priorities", () => {
    const engine = enginePriorities();
    expect(Object.keys(engine).length).toBe(CATEGORIES.length);
    expect(pairs).toEqual(engine);
  });
});

describe('event_params', () => {
  const listed = [...sqlOf('event_params').matchAll(/STRUCT\('(\w+)' AS param, SAFE_CAST\(JSON_EXTRACT_SCALAR\(e\.params, '\$\.(\w+)'\)/g)];

  it('reads each param from its own JSON key', () => {
    expect(listed.length).toBeGreaterThan(0);
    for (const m of listed) expect(m[2]).toBe(m[1]);
  });

  it('lists every numeric param a rule declares', () => {
    const numeric = new Set<string>();
    for (const c of loadRules().rules.rules) {
      for (const [name, spec] of Object.entries(c.rule.params)) {
        const type = typeof spec === 'string' ? spec : spec.type;
        if (type !== 'string') numeric.add(name);
      }
    }
    expect(listed.map((m) => m[1]).sort()).toEqual([...numeric].sort());
  });
});
