import type { RowFailure } from '../../ports/event-sink.js';

/** One row as insertAll takes it when `raw: true`: the id is ours, never a random one. */
export interface InsertRow {
  insertId: string;
  json: Record<string, unknown>;
}

/** The insertAll response body: per-row errors by the index of the row in the request. */
export interface InsertAllResponse {
  insertErrors?: { index?: number; errors?: { reason?: string; message?: string }[] }[];
}

/**
 * insertAll error reasons that describe the row itself: sending it again cannot succeed.
 * Everything else (stopped, timeout, backendError, internalError, unknown reasons) is
 * treated as transient, so the delivery is retried rather than the row given up.
 */
const PERMANENT_REASONS = new Set(['invalid']);

/** The rows an insertAll response reports as not inserted, by their position in the batch. */
export function insertFailures(sent: readonly InsertRow[], response: InsertAllResponse | null | undefined): RowFailure[] {
  const entries = response?.insertErrors ?? [];
  const failures = new Map<number, RowFailure>();
  for (const entry of entries) {
    const index = entry.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= sent.length) continue;
    const reasons = (entry.errors ?? []).map((e) => e.reason ?? 'unknown');
    const messages = (entry.errors ?? []).map((e) => (e.message ? `${e.reason ?? 'unknown'}: ${e.message}` : (e.reason ?? 'unknown')));
    const transient = reasons.length === 0 || reasons.some((r) => !PERMANENT_REASONS.has(r));
    failures.set(index, { index, reason: messages.join('; ') || 'unknown insert error', transient });
  }
  if (failures.size === 0 && entries.length > 0) {
    // Errors we cannot place on a row must not pass for success.
    throw new Error(`insertAll reported ${entries.length} row errors that match no row sent`);
  }
  return [...failures.values()].sort((a, b) => a.index - b.index);
}

/** HTTP status of a whole-request failure, when the client saw one (ApiError.code). */
export function statusOf(err: unknown): number | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}
