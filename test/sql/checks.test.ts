import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDuckDb } from '../../functions/adapters/sql/transpile.js';
import { findFile } from '../../functions/core/sql/library.js';
import { FIXTURE, library, LocalQueries, replayIntoNewDb, type FixtureDb } from './helpers.js';
import { instanceId } from './incident-story.js';

/**
 * The data checks find what they are meant to find. The fixture database is copied into
 * tables without the primary key (as BigQuery's tables are: nothing stops a duplicate
 * there), then broken on purpose, one fault per check.
 */
const lib = library();
let fixture: FixtureDb;
let queries: LocalQueries;
let scratch: string;
let duplicated: string;
let twoCategories: string;
let future: string;

async function breakCopy(): Promise<void> {
  const instance = await DuckDBInstance.create(scratch);
  const c = await instance.connect();
  const one = async (sql: string) => String(Object.values((await c.runAndReadAll(sql)).getRowObjectsJson()[0] ?? {})[0]);
  try {
    await c.run(`ATTACH '${fixture.path}' AS fx (READ_ONLY)`);
    await c.run('CREATE TABLE failure_events AS SELECT * FROM fx.failure_events');
    await c.run('CREATE TABLE rejected_entries AS SELECT * FROM fx.rejected_entries');
    await c.run('DETACH fx');
    // a redelivery that BigQuery's best-effort de-duplication missed
    duplicated = await one("SELECT min(event_id) FROM failure_events WHERE category = 'import_error'");
    await c.run(`INSERT INTO failure_events SELECT * REPLACE (ingest_time + INTERVAL 1 MINUTE AS ingest_time, 'redelivery' AS message_id) FROM failure_events WHERE event_id = '${duplicated}'`);
    // a rule edited without a signature version bump
    twoCategories = await one("SELECT min(signature_id) FROM failure_events WHERE category = 'exit_code'");
    await c.run(`INSERT INTO failure_events SELECT * REPLACE ('x-category' AS event_id, 'unhandled_exception' AS category) FROM failure_events WHERE signature_id = '${twoCategories}' LIMIT 1`);
    // an instance whose clock runs decades ahead
    future = 'x-future';
    await c.run(`INSERT INTO failure_events SELECT * REPLACE ('${future}' AS event_id, TIMESTAMPTZ '2100-01-01 00:00:00+00' AS event_timestamp) FROM failure_events WHERE category = 'startup_progress' LIMIT 1`);
    // one instance id under two services: not one boot any more
    await c.run(`INSERT INTO failure_events SELECT * REPLACE ('x-service' AS event_id, 'payments-api' AS service) FROM failure_events WHERE instance_id = '${instanceId('a1')}' AND category = 'startup_success' LIMIT 1`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  fixture = await replayIntoNewDb(FIXTURE);
  scratch = join(fixture.path, '..', 'broken.duckdb');
  await breakCopy();
  queries = await LocalQueries.open(scratch, lib);
});

afterAll(async () => {
  await queries?.close();
  fixture?.remove();
});

describe('on a database with one fault per check', () => {
  it('events still returns a redelivered entry once, as first written', async () => {
    const rows = (await queries.run('events')).rows.filter((r) => r.event_id === duplicated);
    expect(rows.map((r) => r.message_id)).toEqual([null]);
  });

  it('signature_categories names the signature with two categories', async () => {
    const rows = (await queries.run('signature_categories')).rows;
    expect(rows.map((r) => [r.signature_id, r.categories])).toEqual([[twoCategories, ['exit_code', 'unhandled_exception']]]);
  });

  it('future_timestamps names the entry from the future', async () => {
    expect((await queries.run('future_timestamps')).rows.map((r) => r.event_id)).toEqual([future]);
  });

  it('attempts_with_two_outcomes names the instance seen under two services', async () => {
    const rows = (await queries.run('attempts_with_two_outcomes')).rows;
    expect(rows.map((r) => [r.attempt_id, r.services])).toEqual([[instanceId('a1'), ['orders-api', 'payments-api']]]);
  });

  it('duplicate_event_ids passes on the events view, and catches an events view that does not de-duplicate', async () => {
    expect((await queries.run('duplicate_event_ids')).rows).toEqual([]);
    const check = toDuckDb(findFile(lib, 'duplicate_event_ids') as never);
    if (!check.ok) throw new Error(check.error);
    const rows = await queries.db.exclusive(async (c) => {
      await c.run('CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM failure_events');
      return (await c.runAndReadAll(check.sql)).getRowObjectsJson();
    });
    expect(rows).toEqual([{ event_id: duplicated, copies: '2' }]);
  });
});
