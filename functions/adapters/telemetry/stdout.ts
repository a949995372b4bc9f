import type { Telemetry, TelemetrySeverity } from '../../ports/telemetry.js';

/** The label the log sink's exclusion filter matches, so Faultline never ingests its own logs. */
export const TELEMETRY_LABELS = { component: 'faultline' } as const;

const LABELS_KEY = 'logging.googleapis.com/labels';

export type LineWriter = (line: string) => void;

/** Errors do not survive JSON.stringify (their fields are not enumerable), so they are spelled out. */
function plain(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? { name: value.name, message: value.message } : { name: value.name, message: value.message, code };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function summary(event: string, fields: Record<string, unknown>): string {
  const parts = Object.entries(fields)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .slice(0, 6)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length === 0 ? event : `${event} ${parts.join(' ')}`;
}

/**
 * One JSON object per line on stdout: Cloud Logging's agent turns `severity`, `message` and
 * `logging.googleapis.com/labels` into the entry's own fields, and keeps the rest as jsonPayload.
 */
export function formatTelemetryLine(severity: TelemetrySeverity, event: string, fields: Record<string, unknown> = {}): string {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) body[key] = plain(value);
  const line = { ...body, severity, event, message: summary(event, body), [LABELS_KEY]: TELEMETRY_LABELS };
  try {
    return JSON.stringify(line);
  } catch {
    // A field that cannot be serialised (a cycle) must not cost the event itself.
    return JSON.stringify({ severity, event, message: event, [LABELS_KEY]: TELEMETRY_LABELS, unserializable: true });
  }
}

export function stdoutTelemetry(write: LineWriter = (line) => void process.stdout.write(line)): Telemetry {
  return { emit: (severity, event, fields) => write(`${formatTelemetryLine(severity, event, fields)}\n`) };
}
