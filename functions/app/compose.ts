import { createBigQuerySink } from '../adapters/bigquery/event-sink.js';
import { stdoutTelemetry } from '../adapters/telemetry/stdout.js';
import type { Config } from '../config.js';
import { createEngine } from '../core/engine.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { Telemetry } from '../ports/telemetry.js';
import { loadRules } from '../rules/load.js';
import { openAlerts, type OpenAlerts } from './compose-alerts.js';
import { IngestService } from './ingest.js';

/** Everything one instance needs to ingest deliveries, built once. */
export interface IngestApp {
  service: IngestService;
  telemetry: Telemetry;
  /** writes what waits and releases the sink */
  close(): Promise<void>;
}

export interface ComposeOverrides {
  telemetry?: Telemetry;
  clock?: Clock;
}

interface OpenSink {
  sink: EventSink;
  close(): Promise<void>;
}

async function openSink(config: Config, telemetry: Telemetry): Promise<OpenSink> {
  if (config.sink === 'duckdb') {
    // Imported on demand so that the Cloud Function never loads the DuckDB native module.
    const { openDuckDbSink } = await import('../adapters/duckdb/event-sink.js');
    return openDuckDbSink(config.duckdbPath);
  }
  const sink = createBigQuerySink({
    projectId: config.project,
    dataset: config.dataset,
    tables: config.tables,
    apiEndpoint: config.bigqueryEndpoint,
    telemetry,
  });
  return { sink, close: async () => undefined };
}

/** The composition root: rules compiled once, one sink, one IngestService per instance. */
export async function composeIngest(config: Config, overrides: ComposeOverrides = {}): Promise<IngestApp> {
  const telemetry = overrides.telemetry ?? stdoutTelemetry();
  const { rules, classifierVersion } = loadRules();
  const engine = createEngine(rules, classifierVersion);
  const opened = await openSink(config, telemetry);
  const clock = overrides.clock ?? systemClock;
  // New-signature, regression and escalation alerts seconds after the entry (BigQuery sink only: local mode wires its own).
  const alerts: OpenAlerts | null = config.alerts.enabled && config.sink === 'bigquery' ? openAlerts(config, telemetry, clock) : null;
  // The cold start reads the issue registry once (a failed read is reported, not thrown).
  await alerts?.refreshIssues();
  const service = new IngestService(engine, opened.sink, clock, telemetry, {
    batch: config.batch,
    storeUnrelated: config.storeUnrelated,
    flushReportIntervalMs: config.flushReportS * 1000,
    ...(alerts ? { observer: (r: Parameters<typeof alerts.observe>[0]) => alerts.observe(r) } : {}),
  });
  telemetry.emit('INFO', 'IngestReady', {
    sink: config.sink,
    classifier_version: classifierVersion,
    rules: rules.rules.length,
    batch_max_rows: config.batch.maxRows,
    batch_max_delay_ms: config.batch.maxDelayMs,
    flush_report_s: config.flushReportS,
    store_unrelated: config.storeUnrelated,
    alerts: alerts !== null,
  });
  return {
    service,
    telemetry,
    close: async () => {
      await service.flush();
      await alerts?.service.flush();
      await alerts?.close();
      await opened.close();
    },
  };
}
