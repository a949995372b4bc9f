import { parseArgs } from 'node:util';
import { Database } from '../adapters/duckdb/database.js';
import { DuckDbIssueRegistry, signatureFacts } from '../adapters/duckdb/issue-registry.js';
import { suggestLinks } from '../core/issues/suggest.js';
import type { CliIO } from './io.js';
import { DB_HELP, defaultDbPath, LocalError, openLocalDatabase } from './local.js';
import { importIssuesFile, relinkLocal } from './local-alerts.js';
import { SYNC_HELP, syncCommand } from './issues-sync.js';
import { renderTable } from './table.js';

const HELP = `Usage: faultline issues <import FILE | sync --repo O/R | list | suggest> [options]

The issue registry of the local database (tables issues and issue_links).
  import FILE   validate a faultline-issues/v1 file (README "Issue registry"), upsert its
                issues and recompute the links to the stored signatures
  sync          fetch the issues of a GitHub repository (pull requests skipped), upsert
                them like import (re-running updates, never duplicates) and relink
  list          the issues with their linked signatures and how they are linked
  suggest       ranked link suggestions (title/body vs signature templates), with a score;
                never applied: add an id, a match predicate or a marker to the issue

Options:
${DB_HELP}
  --format F    table (default) or json
  -h, --help    show this help

${SYNC_HELP}`;

async function writable(path: string): Promise<Database> {
  try {
    return await Database.open(path);
  } catch (err) {
    throw new LocalError(`cannot open ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function run(sub: string, file: string | undefined, dbPath: string, json: boolean, io: CliIO): Promise<number> {
  const db = sub === 'import' ? await writable(dbPath) : await openLocalDatabase(dbPath);
  try {
    const registry = new DuckDbIssueRegistry(db);
    if (sub === 'import') {
      if (file === undefined) throw new LocalError('import needs a FILE');
      const n = await importIssuesFile(db, file);
      const links = await relinkLocal(db);
      io.stdout.write(json ? JSON.stringify({ imported: n, links }) + '\n' : `imported ${n} issue(s); ${links} link(s) to stored signatures\n`);
      return 0;
    }
    if (sub === 'list') {
      const issues = await registry.list();
      const links = await registry.links();
      if (json) io.stdout.write(JSON.stringify(issues.map(({ repository, issue }) => ({ repository, ...issue, links: links.filter((l) => l.number === issue.number) }))) + '\n');
      else io.stdout.write(renderTable([{ header: 'issue' }, { header: 'state' }, { header: 'title' }, { header: 'linked signatures' }], issues.map(({ issue }) => [`#${issue.number}`, issue.state, issue.title.slice(0, 60), links.filter((l) => l.number === issue.number).map((l) => `${l.signature_id} (${l.source})`).join(', ')])) + '\n');
      return 0;
    }
    const suggestions = suggestLinks((await registry.list()).map((x) => x.issue), await signatureFacts(db));
    if (json) io.stdout.write(JSON.stringify(suggestions) + '\n');
    else io.stdout.write(renderTable([{ header: 'issue' }, { header: 'signature' }, { header: 'category' }, { header: 'score', align: 'right' }, { header: 'why' }], suggestions.map((s) => [`#${s.number}`, s.signature_id, s.category, s.score.toFixed(2), s.why])) + '\n');
    return 0;
  } finally {
    await db.close();
  }
}

export async function issuesCommand(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { db: { type: 'string' }, format: { type: 'string', default: 'table' }, repo: { type: 'string' }, 'token-env': { type: 'string' }, state: { type: 'string' }, since: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr.write(`faultline issues: ${(err as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (parsed.values.help) return void io.stdout.write(HELP + '\n'), 0;
  const [sub, file] = parsed.positionals;
  if (sub !== 'import' && sub !== 'sync' && sub !== 'list' && sub !== 'suggest') return fail(io, `unknown subcommand "${sub ?? ''}"\n\n${HELP}`);
  try {
    if (sub === 'sync') return await syncCommand(parsed.values, parsed.values.db ?? defaultDbPath(), parsed.values.format === 'json', io);
    return await run(sub, file, parsed.values.db ?? defaultDbPath(), parsed.values.format === 'json', io);
  } catch (err) {
    if (err instanceof LocalError) return fail(io, err.message);
    throw err;
  }
}

function fail(io: CliIO, message: string): number {
  io.stderr.write(`faultline issues: ${message}\n`);
  return 2;
}
