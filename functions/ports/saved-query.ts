import type { SqlFile, SqlLibrary } from '../core/sql/library.js';
import type { BoundParam } from '../core/sql/params.js';

/** What an engine returns: column names in order and one object per row, in its own value shapes. */
export interface RawResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

/**
 * Runs one file of the SQL library (a view, an analysis or a check) on a database: the
 * local DuckDB file or the production BigQuery dataset. Params travel as typed query
 * parameters. Failures of the engine (a missing table, no credentials) are thrown.
 */
export interface QueryEngine {
  readonly name: string;
  run(library: SqlLibrary, file: SqlFile, params: readonly BoundParam[]): Promise<RawResult>;
  close(): Promise<void>;
}
