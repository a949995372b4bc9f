import { parseRegistryText } from '../core/issues/file-format.js';
import { deriveLinks, type SignatureFacts, type SymptomPair } from '../core/issues/derive.js';
import type { IssueLinkRow } from '../core/issues/rows.js';
import { parseIssuesFile, type IssuesFile } from '../core/issues/schema.js';
import type { IssueRegistry } from '../ports/issue-registry.js';

export type ImportResult = { ok: true; file: IssuesFile } | { ok: false; error: string };

/** Validates a registry file (JSON, or YAML when `name` ends in .yaml/.yml) and upserts its issues. */
export async function importIssues(registry: IssueRegistry, text: string, name = ''): Promise<ImportResult> {
  const value = parseRegistryText(text, name);
  if (!value.ok) return value;
  const parsed = parseIssuesFile(value.value);
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
