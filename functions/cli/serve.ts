import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CliIO, parseOrExplain } from './io.js';
import { DB_HELP, defaultDbPath, LocalError, openLocalIngest } from './local.js';

const HELP = `Usage: faultline serve [options]

Serves the production Cloud Function (ingestLogEntry, functions/index.ts) on this machine
with the Google Cloud Functions Framework, writing to the local DuckDB database instead of
BigQuery. It accepts what Pub/Sub delivers: a structured CloudEvent
(google.cloud.pubsub.topic.v1.messagePublished) or a Pub/Sub push body
({"message":{...},"subscription":"..."}), so a local push subscription or curl can drive it:

  curl -X POST localhost:8080/projects/P/topics/T -H 'Content-Type: application/json' \\
       -d '{"subscription":"projects/P/subscriptions/S","message":{"messageId":"1","data":"<base64 LogEntry>"}}'

A delivery is answered 204 once its row is stored, 500 when it should be retried.
DuckDB lets one process write a file: stop the server before \`faultline signatures\`.

Options:
  --port N      the port (default 8080, or $PORT)
${DB_HELP}
  -h, --help    show this help

Exit status: 0 when stopped by Ctrl+C (SIGINT) or SIGTERM, 2 when the options are wrong or
the database cannot be opened, otherwise the server's own.`;

/** The framework's CLI, found through its package entry point (its package.json is not exported). */
function frameworkMain(): string {
  const entry = createRequire(import.meta.url).resolve('@google-cloud/functions-framework');
  return join(dirname(entry), 'main.js');
}

/** The compiled functions/index.ts next to this file's compiled form. */
function functionSource(): string {
  const source = fileURLToPath(new URL('../index.js', import.meta.url));
  if (!existsSync(source)) throw new LocalError(`${source} not found: run \`npm run build\` first`);
  return source;
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: { port: { type: 'string' }, db: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
}

export async function serveCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseOrExplain('serve', HELP, io, () => parse(argv).values);
  if (v === undefined) return 2;
  if (v.help) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  const port = Number(v.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(io, `--port must be an integer from 1 to 65535, got "${v.port}"`);
  const db = resolve(v.db ?? defaultDbPath());
  try {
    // Opening once here creates the tables and reports a locked or unwritable file now,
    // rather than as a 500 on every delivery.
    await (await openLocalIngest(db)).close();
    return await runFramework(port, db, functionSource(), io);
  } catch (err) {
    if (err instanceof LocalError) return fail(io, err.message);
    throw err;
  }
}

function runFramework(port: number, db: string, source: string, io: CliIO): Promise<number> {
  const args = [frameworkMain(), '--target=ingestLogEntry', '--signature-type=cloudevent', `--source=${source}`, `--port=${port}`];
  const env = { ...process.env, FAULTLINE_SINK: 'duckdb', FAULTLINE_DUCKDB_PATH: db, PORT: String(port) };
  io.stderr.write(`faultline serve: ingestLogEntry on http://localhost:${port}/ writing to ${db} (Ctrl+C stops)\n`);
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(io.stdout, { end: false });
  child.stderr.pipe(io.stderr, { end: false });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    child.kill(signal);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  return new Promise((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolveExit(stopping ? 0 : (code ?? 1));
    });
  });
}

function fail(io: CliIO, message: string): number {
  io.stderr.write(`faultline serve: ${message}\n`);
  return 2;
}
