import { Database } from '../../functions/adapters/duckdb/database.js';

/** A table of a DuckDB file written by a spawned CLI, read after that process exited. */
export async function readTable(path: string, table: string): Promise<Record<string, unknown>[]> {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.tableRows(table);
  } finally {
    await db.close();
  }
}

/** Rows without the columns that say when a run wrote them, for comparing two runs. */
export function withoutWriteTimes(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ ingest_time: _i, receive_time: _r, ...rest }) => rest);
}
