import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../functions/adapters/duckdb/database.js';
import { openDuckDbSink } from '../../../functions/adapters/duckdb/event-sink.js';
import type { FailureEventRow, RejectedEntryRow } from '../../../functions/core/rows.js';
import { describeEventSinkContract, eventRows, type EventSinkHarness } from '../../contracts/event-sink.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-duckdb-'));
let n = 0;

/** The sink, and a second look at the same file through a fresh connection after closing it. */
async function openHarness(path = join(dir, `contract-${++n}.duckdb`)): Promise<EventSinkHarness> {
  const opened = await openDuckDbSink(path);
  let closed = false;
  const read = async (table: string) => {
    // Reading through the sink's own file after closing it proves the rows reached disk.
    if (!closed) {
      await opened.close();
      closed = true;
    }
    const db = await Database.open(path, { readOnly: true });
    try {
      return await db.tableRows(table);
    } finally {
      await db.close();
    }
  };
  return {
    sink: opened.sink,
    storedEvents: async () => (await read('failure_events')) as unknown as FailureEventRow[],
    storedRejected: async () => (await read('rejected_entries')) as unknown as RejectedEntryRow[],
    close: async () => {
      if (!closed) await opened.close();
      closed = true;
    },
  };
}

describeEventSinkContract('duckdb', () => openHarness());

describe('DuckDB sink specifics', () => {
  it('creates the tables from the BigQuery schemas with a primary key on the key column', async () => {
    const path = join(dir, 'schema.duckdb');
    await (await openDuckDbSink(path)).close();
    const db = await Database.open(path);
    try {
      const cols = await db.all("SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'failure_events' ORDER BY column_index");
      const byName = Object.fromEntries(cols.map((c) => [c.column_name, c]));
      expect(Object.keys(byName)).toEqual(db.tables.find((t) => t.name === 'failure_events')?.columns.map((c) => c.name));
      expect(byName.event_timestamp).toMatchObject({ data_type: 'TIMESTAMP WITH TIME ZONE', is_nullable: false });
      expect(byName.looks_like_failure).toMatchObject({ data_type: 'BOOLEAN', is_nullable: true });
      expect(byName.params).toMatchObject({ data_type: 'JSON' });
      const pks = await db.all("SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name");
      expect(pks).toEqual([
        { table_name: 'failure_events', constraint_column_names: ['event_id'] },
        { table_name: 'rejected_entries', constraint_column_names: ['rejection_id'] },
      ]);
    } finally {
      await db.close();
    }
  });

  it('reports a row the table cannot hold as a permanent failure and stores the others', async () => {
    const { sink, close } = await openDuckDbSink(join(dir, 'bad-row.duckdb'));
    try {
      const rows = eventRows(4, 'bad');
      const broken = { ...(rows[2] as FailureEventRow), event_timestamp: 'not a time', params: '{"unclosed":' };
      const failures = await sink.writeEvents([rows[0], rows[1], broken, rows[3]] as FailureEventRow[]);
      expect(failures).toEqual([{ index: 2, reason: expect.stringMatching(/event_timestamp.*params|params.*event_timestamp/s) as unknown, transient: false }]);
    } finally {
      await close();
    }
  });

  it('keeps concurrent batches apart (one connection, writes in call order)', async () => {
    const path = join(dir, 'concurrent.duckdb');
    const { sink, close } = await openDuckDbSink(path);
    const batches = Array.from({ length: 6 }, (_, i) => eventRows(50, `b${i}`));
    const results = await Promise.all(batches.map((b) => sink.writeEvents(b)));
    await close();
    expect(results.flat()).toEqual([]);
    const db = await Database.open(path, { readOnly: true });
    const stored = await db.tableRows('failure_events');
    await db.close();
    expect(stored.map((r) => r.event_id).sort()).toEqual(batches.flat().map((r) => r.event_id).sort());
  });
});

describe('DuckDB sink: text survives byte for byte', () => {
  it('keeps quotes, backslashes, newlines, control characters and non-BMP text', async () => {
    const path = join(dir, 'text.duckdb');
    const { sink, close } = await openDuckDbSink(path);
    const tricky = 'line 1\nline 2\r\n\ttab "quoted" \'single\' back\\slash \u2028 é 漢字 🚀 \u0001 end';
    const [row] = eventRows(1, 'tricky');
    const written = { ...(row as FailureEventRow), excerpt: tricky, template: '{"not":"json"}', params: '{"module":"app.ünïcode","timeout_s":20.5}' };
    expect(await sink.writeEvents([written])).toEqual([]);
    await close();
    const db = await Database.open(path, { readOnly: true });
    const [stored] = await db.tableRows('failure_events');
    await db.close();
    expect(stored?.excerpt).toBe(tricky);
    expect(stored?.template).toBe('{"not":"json"}');
    expect(JSON.parse(String(stored?.params))).toEqual({ module: 'app.ünïcode', timeout_s: 20.5 });
  });

  it('stores a lone UTF-16 surrogate (no UTF-8 form) as U+FFFD instead of failing the batch', async () => {
    const path = join(dir, 'surrogate.duckdb');
    const { sink, close } = await openDuckDbSink(path);
    const rows = eventRows(3, 'sur');
    const odd = { ...(rows[1] as FailureEventRow), excerpt: 'before \ud800 after' };
    expect(await sink.writeEvents([rows[0], odd, rows[2]] as FailureEventRow[])).toEqual([]);
    await close();
    const db = await Database.open(path, { readOnly: true });
    const stored = await db.tableRows('failure_events');
    await db.close();
    expect(stored.find((r) => r.event_id === odd.event_id)?.excerpt).toBe('before \ufffd after');
    expect(stored).toHaveLength(3);
  });
});
