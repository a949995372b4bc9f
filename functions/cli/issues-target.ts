import { Database } from '../adapters/duckdb/database.js';
import { DuckDbIssueRegistry } from '../adapters/duckdb/issue-registry.js';
import { bigQueryQualifier } from '../core/sql/library.js';
import { systemClock } from '../ports/clock.js';
import type { IssueRegistry } from '../ports/issue-registry.js';
import { LocalError } from './local.js';
import { relinkLocal } from './local-alerts.js';

export const BIGQUERY_HELP = `Production registry (import, sync, list):
  --bigquery    write to (list: read) the BigQuery tables issues and issue_links, instead
                of the local database; import and sync then recompute issue_links from
                every entry of failure_events still kept (one scan of its partitions)
  --project P   with --bigquery: the project (default $FAULTLINE_PROJECT, then
                $GOOGLE_CLOUD_PROJECT, then the client's default credentials)
  --dataset D   with --bigquery: the dataset (default $FAULTLINE_DATASET, then faultline)`;

/** Where `issues import | sync | list` read and write: the DuckDB file or BigQuery. */
export interface RegistryTarget {
  registry: IssueRegistry;
  /** recomputes issue_links from every stored entry: how many links there are now */
  relink(): Promise<number>;
  close(): Promise<void>;
}

export interface TargetValues {
  db?: string | undefined;
  bigquery?: boolean | undefined;
  project?: string | undefined;
  dataset?: string | undefined;
}

type Env = Record<string, string | undefined>;

async function writable(path: string): Promise<Database> {
  try {
    return await Database.open(path);
  } catch (err) {
    throw new LocalError(`cannot open ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function localTarget(db: Database | string): Promise<RegistryTarget & { db: Database }> {
  const opened = typeof db === 'string' ? await writable(db) : db;
  return { db: opened, registry: new DuckDbIssueRegistry(opened), relink: () => relinkLocal(opened), close: () => opened.close() };
}

/** Loaded on demand: the local commands never load the BigQuery client. */
export async function bigQueryTarget(v: TargetValues, env: Env = process.env): Promise<RegistryTarget> {
  const project = v.project ?? (env.FAULTLINE_PROJECT || env.GOOGLE_CLOUD_PROJECT || null);
  const dataset = v.dataset ?? (env.FAULTLINE_DATASET || 'faultline');
  const located = bigQueryQualifier(project, dataset);
  if (!located.ok) throw new LocalError(located.error);
  const apiEndpoint = env.BIGQUERY_EMULATOR_HOST || null;
  const { BigQueryIssueRegistry } = await import('../adapters/bigquery/issue-registry.js');
  const registry = new BigQueryIssueRegistry({ projectId: project, dataset, apiEndpoint });
  const relink = async () => {
    const [{ bigQueryQueryEngine }, { requireSqlLibrary }, { relinkFromQueries, retentionStart }] = await Promise.all([
      import('../adapters/bigquery/query.js'), import('../adapters/sql/load.js'), import('../app/relink.js'),
    ]);
    const engine = bigQueryQueryEngine({ projectId: project, dataset, apiEndpoint });
    const nowIso = systemClock.nowIso();
    // The whole retention, not a tick's window: the issues may have changed, so stale links must go.
    const run = { nowIso, sinceIso: retentionStart(nowIso), mode: 'replace' as const };
    try {
      return (await relinkFromQueries(registry, engine, requireSqlLibrary(), run)).links;
    } catch (err) {
      throw new LocalError(`the issues are stored, but issue_links was not recomputed: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  return { registry, relink, close: async () => undefined };
}
