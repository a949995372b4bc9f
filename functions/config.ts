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
  /** successful batch writes are logged as one summary line per this many seconds (0: a line each) */
  FAULTLINE_FLUSH_REPORT_S: int(0, 86_400).default(60),
  FAULTLINE_SINK: z.enum(['bigquery', 'duckdb']).default('bigquery'),
  FAULTLINE_DUCKDB_PATH: z.string().min(1).default('./faultline.duckdb'),
  /** e.g. http://localhost:9050 for a local BigQuery endpoint (tests, emulators) */
  BIGQUERY_EMULATOR_HOST: z.string().url().optional(),
  /** full topic name projects/P/topics/T: alerts as Pub/Sub messages */
  FAULTLINE_ALERTS_TOPIC: z.string().regex(/^projects\/[^/]+\/topics\/[^/]+$/, 'must be projects/PROJECT/topics/TOPIC').optional(),
  /** secret (Secret Manager): checked by the webhook adapter, never echoed in an error */
  FAULTLINE_WEBHOOK_URL: z.string().optional(),
  /** comma-separated host names; "*.example.com" allows subdomains */
  FAULTLINE_WEBHOOK_ALLOWED_HOSTS: z.string().default('hooks.slack.com'),
  /** alerts in the ingestion path; default: on when a channel (topic, webhook) is set */
  FAULTLINE_ALERTS: bool.optional(),
  FAULTLINE_ALERT_KEYS_TABLE: name.default('alert_keys'),
  /** how far back evaluateAlerts reads: the spike baseline (24 h) plus the hours it judges */
  FAULTLINE_ALERT_LOOKBACK_HOURS: int(2, 24 * 14).default(27),
  /** how old the issue list an instance alerts with may get before it is read again */
  FAULTLINE_ISSUES_REFRESH_S: int(1, 86_400).default(300),
});

export interface Config {
  project: string | null;
  dataset: string;
  tables: { events: string; rejected: string };
  batch: { maxRows: number; maxDelayMs: number };
  flushReportS: number;
  storeUnrelated: boolean;
  sink: 'bigquery' | 'duckdb';
  duckdbPath: string;
  bigqueryEndpoint: string | null;
  alertsTopic: string | null;
  webhook: { url: string | null; allowedHosts: string[] };
  alerts: { enabled: boolean; table: string; lookbackHours: number; issuesRefreshS: number };
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
    flushReportS: e.FAULTLINE_FLUSH_REPORT_S,
    storeUnrelated: e.FAULTLINE_STORE_UNRELATED,
    sink: e.FAULTLINE_SINK,
    duckdbPath: e.FAULTLINE_DUCKDB_PATH,
    bigqueryEndpoint: e.BIGQUERY_EMULATOR_HOST ?? null,
    alertsTopic: e.FAULTLINE_ALERTS_TOPIC ?? null,
    webhook: {
      url: e.FAULTLINE_WEBHOOK_URL ?? null,
      allowedHosts: e.FAULTLINE_WEBHOOK_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter((h) => h !== ''),
    },
    alerts: {
      enabled: e.FAULTLINE_ALERTS ?? (e.FAULTLINE_ALERTS_TOPIC !== undefined || e.FAULTLINE_WEBHOOK_URL !== undefined),
      table: e.FAULTLINE_ALERT_KEYS_TABLE,
      lookbackHours: e.FAULTLINE_ALERT_LOOKBACK_HOURS,
      issuesRefreshS: e.FAULTLINE_ISSUES_REFRESH_S,
    },
  };
}

let cached: Config | null = null;

/** The process's configuration, read from process.env on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
