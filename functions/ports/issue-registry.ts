import type { IssueLinkRow } from '../core/issues/rows.js';
import type { Issue } from '../core/issues/schema.js';

/** Tracker issues and their links to signatures (tables issues and issue_links). */
export interface IssueRegistry {
  /** inserts or updates issues by (repository, number) */
  upsert(repository: string, issues: readonly Issue[]): Promise<void>;
  list(): Promise<{ repository: string; issue: Issue }[]>;
  /** replaces every link (links are derived: recomputed from issues and signatures) */
  replaceLinks(links: readonly IssueLinkRow[]): Promise<void>;
  /** a token that changes whenever issues are upserted (an import or sync) */
  issuesVersion(): Promise<string>;
  /**
   * adds the links whose link_id is not stored, and only while the issues are still at
   * `issuesVersion` (read before the links were derived from them); never changes or removes
   * a link. So a writer that read earlier (an alerts tick) can neither undo an import's
   * replacement nor add a link derived from issues an import changed since
   */
  addLinks(links: readonly IssueLinkRow[], issuesVersion: string): Promise<void>;
  links(): Promise<IssueLinkRow[]>;
}
