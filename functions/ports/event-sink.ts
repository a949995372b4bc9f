import type { FailureEventRow, RejectedEntryRow } from '../core/rows.js';

/** A row the store refused for a reason of its own (schema, size), reported row by row. */
export interface RowFailure {
  /** index of the row in the batch */
  index: number;
  reason: string;
  /** true when a retry may succeed (the caller should let Pub/Sub redeliver) */
  transient: boolean;
}

/**
 * Durable storage of classified events and rejected records. Writes are idempotent by
 * `event_id` / `rejection_id`: writing the same rows twice leaves one copy each.
 * Resolves once the rows are durable; throws when the whole batch failed (network,
 * 5xx, 429), so the caller can fail exactly the deliveries whose rows it held.
 */
export interface EventSink {
  writeEvents(rows: readonly FailureEventRow[]): Promise<RowFailure[]>;
  writeRejected(rows: readonly RejectedEntryRow[]): Promise<RowFailure[]>;
}
