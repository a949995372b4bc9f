import { parseArgs } from 'node:util';
import type { Database } from '../adapters/duckdb/database.js';
import { DuckDbIssueRegistry, signatureFacts } from '../adapters/duckdb/issue-registry.js';
import { suggestLinks } from '../core/issues/suggest.js';
import { type CliIO, parseOrExplain } from './io.js';
import { DB_HELP, defaultDbPath, LocalError, openLocalDatabase } from './local.js';
import type { IssueLinkRow } from '../core/issues/rows.js';
import type { Issue } from '../core/issues/schema.js';
import { importIssuesFileInto } from './issues-file.js';
import { BIGQUERY_HELP, bigQueryTarget, localTarget, type RegistryTarget } from './issues-target.js';
import { SYNC_HELP, syncCommand } from './issues-sync.js';
import { renderTable } from './table.js';

const HELP = `Usage: faultline issues <import FILE | sync --repo O/R | list | suggest> [options]

The issue registry of the local database (tables issues and issue_links), or with
--bigquery of the production dataset.
  import FILE   validate a faultline-issues/v1 file, JSON or (named .yaml/.yml) YAML
                (README "Issues and alerts"), upsert its issues and recompute the links
                to the stored signatures
  sync          fetch the issues of a GitHub repository (pull requests skipped), upsert
                them like import (re-running updates, never duplicates) and relink
  list          the issues with their linked signatures and how they are linked
  suggest       ranked link suggestions (title/body vs signature templates), with a score;
                never applied: add an id, a match predicate or a marker to the issue

Options:
${DB_HELP}
  --format F    table (default) or json
  -h, --help    show this help

${SYNC_HELP}

${BIGQUERY_HELP}`;

function printList(issues: { repository: string; issue: Issue }[], links: IssueLinkRow[], json: boolean, io: CliIO): void {
  const of = (n: number) => links.filter((l) => l.number === n);
  if (json) io.stdout.write(JSON.stringify(issues.map(({ repository, issue }) => ({ repository, ...issue, links: of(issue.number) }))) + '\n');
  else io.stdout.write(renderTable([{ header: 'issue' }, { header: 'state' }, { header: 'title' }, { header: 'linked signatures' }], issues.map(({ issue }) => [`#${issue.number}`, issue.state, issue.title.slice(0, 60), of(issue.number).map((l) => `${l.signature_id} (${l.source})`).join(', ')])) + '\n');
}

async function importTo(target: RegistryTarget, file: string | undefined, json: boolean, io: CliIO): Promise<number> {
  if (file === undefined) throw new LocalError('import needs a FILE');
  const n = await importIssuesFileInto(target.registry, file);
  const links = await target.relink();
  if (json) io.stdout.write(JSON.stringify({ imported: n, links }) + '\n');
  else io.stdout.write(`imported ${n} issue(s); ${links} link(s) to stored signatures\n`);
  return 0;
}

async function suggest(db: Database, json: boolean, io: CliIO): Promise<number> {
  const suggestions = suggestLinks((await new DuckDbIssueRegistry(db).list()).map((x) => x.issue), await signatureFacts(db));
  if (json) io.stdout.write(JSON.stringify(suggestions) + '\n');
  else io.stdout.write(renderTable([{ header: 'issue' }, { header: 'signature' }, { header: 'category' }, { header: 'score', align: 'right' }, { header: 'why' }], suggestions.map((s) => [`#${s.number}`, s.signature_id, s.category, s.score.toFixed(2), s.why])) + '\n');
  return 0;
}

async function openTarget(sub: string, v: Values): Promise<RegistryTarget & { db?: Database }> {
  if (v.bigquery) {
    if (sub === 'suggest') throw new LocalError('suggest reads the local database only (no --bigquery)');
    return bigQueryTarget(v);
  }
  const path = v.db ?? defaultDbPath();
  return sub === 'import' || sub === 'sync' ? localTarget(path) : localTarget(await openLocalDatabase(path));
}

async function run(sub: string, file: string | undefined, v: Values, io: CliIO): Promise<number> {
  const json = v.format === 'json';
  if (sub === 'sync') return syncCommand(v, () => openTarget(sub, v), json, io);
  const target = await openTarget(sub, v);
  try {
    if (sub === 'import') return await importTo(target, file, json, io);
    if (sub === 'list') return printList(await target.registry.list(), await target.registry.links(), json, io), 0;
    return await suggest(target.db as Database, json, io);
  } finally {
    await target.close();
  }
}

const OPTIONS = {
  db: { type: 'string' }, format: { type: 'string', default: 'table' }, repo: { type: 'string' }, 'token-env': { type: 'string' }, state: { type: 'string' },
  since: { type: 'string' }, bigquery: { type: 'boolean', default: false }, project: { type: 'string' }, dataset: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;
const parse = (argv: string[]) => parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
type Values = ReturnType<typeof parse>['values'];

export async function issuesCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseOrExplain('issues', HELP, io, () => parse(argv));
  if (parsed === undefined) return 2;
  if (parsed.values.help) return void io.stdout.write(HELP + '\n'), 0;
  const [sub, file] = parsed.positionals;
  if (sub !== 'import' && sub !== 'sync' && sub !== 'list' && sub !== 'suggest') return fail(io, `unknown subcommand "${sub ?? ''}"\n\n${HELP}`);
  try {
    return await run(sub, file, parsed.values, io);
  } catch (err) {
    if (err instanceof LocalError) return fail(io, err.message);
    throw err;
  }
}

function fail(io: CliIO, message: string): number {
  io.stderr.write(`faultline issues: ${message}\n`);
  return 2;
}
