import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../functions/core/classify/classify.js';
import { loadRules } from '../../functions/rules/load.js';

/**
 * Signature ids must change only when a rule's signature definition does (a deliberate
 * `signature.version` bump, with the old definition kept in `history`). The committed
 * registry pins every released definition and one id per definition; regenerate it with
 * UPDATE_SIGNATURES=1 only when adding definitions or bumping versions.
 */
interface Definition {
  category: string;
  by: string[];
  withTemplate: boolean;
  /** one example text and the id it must keep, in the fixed scope below */
  example: string;
  id: string;
}

const REGISTRY = new URL('./signature-registry.json', import.meta.url);
const SCOPE = 'run:acme-prod/orders-api';
const { rules } = loadRules();

function current(): Record<string, Definition> {
  const defs: Record<string, Definition> = {};
  for (const { rule } of rules.rules) {
    const name = `${rule.signature.key}@v${rule.signature.version}`;
    if (defs[name]) continue;
    const example = rule.examples.match[0]?.text ?? '';
    const id = classifyMessage(rules, { message: example, stack: null, detail: null, source: 'example' }, SCOPE).signature_id ?? '';
    defs[name] = { category: rule.category, by: [...rule.signature.by].sort(), withTemplate: rule.signature.withTemplate, example, id };
  }
  return defs;
}

describe('signature ids are stable', () => {
  const now = current();
  if (process.env.UPDATE_SIGNATURES === '1' || !existsSync(REGISTRY)) {
    const old = existsSync(REGISTRY) ? (JSON.parse(readFileSync(REGISTRY, 'utf8')) as Record<string, Definition>) : {};
    writeFileSync(REGISTRY, JSON.stringify({ ...now, ...old }, null, 2) + '\n');
  }
  const registry = JSON.parse(readFileSync(REGISTRY, 'utf8')) as Record<string, Definition>;

  it.each(Object.keys(now))('%s keeps its released definition', (name) => {
    const released = registry[name];
    expect(released, `${name} is not in the registry: run UPDATE_SIGNATURES=1 npx vitest run test/rules/signature-stability.test.ts`).toBeDefined();
    const mine = now[name] as Definition;
    const hint = `${name} changed its definition without a version bump: bump signature.version and record the old one in history`;
    expect({ category: mine.category, by: mine.by, withTemplate: mine.withTemplate }, hint).toEqual({
      category: released?.category,
      by: released?.by,
      withTemplate: released?.withTemplate,
    });
  });

  it.each(Object.entries(registry))('%s still gives its registered id (or is recorded as retired)', (name, def) => {
    if (now[name]) {
      const id = classifyMessage(rules, { message: def.example, stack: null, detail: null, source: 'example' }, SCOPE).signature_id;
      expect(id).toBe(def.id);
      return;
    }
    // a retired version: the rule that owns the key now must record it in its history
    const [key, version] = name.split('@v');
    const owner = rules.rules.find((c) => c.rule.signature.key === key);
    expect(owner === undefined || owner.rule.signature.history.some((h) => h.version === Number(version))).toBe(true);
  });

  it('records the old definition of every bumped version', () => {
    for (const { rule } of rules.rules) {
      const versions = rule.signature.history.map((h) => h.version);
      expect(versions.every((v) => v < rule.signature.version)).toBe(true);
      for (let v = 1; v < rule.signature.version; v++) expect(versions).toContain(v);
    }
  });
});

/**
 * Entries no rule knows get their signature from the masked template, so the masker is part
 * of the signature definition: changing what it masks would re-alert every unknown failure
 * as new. These lines pin it; change them only with a deliberate, announced masker version.
 */
const TEMPLATE_REGISTRY = new URL('./template-registry.json', import.meta.url);
const UNKNOWN_LINES = [
  'FooBarError while syncing shard 17 of 64 after 3.2s',
  'worker 7f3a9c2e lost lease on partition 12 (owner 10.2.3.4:9000)',
  "cache warmup failed for tenant 'acme' after 3 attempts",
  'quota exceeded for project 123456789012: 1500 of 1000 requests/min',
  'unexpected EOF reading /var/run/secrets/token (read 512 bytes)',
  '2026-03-01T10:00:00Z job=nightly-export status=failed duration=1h2m3s',
  'GET https://api.example.com/v1/items/550e8400-e29b-41d4-a716-446655440000 returned 503',
  'pod api-7f9c8d6b5-x2k4q evicted: node low on ephemeral-storage (used 9.8GiB)',
];

describe('template signatures are stable', () => {
  const ids = Object.fromEntries(
    UNKNOWN_LINES.map((line) => [line, classifyMessage(rules, { message: line, stack: null, detail: null, source: 'example' }, SCOPE).signature_id]),
  );
  if (process.env.UPDATE_SIGNATURES === '1' || !existsSync(TEMPLATE_REGISTRY)) {
    writeFileSync(TEMPLATE_REGISTRY, JSON.stringify(ids, null, 2) + '\n');
  }
  const pinned = JSON.parse(readFileSync(TEMPLATE_REGISTRY, 'utf8')) as Record<string, string>;

  it.each(UNKNOWN_LINES)('%s keeps its id', (line) => {
    expect(ids[line]).toBe(pinned[line]);
  });

  it('the pinned lines are unknown to the rules', () => {
    for (const line of UNKNOWN_LINES) {
      expect(classifyMessage(rules, { message: line, stack: null, detail: null, source: 'example' }, SCOPE).rule_id).toBeNull();
    }
  });
});
