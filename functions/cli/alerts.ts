import { parseArgs } from 'node:util';
import { DuckDbSignatureStore } from '../adapters/duckdb/signature-store.js';
import { type CliIO, parseOrExplain } from './io.js';
import { DB_HELP, defaultDbPath, LocalError, openLocalDatabase } from './local.js';
import { renderTable } from './table.js';

const HELP = `Usage: faultline alerts [options]

Lists the alerts raised in the local database (table alert_keys): new signatures,
regressions, escalation, spike and SLO alerts and storm-control digests, oldest first.

Options:
${DB_HELP}
  --since TIME  only alerts whose entry (or hour) is at or after TIME (RFC 3339)
  --format F    table (default) or json (one alert object per line, faultline-alert/v1)
  -h, --help    show this help`;

export async function alertsCommand(argv: string[], io: CliIO): Promise<number> {
  const v = parseOrExplain('alerts', HELP, io, () => parseArgs({ args: argv, options: { db: { type: 'string' }, since: { type: 'string' }, format: { type: 'string', default: 'table' }, help: { type: 'boolean', short: 'h' } } }).values);
  if (v === undefined) return 2;
  if (v.help) return void io.stdout.write(HELP + '\n'), 0;
  if (v.format !== 'table' && v.format !== 'json') return fail(io, `unknown --format "${v.format}" (table, json)`);
  if (v.since !== undefined && Number.isNaN(Date.parse(v.since))) return fail(io, `--since: not a time: ${v.since}`);
  try {
    const db = await openLocalDatabase(v.db ?? defaultDbPath());
    try {
      const rows = await new DuckDbSignatureStore(db).list(v.since);
      io.stdout.write(v.format === 'json' ? rows.map((r) => JSON.stringify(r.alert) + '\n').join('') : alertsTable(rows) + '\n');
      return 0;
    } finally {
      await db.close();
    }
  } catch (err) {
    if (err instanceof LocalError) return fail(io, err.message);
    throw err;
  }
}

export function alertsTable(rows: readonly { alert: { kind: string; first_seen: string; summary: string }; delivery: string }[]): string {
  if (rows.length === 0) return 'No alerts.';
  const body = rows.map((r) => [r.alert.first_seen.slice(0, 19).replace('T', ' '), r.alert.kind, r.delivery, r.alert.summary]);
  return renderTable([{ header: 'first seen (UTC)' }, { header: 'kind' }, { header: 'delivery' }, { header: 'summary' }], body);
}

function fail(io: CliIO, message: string): number {
  io.stderr.write(`faultline alerts: ${message}\n`);
  return 2;
}
