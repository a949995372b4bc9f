import type { IssueLinkRow } from '../core/issues/rows.js';
import type { Issue } from '../core/issues/schema.js';

/** Tracker issues and their links to signatures (tables issues and issue_links). */
export interface IssueRegistry {
  /** inserts or updates issues by (repository, number) */
  upsert(repository: string, issues: readonly Issue[]): Promise<void>;
  list(): Promise<{ repository: string; issue: Issue }[]>;
  /** replaces every link (links are derived: recomputed from issues and signatures) */
  replaceLinks(links: readonly IssueLinkRow[]): Promise<void>;
  /**
   * adds the links whose link_id is not stored; never changes or removes one, so a writer
   * that read the links earlier (an alerts tick) cannot undo a replacement made since
   */
  addLinks(links: readonly IssueLinkRow[]): Promise<void>;
  links(): Promise<IssueLinkRow[]>;
}
