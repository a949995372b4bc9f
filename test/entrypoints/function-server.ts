import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { type FakeBigQuery, startFakeBigQuery } from '../adapters/bigquery/fake-bigquery.js';

export interface ServedFunction {
  url: string;
  /** Faultline's own telemetry lines seen on stdout since the server started */
  telemetry: Record<string, unknown>[];
  /** what the framework printed on stderr for invocations that threw (answered 500) */
  crashes: string[];
  close(): Promise<void>;
}

const LABELS = 'logging.googleapis.com/labels';

/**
 * Serves the registered `ingestLogEntry` with the functions-framework's own Express server
 * (getTestServer: body parsers, CloudEvent parsing, Pub/Sub push conversion, 204/500
 * answers) on a real listening socket. The environment is set before functions/index.ts is
 * imported, since the configuration is read once, at load; call once per test file.
 */
export async function serveIngestFunction(env: Record<string, string>, target = 'ingestLogEntry'): Promise<ServedFunction> {
  Object.assign(process.env, env);
  const telemetry = captureTelemetry();
  const crashes: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void crashes.push(args.map(String).join(' ')));
  await import('../../functions/index.js');
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  const server: Server = getTestServer(target);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    telemetry,
    crashes,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      vi.restoreAllMocks();
    },
  };
}

/** Keeps Faultline's JSON lines out of the test output, and available to assertions. */
function captureTelemetry(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const parsed = text.split('\n').filter((l) => l.startsWith('{')).map(tryParse);
    if (parsed.length > 0 && parsed.every((p) => p !== null && LABELS in p)) {
      lines.push(...(parsed as Record<string, unknown>[]));
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  return lines;
}

function tryParse(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export interface IngestAgainstFake {
  fake: FakeBigQuery;
  fn: ServedFunction;
  close(): Promise<void>;
}

/**
 * `ingestLogEntry` writing to a fake BigQuery (project P, dataset D unless given): the set-up
 * of the ingestion tests; `env` adds or overrides settings (batch bounds).
 */
export async function serveIngestAgainstFake(env: Record<string, string> = {}, project = 'P', dataset = 'D'): Promise<IngestAgainstFake> {
  const { fake, endpoint } = await startFakeBigQuery(project, dataset);
  const fn = await serveIngestFunction({ FAULTLINE_PROJECT: project, FAULTLINE_DATASET: dataset, FAULTLINE_SINK: 'bigquery', BIGQUERY_EMULATOR_HOST: endpoint, ...env });
  return {
    fake,
    fn,
    close: async () => {
      await fn.close();
      await fake.stop();
    },
  };
}
