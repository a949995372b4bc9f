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
  it('creates the tables from the BigQuery schemas, unique by key through the writes, not a PRIMARY KEY index', async () => {
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
      // No ART index: it grew memory by ~230 bytes a row for good (see event-sink.ts).
      const pks = await db.all("SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' AND table_name IN ('failure_events', 'rejected_entries')");
      expect(pks).toEqual([]);
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

describe('DuckDB sink: one row per key without an index', () => {
  it('writes each key once across batches, repeats inside a batch and re-sent batches; reads see every resolved write', async () => {
    const path = join(dir, 'keys.duckdb');
    const { sink, close, database } = await openDuckDbSink(path);
    const rows = eventRows(40, 'm');
    expect(await sink.writeEvents(rows.slice(0, 25))).toEqual([]);
    expect(await sink.writeEvents(rows.slice(10, 40))).toEqual([]);
    expect(await sink.writeEvents([...rows.slice(0, 3), ...rows.slice(0, 3)])).toEqual([]);
    const seen = await database.all('SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS d FROM failure_events');
    expect(seen).toEqual([{ n: 40, d: 40 }]);
    await close();
  });

  it('after reopening, a stored key is not written again and keeps its first values', async () => {
    const path = join(dir, 'reopen.duckdb');
    const rows = eventRows(10, 'r');
    const first = await openDuckDbSink(path);
    await first.sink.writeEvents(rows.slice(0, 6));
    await first.close();
    const again = await openDuckDbSink(path);
    const changed = rows.map((r) => ({ ...r, template: 'changed on the second run' }));
    expect(await again.sink.writeEvents(changed)).toEqual([]);
    const stored = await again.database.all("SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE template = 'changed on the second run')::INTEGER AS new FROM failure_events");
    await again.close();
    expect(stored).toEqual([{ n: 10, new: 4 }]);
  });

  it('reports a bad row by its index in the batch given, also when repeats were left out before it', async () => {
    const { sink, close } = await openDuckDbSink(join(dir, 'bad-after-repeat.duckdb'));
    const rows = eventRows(3, 'x');
    const broken = { ...(rows[2] as FailureEventRow), event_timestamp: 'not a time' };
    expect(await sink.writeEvents([rows[0], rows[0], rows[1], broken] as FailureEventRow[])).toEqual([{ index: 3, reason: expect.stringContaining('event_timestamp') as unknown, transient: false }]);
    await close();
  });

  it('moves rows a killed run of the former design left in its staging table, then drops it', async () => {
    const path = join(dir, 'leftover.duckdb');
    const first = await openDuckDbSink(path);
    const rows = eventRows(12, 'l');
    await first.sink.writeEvents(rows.slice(0, 8));
    await first.close();
    // the former design staged rows in <table>__staging until a merge; a kill could leave some
    const raw = await Database.open(path);
    await raw.connection.run('CREATE TABLE failure_events__staging AS SELECT * FROM failure_events LIMIT 0');
    await raw.connection.run("INSERT INTO failure_events__staging SELECT * REPLACE (event_id || '-x' AS event_id) FROM failure_events");
    await raw.connection.run('INSERT INTO failure_events__staging SELECT * FROM failure_events');
    await raw.close();
    const again = await openDuckDbSink(path);
    await again.sink.writeEvents(rows);
    await again.close();
    const db = await Database.open(path, { readOnly: true });
    const ids = (await db.tableRows('failure_events')).map((r) => String(r.event_id));
    const staging = await db.all("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'failure_events__staging'");
    await db.close();
    expect(ids.length).toBe(20);
    expect(new Set(ids).size).toBe(20);
    expect(staging).toEqual([{ n: 0 }]);
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
