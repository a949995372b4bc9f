import { describe, expect, it } from 'vitest';
import { Database } from '../../functions/adapters/duckdb/database.js';
import { DuckDbSignatureStore } from '../../functions/adapters/duckdb/signature-store.js';
import { AlertService } from '../../functions/app/alerts.js';
import type { OutputRecord } from '../../functions/core/classify/entry.js';
import { silentTelemetry } from '../../functions/ports/telemetry.js';

type Classified = OutputRecord & { status: 'classified' };

function record(i: number, sig: string, timeoutS: number): Classified {
  return {
    status: 'classified', event_id: `e${i}`, timestamp: new Date(Date.UTC(2026, 2, 2, 10, 0, i)).toISOString(), project: 'p', service: 'svc', revision: 'r1',
    instance_id: `i${i}`, category: 'db_init_timeout', rule_id: 'r', signature_id: sig, params: { timeout_s: timeoutS }, excerpt: 'timeout', looks_like_failure: false,
  } as unknown as Classified;
}

describe('exactly-once alerting (DuckDB INSERT … ON CONFLICT DO NOTHING RETURNING)', () => {
  it('concurrent instances and redeliveries raise each alert key once', async () => {
    const db = await Database.open(':memory:');
    const store = new DuckDbSignatureStore(db);
    const sent: string[] = [];
    const clock = { nowIso: () => '2026-03-02T12:00:00.000Z' };
    const instances = Array.from({ length: 4 }, () => new AlertService({ store, publishers: [{ name: 't', publish: async (a) => void sent.push(a.alert_key) }], issues: [], clock, telemetry: silentTelemetry }));
    const sigs = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'];
    const records = sigs.flatMap((s, k) => [record(3 * k, s, 8), record(3 * k + 1, s, 8)]);
    // every instance receives every record, twice (Pub/Sub redelivery), all at once
    await Promise.all(instances.flatMap((inst) => [...records, ...records].map((r) => inst.observe(r))));
    expect([...sent].sort()).toEqual(sigs.map((s) => `new_signature|svc|${s}`).sort());
    const rows = await store.list();
    expect(rows.map((r) => r.alert.alert_key).sort()).toEqual([...sent].sort());
    const esc = record(50, 'aaaaaaaaaaaaaaaa', 20);
    await Promise.all(instances.flatMap((inst) => [inst.observe(esc), inst.observe(esc)]));
    expect(sent.filter((k) => k.startsWith('escalation|'))).toEqual(['escalation|svc|aaaaaaaaaaaaaaaa|timeout_s|20']);
    await db.close();
  });
});
