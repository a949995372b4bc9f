import { deriveLinks, type SignatureFacts, type SymptomPair } from '../core/issues/derive.js';
import type { IssueLinkRow } from '../core/issues/rows.js';
import { parseIssuesFile, type IssuesFile } from '../core/issues/schema.js';
import type { IssueRegistry } from '../ports/issue-registry.js';

export type ImportResult = { ok: true; file: IssuesFile } | { ok: false; error: string };

/** Validates a registry file's JSON and upserts its issues. */
export async function importIssues(registry: IssueRegistry, text: string): Promise<ImportResult> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  const parsed = parseIssuesFile(value);
  if (!parsed.ok) return parsed;
  await registry.upsert(parsed.file.repository, parsed.file.issues);
  return parsed;
}

/** Recomputes issue_links from the registry and the stored signatures. */
export async function relink(registry: IssueRegistry, facts: readonly SignatureFacts[], pairs: readonly SymptomPair[], nowIso: string): Promise<IssueLinkRow[]> {
  const links = deriveLinks(await registry.list(), facts, pairs, nowIso);
  await registry.replaceLinks(links);
  return links;
}
