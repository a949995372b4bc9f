import { describe, expect, it } from 'vitest';
import { formatTelemetryLine, stdoutTelemetry, TELEMETRY_LABELS } from '../../../functions/adapters/telemetry/stdout.js';

describe('stdout telemetry (structured JSON lines for Cloud Logging)', () => {
  it('writes one JSON line per event with severity, event name, a readable message and the faultline label', () => {
    const lines: string[] = [];
    stdoutTelemetry((l) => lines.push(l)).emit('WARNING', 'EntryRejected', { reason: 'PAYLOAD.BAD_BASE64', message_id: '42', nested: { a: 1 } });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(lines[0]?.slice(0, -1)).not.toContain('\n');
    const parsed = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      severity: 'WARNING',
      event: 'EntryRejected',
      reason: 'PAYLOAD.BAD_BASE64',
      nested: { a: 1 },
      'logging.googleapis.com/labels': TELEMETRY_LABELS,
    });
    expect(parsed.message).toBe('EntryRejected reason=PAYLOAD.BAD_BASE64 message_id=42');
  });

  it('keeps severity, event and label even when a field tries to override them', () => {
    const parsed = JSON.parse(formatTelemetryLine('ERROR', 'BigQueryInsertFailed', { severity: 'DEBUG', event: 'x', 'logging.googleapis.com/labels': {} }));
    expect([parsed.severity, parsed.event, parsed['logging.googleapis.com/labels']]).toEqual(['ERROR', 'BigQueryInsertFailed', TELEMETRY_LABELS]);
  });

  it('spells out errors, which JSON.stringify would turn into {}', () => {
    const err = Object.assign(new Error('Service Unavailable'), { code: 503 });
    expect(JSON.parse(formatTelemetryLine('ERROR', 'DeliveryFailed', { error: err })).error).toEqual({ name: 'Error', message: 'Service Unavailable', code: 503 });
  });

  it('still emits the event when a field cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(JSON.parse(formatTelemetryLine('INFO', 'BatchFlushed', { cyclic }))).toMatchObject({ severity: 'INFO', event: 'BatchFlushed', unserializable: true });
  });
});
