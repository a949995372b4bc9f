import { readFile } from 'node:fs/promises';
import { importIssues } from '../app/issues.js';
import type { IssueRegistry } from '../ports/issue-registry.js';
import { LocalError } from './local.js';

/** Reads a registry file (JSON, or YAML by its .yaml/.yml name) and upserts its issues. */
export async function importIssuesFileInto(registry: IssueRegistry, path: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new LocalError(`cannot read issues file ${path}: ${(err as Error).message}`);
  }
  const r = await importIssues(registry, text, path);
  if (!r.ok) throw new LocalError(`invalid issues file ${path}: ${r.error}`);
  return r.file.issues.length;
}
