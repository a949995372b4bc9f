import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { createTableSql, Database, loadTableSpecs } from '../../../functions/adapters/duckdb/database.js';
import { DuckDbSignatureStore } from '../../../functions/adapters/duckdb/signature-store.js';
import { alert } from '../../contracts/signature-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file written before alert_keys had delivered_at: its table lacks the column. */
async function writeOldFile(path: string): Promise<void> {
  const spec = loadTableSpecs().find((t) => t.name === 'alert_keys')!;
  const old = { ...spec, columns: spec.columns.filter((c) => c.name !== 'delivered_at') };
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  await c.run(createTableSql(old));
  const insert = `INSERT INTO alert_keys (alert_key, kind, service, signature_id, first_seen, claimed_at, delivery, alert)
    VALUES ($key, 'new_signature', 'svc', 'aaaaaaaaaaaaaaaa', NULL, CAST('2026-03-01T08:00:00Z' AS TIMESTAMPTZ), $delivery, CAST($alert AS JSON))`;
  for (const [key, delivery] of [['old-sent', 'sent'], ['old-digested', 'digested']] as const) {
    await c.run(insert, { key, delivery, alert: JSON.stringify(alert(key)) });
  }
  c.closeSync();
  instance.closeSync();
}

describe('a DuckDB file from before delivery tracking', () => {
  it('opens with delivered_at added; its sent alerts count as delivered, new claims as undelivered', async () => {
    const path = join(dir, 'old.duckdb');
    await writeOldFile(path);
    const db = await Database.open(path);
    try {
      const rows = await db.tableRows('alert_keys');
      expect(rows.map((r) => [r.alert_key, r.delivered_at])).toEqual([
        ['old-digested', null],
        ['old-sent', '2026-03-01T08:00:00.000000Z'],
      ]);
      const comment = await db.all("SELECT comment FROM duckdb_columns() WHERE table_name = 'alert_keys' AND column_name = 'delivered_at'");
      expect(String(comment[0]?.comment)).toMatch(/^When every channel took the alert/);
      const store = new DuckDbSignatureStore(db);
      await store.claim(alert('new'), 'sent');
      expect((await store.undelivered('2026-03-04T00:00:00Z')).map((a) => a.alert_key)).toEqual(['new']);
    } finally {
      await db.close();
    }
    // the second open finds the column and changes nothing
    const again = await Database.open(path);
    expect((await again.tableRows('alert_keys')).find((r) => r.alert_key === 'new')?.delivered_at).toBeNull();
    await again.close();
  });
});
