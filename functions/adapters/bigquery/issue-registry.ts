import type { BigQuery, Query } from '@google-cloud/bigquery';
import { IssueLinkRow } from '../../core/issues/rows.js';
import { Issue, issueId } from '../../core/issues/schema.js';
import { bigQueryQualifier } from '../../core/sql/library.js';
import type { IssueRegistry } from '../../ports/issue-registry.js';
import { bigQueryClient } from './client.js';

export interface BigQueryIssueRegistryOptions {
  /** null: the client finds the project from the environment (ADC) */
  projectId: string | null;
  dataset: string;
  /** the issues table (schemas/bigquery/issues.json) */
  issuesTable?: string;
  /** the issue_links table (schemas/bigquery/issue_links.json) */
  linksTable?: string;
  /** a local endpoint (emulator or test server) reached without credentials */
  apiEndpoint?: string | null;
  location?: string | null;
  /** imported_at of upserted rows */
  now?: () => string;
}

/** One STRUCT per issue: every column of schemas/bigquery/issues.json but imported_at (a scalar). */
const ISSUE_STRUCT = {
  issue_id: 'STRING', repository: 'STRING', number: 'INT64', title: 'STRING', url: 'STRING', state: 'STRING',
  created_at: 'TIMESTAMP', closed_at: 'TIMESTAMP', labels: 'STRING', definition: 'STRING',
};
const LINK_STRUCT = {
  link_id: 'STRING', issue_id: 'STRING', number: 'INT64', signature_id: 'STRING', service: 'STRING', source: 'STRING', detail: 'STRING', linked_at: 'TIMESTAMP',
};

/**
 * Keyed on issue_id, so a re-import updates in place. The source must hold each key once
 * (BigQuery fails a MERGE that matches one target row twice): upsert dedupes first.
 */
const upsertSql = (table: string) => `MERGE ${table} AS T
USING (
  SELECT s.issue_id, s.repository, s.number, s.title, s.url, s.state, s.created_at, s.closed_at,
    PARSE_JSON(s.labels) AS labels, PARSE_JSON(s.definition) AS definition, @imported_at AS imported_at
  FROM UNNEST(@issues) AS s
) AS S
ON T.issue_id = S.issue_id
WHEN MATCHED THEN UPDATE SET repository = S.repository, number = S.number, title = S.title, url = S.url, state = S.state,
  created_at = S.created_at, closed_at = S.closed_at, labels = S.labels, definition = S.definition, imported_at = S.imported_at
WHEN NOT MATCHED THEN
  INSERT (issue_id, repository, number, title, url, state, created_at, closed_at, labels, definition, imported_at)
  VALUES (S.issue_id, S.repository, S.number, S.title, S.url, S.state, S.created_at, S.closed_at, S.labels, S.definition, S.imported_at)`;

/**
 * One multi-statement query in one transaction: readers see the old links or the new ones,
 * never an empty table. A concurrent writer of issue_links aborts the transaction (BigQuery
 * fails it with a concurrent-update error), so the caller retries; nothing is half written.
 */
const replaceLinksSql = (table: string) => `BEGIN TRANSACTION;
DELETE FROM ${table} WHERE TRUE;
INSERT INTO ${table} (link_id, issue_id, number, signature_id, service, source, detail, linked_at)
SELECT l.link_id, l.issue_id, l.number, l.signature_id, l.service, l.source, l.detail, l.linked_at FROM UNNEST(@links) AS l;
COMMIT TRANSACTION`;

// Rows and latest import: any upsert sets imported_at, so an import changes it.
const versionExpr = (issues: string) => `(SELECT CONCAT(CAST(COUNT(*) AS STRING), '@', IFNULL(CAST(MAX(imported_at) AS STRING), '')) FROM ${issues})`;

const issuesVersionSql = (issues: string) => `SELECT ${versionExpr(issues)} AS version`;

/**
 * Insert-only: a link stored since the caller read the table is left as it is; and nothing
 * is added once the issues changed since the caller read them (@issues_version).
 */
const addLinksSql = (table: string, issues: string) => `MERGE ${table} AS T
USING (SELECT l.link_id, l.issue_id, l.number, l.signature_id, l.service, l.source, l.detail, l.linked_at FROM UNNEST(@links) AS l
  WHERE ${versionExpr(issues)} = @issues_version) AS S
ON T.link_id = S.link_id
WHEN NOT MATCHED THEN
  INSERT (link_id, issue_id, number, signature_id, service, source, detail, linked_at)
  VALUES (S.link_id, S.issue_id, S.number, S.signature_id, S.service, S.source, S.detail, S.linked_at)`;

const listSql = (table: string) => `SELECT repository, TO_JSON_STRING(definition) AS definition
FROM ${table}
ORDER BY repository, number`;

// UNIX_MICROS: an integer reads back the same through any client, unlike a TIMESTAMP cell.
const linksSql = (table: string) => `SELECT link_id, issue_id, number, signature_id, service, source, detail, UNIX_MICROS(linked_at) AS linked_us
FROM ${table}
ORDER BY number, signature_id, source`;

/** Last one wins, as in sequential upserts: a MERGE source must not repeat a key. */
function issueStructs(repository: string, issues: readonly Issue[]): Record<string, unknown>[] {
  const byId = new Map<string, Record<string, unknown>>();
  for (const i of issues) {
    const issue_id = issueId(repository, i.number);
    byId.set(issue_id, {
      issue_id, repository, number: i.number, title: i.title, url: i.url, state: i.state, created_at: timestamp(i.created_at),
      closed_at: timestamp(i.closed_at), labels: JSON.stringify(i.labels), definition: JSON.stringify(i),
    });
  }
  return [...byId.values()];
}

// The client sends a TIMESTAMP parameter's `.value`: a bare string would go out empty.
const timestamp = (iso: string | null) => (iso === null ? null : { value: iso });
const iso = (micros: unknown) => new Date(Number(micros) / 1000).toISOString();

/**
 * The production issue registry on the dataset's issues and issue_links tables, with NAMED
 * query parameters only: rows travel as ARRAY<STRUCT> parameters, never as SQL text.
 */
export class BigQueryIssueRegistry implements IssueRegistry {
  private readonly bq: BigQuery;
  private readonly issues: string;
  private readonly linksTable: string;

  constructor(private readonly o: BigQueryIssueRegistryOptions) {
    const located = bigQueryQualifier(o.projectId, o.dataset);
    if (!located.ok) throw new Error(located.error);
    this.issues = `${located.qualifier}.${o.issuesTable ?? 'issues'}`;
    this.linksTable = `${located.qualifier}.${o.linksTable ?? 'issue_links'}`;
    this.bq = bigQueryClient({ projectId: o.projectId, apiEndpoint: o.apiEndpoint ?? null });
  }

  async upsert(repository: string, issues: readonly Issue[]): Promise<void> {
    if (issues.length === 0) return;
    const now = (this.o.now ?? (() => new Date().toISOString()))();
    const params = { issues: issueStructs(repository, issues), imported_at: timestamp(now) };
    await this.run(upsertSql(this.issues), params, { issues: [ISSUE_STRUCT], imported_at: 'TIMESTAMP' }, 'issues_upsert');
  }

  async list(): Promise<{ repository: string; issue: Issue }[]> {
    const rows = await this.run(listSql(this.issues), {}, {}, 'issues_list');
    return rows.map((r) => ({ repository: String(r.repository), issue: Issue.parse(JSON.parse(String(r.definition))) }));
  }

  async replaceLinks(links: readonly IssueLinkRow[]): Promise<void> {
    const rows = links.map((l) => ({ ...l, linked_at: timestamp(l.linked_at) }));
    await this.run(replaceLinksSql(this.linksTable), { links: rows }, { links: [LINK_STRUCT] }, 'issue_links_replace');
  }

  async issuesVersion(): Promise<string> {
    const [row] = await this.run(issuesVersionSql(this.issues), {}, {}, 'issues_version');
    return String(row?.version ?? '');
  }

  async addLinks(links: readonly IssueLinkRow[], issuesVersion: string): Promise<void> {
    if (links.length === 0) return;
    const rows = links.map((l) => ({ ...l, linked_at: timestamp(l.linked_at) }));
    const params = { links: rows, issues_version: issuesVersion };
    await this.run(addLinksSql(this.linksTable, this.issues), params, { links: [LINK_STRUCT], issues_version: 'STRING' }, 'issue_links_add');
  }

  async links(): Promise<IssueLinkRow[]> {
    const rows = await this.run(linksSql(this.linksTable), {}, {}, 'issue_links_list');
    return rows.map(({ linked_us, ...r }) => IssueLinkRow.parse({ ...r, number: Number(r.number), linked_at: iso(linked_us) }));
  }

  private async run(query: string, params: Record<string, unknown>, types: Record<string, unknown>, what: string): Promise<Record<string, unknown>[]> {
    const req: Query = { query, params, types: types as Query['types'], useLegacySql: false, labels: { component: 'faultline', query: what } };
    if (this.o.location) req.location = this.o.location;
    const [rows] = await this.bq.query(req);
    return rows as Record<string, unknown>[];
  }
}
