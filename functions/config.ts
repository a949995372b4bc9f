import { z } from 'zod';

/**
 * The whole configuration, parsed from the environment once at cold start. A bad value
 * fails the cold start with one clear message instead of failing every message.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,1023}$/, 'must be a BigQuery name (letters, digits, underscores)');

const Env = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  FAULTLINE_PROJECT: z.string().min(1).optional(),
  FAULTLINE_DATASET: name.default('faultline'),
  FAULTLINE_EVENTS_TABLE: name.default('failure_events'),
  FAULTLINE_REJECTED_TABLE: name.default('rejected_entries'),
  FAULTLINE_BATCH_MAX_ROWS: int(1, 10_000).default(500),
  FAULTLINE_BATCH_MAX_DELAY_MS: int(0, 60_000).default(25),
  FAULTLINE_STORE_UNRELATED: bool.default(true),
  FAULTLINE_SINK: z.enum(['bigquery', 'duckdb']).default('bigquery'),
  FAULTLINE_DUCKDB_PATH: z.string().min(1).default('./faultline.duckdb'),
  /** e.g. http://localhost:9050 for a local BigQuery endpoint (tests, emulators) */
  BIGQUERY_EMULATOR_HOST: z.string().url().optional(),
});

export interface Config {
  project: string | null;
  dataset: string;
  tables: { events: string; rejected: string };
  batch: { maxRows: number; maxDelayMs: number };
  storeUnrelated: boolean;
  sink: 'bigquery' | 'duckdb';
  duckdbPath: string;
  bigqueryEndpoint: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid Faultline configuration: ${problems}`);
  }
  const e = parsed.data;
  const project = e.FAULTLINE_PROJECT ?? e.GOOGLE_CLOUD_PROJECT ?? null;
  if (e.FAULTLINE_SINK === 'bigquery' && project === null && !e.BIGQUERY_EMULATOR_HOST) {
    throw new ConfigError('invalid Faultline configuration: FAULTLINE_PROJECT (or GOOGLE_CLOUD_PROJECT) is required for the bigquery sink');
  }
  return {
    project,
    dataset: e.FAULTLINE_DATASET,
    tables: { events: e.FAULTLINE_EVENTS_TABLE, rejected: e.FAULTLINE_REJECTED_TABLE },
    batch: { maxRows: e.FAULTLINE_BATCH_MAX_ROWS, maxDelayMs: e.FAULTLINE_BATCH_MAX_DELAY_MS },
    storeUnrelated: e.FAULTLINE_STORE_UNRELATED,
    sink: e.FAULTLINE_SINK,
    duckdbPath: e.FAULTLINE_DUCKDB_PATH,
    bigqueryEndpoint: e.BIGQUERY_EMULATOR_HOST ?? null,
  };
}

let cached: Config | null = null;

/** The process's configuration, read from process.env on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
