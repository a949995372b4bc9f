import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';

export interface BigQueryClientOptions {
  projectId: string | null;
  /** a local endpoint (tests, emulators), e.g. http://localhost:9050; null for Google's */
  apiEndpoint?: string | null;
  /** false where the caller has its own retry policy */
  autoRetry?: boolean;
}

/** The one way this project builds a BigQuery client. */
export function bigQueryClient(options: BigQueryClientOptions): BigQuery {
  const endpoint = options.apiEndpoint?.replace(/\/+$/, '') ?? null;
  const settings: BigQueryOptions = {};
  if (options.autoRetry !== undefined) settings.autoRetry = options.autoRetry;
  if (options.projectId !== null) settings.projectId = options.projectId;
  if (endpoint !== null) {
    settings.apiEndpoint = endpoint;
    // A local endpoint needs no credentials; looking them up is slow, and would send a real token to it.
    settings.authClient = new PassThroughClient();
  }
  const client = new BigQuery(settings);
  // The Node client takes BIGQUERY_EMULATOR_HOST verbatim as its base URL, other clients add
  // /bigquery/v2: pinning it keeps the paths the same whichever way the endpoint was given.
  if (endpoint !== null) client.baseUrl = `${endpoint}/bigquery/v2`;
  return client;
}
