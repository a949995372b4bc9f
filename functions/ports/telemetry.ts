/**
 * Faultline's own events (EntryRejected, BatchFlushed, BigQueryInsertFailed, ...). In Cloud
 * Functions they are JSON lines on stdout that Cloud Logging turns into structured entries.
 */
export type TelemetrySeverity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface Telemetry {
  emit(severity: TelemetrySeverity, event: string, fields?: Record<string, unknown>): void;
}

export const silentTelemetry: Telemetry = { emit: () => undefined };
