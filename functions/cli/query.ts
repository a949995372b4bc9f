import { parseArgs } from 'node:util';
import { loadSqlLibrary } from '../adapters/sql/load.js';
import { resolveQuery, runSavedQuery } from '../app/saved-query.js';
import { bigQueryQualifier, bigQueryViewDdl, type SqlLibrary } from '../core/sql/library.js';
import { parseAssignments } from '../core/sql/params.js';
import type { QueryEngine } from '../ports/saved-query.js';
import { type CliIO, parseOrExplain } from './io.js';
import { DB_HELP, defaultDbPath, LocalError, openLocalDatabase } from './local.js';
import { answerTable, describeFile, listJson, listTable } from './query-output.js';

const HELP = `Usage: faultline query NAME [--param name=value]... [options]
       faultline query --list

Runs a file of the SQL library (sql/): a saved question (sql/analyses), a data check
(sql/checks: the rows that fail it) or a view (sql/views). The same BigQuery SQL runs on the
local DuckDB database (translated, with the views it reads created first) or, with
--bigquery, on the production dataset through the BigQuery client. Param values are sent
as typed query parameters, never pasted into the SQL.

Options:
  --list               every saved query, check and view with what it answers
  --param name=value   a value for a param of the query (repeatable); \`faultline query NAME
                       --help\` lists them. Timestamps are RFC 3339 (2026-03-02T10:00:00Z) or dates
${DB_HELP}
  --format F           table (default) or json (an array of row objects, for scripts)
  --bigquery           run on BigQuery instead of the local database
  --project P          with --bigquery: the project (default $FAULTLINE_PROJECT, then
                       $GOOGLE_CLOUD_PROJECT, then the client's default credentials)
  --dataset D          with --bigquery: the dataset (default $FAULTLINE_DATASET, then faultline)
  --views-ddl          print the CREATE OR REPLACE VIEW statements of every view for the
                       dataset, in dependency order (what a deploy runs), and exit
  -h, --help           this help; with NAME, the query's params and columns

Exit status: 0 on success, 1 when the database failed, 2 when the options, the name, a
param or the database file are wrong, 3 when a check returned failing rows.`;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      param: { type: 'string', multiple: true, default: [] },
      db: { type: 'string' },
      format: { type: 'string', default: 'table' },
      bigquery: { type: 'boolean', default: false },
      project: { type: 'string' },
      dataset: { type: 'string' },
      list: { type: 'boolean', default: false },
      'views-ddl': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

const usageError = (io: CliIO, message: string): number => {
  io.stderr.write(`faultline query: ${message}\n`);
  return 2;
};

function bigQueryTarget(v: Values, env: NodeJS.ProcessEnv): { project: string | null; dataset: string } {
  return {
    project: v.project ?? (env.FAULTLINE_PROJECT || env.GOOGLE_CLOUD_PROJECT || null),
    dataset: v.dataset ?? (env.FAULTLINE_DATASET || 'faultline'),
  };
}

async function openEngine(v: Values): Promise<QueryEngine> {
  if (v.bigquery) {
    const { bigQueryQueryEngine } = await import('../adapters/bigquery/query.js');
    const target = bigQueryTarget(v, process.env);
    return bigQueryQueryEngine({ projectId: target.project, dataset: target.dataset, apiEndpoint: process.env.BIGQUERY_EMULATOR_HOST || null });
  }
  const { duckDbQueryEngine } = await import('../adapters/duckdb/query.js');
  return duckDbQueryEngine(await openLocalDatabase(v.db ?? defaultDbPath()));
}

function printViewsDdl(lib: SqlLibrary, v: Values, io: CliIO): number {
  const target = bigQueryTarget(v, process.env);
  const located = bigQueryQualifier(target.project, target.dataset);
  if (!located.ok) return usageError(io, located.error);
  io.stdout.write(bigQueryViewDdl(lib, located.qualifier).map((s) => `${s};\n`).join('\n'));
  return 0;
}

async function run(lib: SqlLibrary, name: string, v: Values, io: CliIO): Promise<number> {
  const given = parseAssignments(v.param ?? []);
  if (!given.ok) return usageError(io, given.error);
  let engine: QueryEngine;
  try {
    engine = await openEngine(v);
  } catch (err) {
    if (err instanceof LocalError) return usageError(io, err.message);
    throw err;
  }
  try {
    const outcome = await runSavedQuery(engine, lib, name, given.values);
    if (!outcome.ok) return usageError(io, outcome.error);
    const { answer } = outcome;
    io.stdout.write(v.format === 'json' ? `${JSON.stringify(answer.rows)}\n` : `${answerTable(answer)}\n`);
    return answer.file.kind === 'check' && answer.rows.length > 0 ? 3 : 0;
  } catch (err) {
    io.stderr.write(`faultline query: ${name} failed on ${engine.name}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await engine.close();
  }
}

export async function queryCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseOrExplain('query', HELP, io, () => parse(argv));
  if (parsed === undefined) return 2;
  const v = parsed.values;
  const [name, ...extra] = parsed.positionals;
  if (v.help && name === undefined) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  if (extra.length > 0) return usageError(io, `one query at a time (got ${parsed.positionals.join(', ')})`);
  if (v.format !== 'table' && v.format !== 'json') return usageError(io, `unknown --format "${v.format}" (table, json)`);
  const { library, errors } = loadSqlLibrary();
  // A broken file must not hide the others; its problems go to stderr.
  for (const e of errors) io.stderr.write(`faultline query: warning: ${e}\n`);
  if (v['views-ddl']) return printViewsDdl(library, v, io);
  if (v.list) {
    io.stdout.write(v.format === 'json' ? `${JSON.stringify(listJson(library))}\n` : `${listTable(library)}\n`);
    return 0;
  }
  if (name === undefined) return usageError(io, `which query? \`faultline query --list\` lists them\n\n${HELP}`);
  if (v.help) {
    const found = resolveQuery(library, name);
    if (!found.ok) return usageError(io, found.error);
    io.stdout.write(describeFile(library, found.file) + '\n');
    return 0;
  }
  return run(library, name, v, io);
}
