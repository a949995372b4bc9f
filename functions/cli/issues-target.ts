import { Database } from '../adapters/duckdb/database.js';
import { DuckDbIssueRegistry } from '../adapters/duckdb/issue-registry.js';
import { bigQueryQualifier } from '../core/sql/library.js';
import type { IssueRegistry } from '../ports/issue-registry.js';
import { LocalError } from './local.js';
import { relinkLocal } from './local-alerts.js';

export const BIGQUERY_HELP = `Production registry (import, sync, list):
  --bigquery    write to (list: read) the BigQuery tables issues and issue_links that the
                alert service reads, instead of the local database. Links are not
                recomputed there: the alert service links from the issues themselves
  --project P   with --bigquery: the project (default $FAULTLINE_PROJECT, then
                $GOOGLE_CLOUD_PROJECT, then the client's default credentials)
  --dataset D   with --bigquery: the dataset (default $FAULTLINE_DATASET, then faultline)`;

/** Where `issues import | sync | list` read and write: the DuckDB file or BigQuery. */
export interface RegistryTarget {
  registry: IssueRegistry;
  /** recomputes issue_links; null where links are not derived (BigQuery) */
  relink(): Promise<number | null>;
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
  const { BigQueryIssueRegistry } = await import('../adapters/bigquery/issue-registry.js');
  const registry = new BigQueryIssueRegistry({ projectId: project, dataset, apiEndpoint: env.BIGQUERY_EMULATOR_HOST || null });
  return { registry, relink: async () => null, close: async () => undefined };
}
