import type { ClassifiedRecord, OutputRecord } from '../core/classify/entry.js';
import type { DecodeResult } from '../core/decode/index.js';
import type { Engine } from '../core/engine.js';
import { toEventRow, toRejectedRow, type FailureEventRow, type RejectedEntryRow } from '../core/rows.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { Telemetry } from '../ports/telemetry.js';
import { Batcher, RowWriteError, type BatcherOptions } from './batcher.js';
import { FlushReport, type Schedule } from './flush-report.js';

export interface IngestOptions {
  batch: BatcherOptions;
  /**
   * Store `not_startup_related` entries that do not look like failures. On by default: the
   * rows are cheap and success rates need the full picture; off, they are only counted.
   */
  storeUnrelated: boolean;
  /**
   * Called once the entry's row is durable (alerts): its promise is part of the delivery, so
   * a failure is retried like a failed write (the observer must be idempotent).
   */
  observer?: (record: OutputRecord & { status: 'classified' }) => Promise<void>;
  /**
   * Successful batch writes are summed into one telemetry line per table per this interval
   * (0: a line per batch); failed batches are always reported at once. Default 60 s.
   */
  flushReportIntervalMs?: number;
  /** the timer of those summaries (tests) */
  flushReportSchedule?: Schedule;
}

export const DEFAULT_FLUSH_REPORT_INTERVAL_MS = 60_000;

export type IngestOutcome =
  | { kind: 'stored'; record: OutputRecord & { status: 'classified' } }
  | { kind: 'skipped'; record: OutputRecord & { status: 'classified' } }
  | { kind: 'rejected'; row: RejectedEntryRow };

/**
 * The use case shared by the Cloud Function and local mode: classify one delivered record
 * and write its row. Resolves when the row is durable (the delivery may be acknowledged);
 * throws when a retry may help (the delivery must be retried).
 */
export class IngestService {
  private readonly events: Batcher<FailureEventRow>;
  private readonly rejected: Batcher<RejectedEntryRow>;
  private readonly reports: FlushReport[];

  constructor(
    private readonly engine: Engine,
    sink: EventSink,
    private readonly clock: Clock,
    private readonly telemetry: Telemetry,
    private readonly options: IngestOptions,
  ) {
    const interval = options.flushReportIntervalMs ?? DEFAULT_FLUSH_REPORT_INTERVAL_MS;
    const events = new FlushReport(telemetry, 'failure_events', interval, options.flushReportSchedule);
    const rejected = new FlushReport(telemetry, 'rejected_entries', interval, options.flushReportSchedule);
    this.reports = [events, rejected];
    this.events = new Batcher((rows) => sink.writeEvents(rows), options.batch, (...a) => events.record(...a));
    this.rejected = new Batcher((rows) => sink.writeRejected(rows), options.batch, (...a) => rejected.record(...a));
  }

  async ingest(decoded: DecodeResult, source: string): Promise<IngestOutcome> {
    if (decoded.kind === 'rejected') return this.reject(decoded, source);
    const record = this.engine.classifyDecoded(decoded);
    if (record.status === 'rejected') throw new Error('the engine rejected an accepted entry');
    return this.ingestClassified(record, () => JSON.stringify(decoded.entry), source);
  }

  /**
   * The rest of `ingest` for an entry this service's engine classified elsewhere (a worker
   * thread of a local replay); `raw` gives the entry's JSON, kept if the store refuses the row.
   */
  async ingestClassified(record: ClassifiedRecord, raw: () => string, source: string): Promise<IngestOutcome> {
    if (record.classifier_version !== this.engine.classifierVersion) {
      throw new Error(`classified by ${record.classifier_version}, but this service runs ${this.engine.classifierVersion}`);
    }
    if (!this.options.storeUnrelated && record.category === 'not_startup_related' && !record.looks_like_failure) {
      return { kind: 'skipped', record };
    }
    try {
      await this.events.add(toEventRow(record, this.clock.nowIso()));
    } catch (err) {
      if (err instanceof RowWriteError && !err.transient) {
        // The store refused the row for good: keep the entry where it can be reprocessed.
        return this.storeRefused(record, raw(), err.message, source);
      }
      throw err;
    }
    await this.options.observer?.(record);
    return { kind: 'stored', record };
  }

  /** Writes everything waiting and reports it; call before a process exits. */
  async flush(): Promise<void> {
    await Promise.all([this.events.flush(), this.rejected.flush()]);
    for (const report of this.reports) report.emitPending();
  }

  private async reject(decoded: DecodeResult & { kind: 'rejected' }, source: string): Promise<IngestOutcome> {
    const row = toRejectedRow(
      { reason: decoded.reason, detail: decoded.detail, messageId: decoded.messageId, publishTime: decoded.publishTime, raw: decoded.raw, source },
      this.clock.nowIso(),
      this.engine.classifierVersion,
    );
    this.telemetry.emit('WARNING', 'EntryRejected', { reason: row.reason, detail: row.detail, message_id: row.message_id, source });
    return this.storeRejected(row);
  }

  /**
   * A rejected row the store refuses for good must not make Pub/Sub redeliver its message
   * forever: it is stored again without its payload, and if even that is refused, logged
   * whole (Cloud Logging keeps it; the sink's filter excludes Faultline's own logs) and the
   * delivery acknowledged. Transient failures are thrown as always.
   */
  private async storeRejected(row: RejectedEntryRow): Promise<IngestOutcome> {
    try {
      await this.rejected.add(row);
      return { kind: 'rejected', row };
    } catch (err) {
      if (!(err instanceof RowWriteError) || err.transient) throw err;
      const bare: RejectedEntryRow = { ...row, payload: null, detail: `${row.detail ?? ''} (payload not stored: ${err.message})`.slice(0, 2048) };
      try {
        await this.rejected.add(bare);
        return { kind: 'rejected', row: bare };
      } catch (again) {
        if (!(again instanceof RowWriteError) || again.transient) throw again;
        this.telemetry.emit('ERROR', 'RejectedRowRefused', { reason: again.message, row });
        return { kind: 'rejected', row };
      }
    }
  }

  private async storeRefused(record: ClassifiedRecord, raw: string, why: string, source: string): Promise<IngestOutcome> {
    const eventId = record.event_id;
    const row = toRejectedRow(
      { reason: 'STORE.ROW_REFUSED', detail: `event ${eventId}: ${why}`, messageId: record.message_id, publishTime: record.publish_time, raw, source },
      this.clock.nowIso(),
      this.engine.classifierVersion,
    );
    this.telemetry.emit('ERROR', 'EventRowRefused', { event_id: eventId, reason: why });
    return this.storeRejected(row);
  }
}
