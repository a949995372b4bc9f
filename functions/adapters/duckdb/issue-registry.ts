import type { SignatureFacts } from '../../core/issues/derive.js';
import { IssueLinkRow } from '../../core/issues/rows.js';
import { Issue, issueId } from '../../core/issues/schema.js';
import type { IssueRegistry } from '../../ports/issue-registry.js';
import type { Database } from './database.js';

const UPSERT_SQL = `
INSERT INTO issues VALUES ($id, $repo, $number, $title, $url, $state, CAST($created AS TIMESTAMPTZ), CAST($closed AS TIMESTAMPTZ),
  CAST($labels AS JSON), CAST($def AS JSON), CAST($now AS TIMESTAMPTZ))
ON CONFLICT (issue_id) DO UPDATE SET title = excluded.title, url = excluded.url, state = excluded.state,
  created_at = excluded.created_at, closed_at = excluded.closed_at, labels = excluded.labels,
  definition = excluded.definition, imported_at = excluded.imported_at`;

const LINK_SQL = `INSERT INTO issue_links VALUES ($link_id, $issue_id, $number, $signature_id, $service, $source, $detail, CAST($linked_at AS TIMESTAMPTZ))
ON CONFLICT DO NOTHING`;

// Rows and latest import: any upsert sets imported_at, so an import changes it.
const VERSION_EXPR = `(SELECT count(*) || '@' || coalesce(epoch_us(max(imported_at)), 0) FROM issues)`;

const ADD_LINK_SQL = `INSERT INTO issue_links SELECT $link_id, $issue_id, $number, $signature_id, $service, $source, $detail, CAST($linked_at AS TIMESTAMPTZ)
WHERE ${VERSION_EXPR} = $version
ON CONFLICT DO NOTHING`;

/** The local issue registry: tables issues and issue_links of the DuckDB file. */
export class DuckDbIssueRegistry implements IssueRegistry {
  constructor(
    private readonly db: Database,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  async upsert(repository: string, issues: readonly Issue[]): Promise<void> {
    for (const i of issues) {
      await this.db.all(UPSERT_SQL, {
        id: issueId(repository, i.number), repo: repository, number: i.number, title: i.title, url: i.url, state: i.state,
        created: i.created_at, closed: i.closed_at, labels: JSON.stringify(i.labels), def: JSON.stringify(i), now: this.now(),
      });
    }
  }

  async list(): Promise<{ repository: string; issue: Issue }[]> {
    const rows = await this.db.all('SELECT repository, CAST(definition AS VARCHAR) AS def FROM issues ORDER BY repository, number');
    return rows.map((r) => ({ repository: String(r.repository), issue: Issue.parse(JSON.parse(String(r.def))) }));
  }

  async replaceLinks(links: readonly IssueLinkRow[]): Promise<void> {
    await this.db.all('DELETE FROM issue_links');
    for (const l of links) await this.db.all(LINK_SQL, { ...l });
  }

  async issuesVersion(): Promise<string> {
    const [row] = await this.db.all(`SELECT ${VERSION_EXPR} AS version`);
    return String(row?.version ?? '');
  }

  async addLinks(links: readonly IssueLinkRow[], issuesVersion: string): Promise<void> {
    for (const l of links) await this.db.all(ADD_LINK_SQL, { ...l, version: issuesVersion });
  }

  async links(): Promise<IssueLinkRow[]> {
    const rows = await this.db.all(
      `SELECT link_id, issue_id, CAST(number AS INTEGER) AS number, signature_id, service, source, detail,
              strftime(linked_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS linked_at FROM issue_links ORDER BY number, signature_id, source`,
    );
    return rows.map((r) => IssueLinkRow.parse(r));
  }
}

/**
 * Stored signatures with their distinct param values and first template and excerpt, for
 * `issues suggest` (which compares words). Links are derived from the saved SQL instead
 * (sql/analyses/issue_link_facts.sql, functions/app/relink.ts), which leaves the texts out.
 */
export async function signatureFacts(db: Database): Promise<(SignatureFacts & { template: string | null; excerpt: string | null })[]> {
  const rows = await db.all(`
    WITH kv AS (
      SELECT e.signature_id, e.service, j.key AS name, list(DISTINCT j.value::VARCHAR) AS vals
      FROM failure_events e, json_each(e.params) j WHERE e.signature_id IS NOT NULL GROUP BY ALL)
    SELECT e.signature_id, e.service, any_value(e.category) AS category, any_value(e.rule_id) AS rule_id,
           arg_min(e.template, e.event_timestamp) AS template, arg_min(e.excerpt, e.event_timestamp) AS excerpt,
           (SELECT to_json(map_from_entries(list((k.name, k.vals)))) FROM kv k WHERE k.signature_id = e.signature_id AND k.service IS NOT DISTINCT FROM e.service)::VARCHAR AS params
    FROM failure_events e
    WHERE e.signature_id IS NOT NULL AND e.category NOT IN ('startup_progress', 'startup_success') AND (e.category <> 'not_startup_related' OR e.looks_like_failure)
    GROUP BY e.signature_id, e.service`);
  return rows.map((r) => {
    const raw = (r.params === null ? {} : JSON.parse(String(r.params))) as Record<string, string[]>;
    const params = Object.fromEntries(Object.entries(raw).map(([k, vs]) => [k, vs.map((v) => (JSON.parse(v) as string | number))]));
    return { signature_id: String(r.signature_id), service: r.service === null ? null : String(r.service), category: String(r.category), rule_id: r.rule_id === null ? null : String(r.rule_id), template: r.template === null ? null : String(r.template), excerpt: r.excerpt === null ? null : String(r.excerpt), params };
  });
}
