import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureEventRow, RejectedEntryRow } from '../../functions/core/rows.js';
import type { FakeBigQuery, Plan } from '../adapters/bigquery/fake-bigquery.js';
import { classified, runEntry } from '../helpers/entries.js';
import { deliver, delivery, entryMessage, MODES, sinkMessage, type Mode, type SinkMessage } from './deliveries.js';
import { serveIngestAgainstFake, type IngestAgainstFake, type ServedFunction } from './function-server.js';

type Kind = 'good' | 'duplicate-export' | 'bad-base64' | 'not-json' | 'no-resource';
/** what BigQuery does with one insertAll: fine, fail before writing, write then fail (answer lost), throttle */
type BqFault = 'ok' | 'fail' | 'write-then-fail' | 'throttle';
/** what happens to a 204: acked, or lost (the instance died before the ack reached Pub/Sub) */
type AckFault = 'acked' | 'ack-lost';

interface Scenario {
  kinds: Kind[];
  bqFaults: BqFault[];
  ackFaults: AckFault[];
  modeShift: number;
}

const REASON: Partial<Record<Kind, string>> = { 'bad-base64': 'PAYLOAD.BAD_BASE64', 'not-json': 'INPUT.BAD_JSON', 'no-resource': 'ENTRY.MISSING_FIELD' };
const TEXTS = ['Phase 3 database initialization timeout after 20.0s', "ModuleNotFoundError: No module named 'app.monitoring'", 'INFO:     Application startup complete.', 'GET /healthz 200'];
/** after this many rounds Pub/Sub's deliveries meet no more faults, as a retry eventually succeeds */
const FAULTY_ROUNDS = 6;

interface Sent {
  message: SinkMessage;
  mode: Mode;
  kind: Kind;
  eventId: string | null;
}

function build(s: Scenario): Sent[] {
  const sent: Sent[] = [];
  s.kinds.forEach((kind, i) => {
    const mode = MODES[(i + s.modeShift) % MODES.length] as Mode;
    const earlier = sent.find((x) => x.kind === 'good');
    if (kind === 'duplicate-export' && earlier) {
      // The same LogEntry exported again: a new Pub/Sub message, the same event_id.
      const data = Buffer.from(earlier.message.data, 'base64').toString('utf8');
      sent.push({ message: sinkMessage(data), mode, kind, eventId: earlier.eventId });
    } else if (kind === 'good' || kind === 'duplicate-export') {
      const entry = runEntry(TEXTS[i % TEXTS.length] as string);
      sent.push({ message: entryMessage(entry), mode, kind: 'good', eventId: classified(entry).event_id });
    } else if (kind === 'bad-base64') {
      sent.push({ message: { ...sinkMessage('x'), data: 'eyJhIjox!' }, mode, kind, eventId: null });
    } else if (kind === 'not-json') {
      sent.push({ message: sinkMessage(`Killed: container exceeded memory limit ${i}`), mode, kind, eventId: null });
    } else {
      sent.push({ message: entryMessage({ ...runEntry('boot'), resource: undefined }), mode, kind, eventId: null });
    }
  });
  return sent;
}

function planFor(fault: BqFault): Plan {
  if (fault === 'fail') return { status: 503 };
  if (fault === 'write-then-fail') return { status: 500, storeAnyway: true };
  if (fault === 'throttle') return { status: 429 };
  return {};
}

describe('nothing lost, nothing doubled: redeliveries, crashes between write and ack, failing writes (functions-framework over HTTP)', () => {
  let fake: FakeBigQuery;
  let fn: ServedFunction;
  let served: IngestAgainstFake;
  let duplicatesWritten = 0;

  beforeAll(async () => {
    served = await serveIngestAgainstFake({ FAULTLINE_BATCH_MAX_ROWS: '8', FAULTLINE_BATCH_MAX_DELAY_MS: '2' });
    ({ fake, fn } = served);
  });
  afterAll(() => served.close());

  /** A Pub/Sub subscription: deliver everything unacked, concurrently, until all is acked. */
  async function run(s: Scenario): Promise<void> {
    fake.reset();
    const sent = build(s);
    let round = 0;
    let bq = 0;
    let ack = 0;
    fake.plan = () => (round < FAULTY_ROUNDS ? planFor(s.bqFaults[bq++ % s.bqFaults.length] as BqFault) : {});
    let unacked = sent.map((x) => ({ ...x, attempt: 0 }));
    while (unacked.length > 0 && round < FAULTY_ROUNDS + 3) {
      const answers = await Promise.all(unacked.map((x) => deliver(fn.url, delivery(x.mode, x.message, { deliveryAttempt: x.attempt + 1 }))));
      expect(answers.every((a) => a.status === 204 || a.status === 500)).toBe(true);
      unacked = unacked.filter((x, i) => {
        x.attempt += 1;
        const lost = round < FAULTY_ROUNDS && s.ackFaults[ack++ % s.ackFaults.length] === 'ack-lost';
        return answers[i]?.status !== 204 || lost;
      });
      round += 1;
    }
    expect(unacked).toEqual([]);
    check(sent);
  }

  function check(sent: Sent[]): void {
    const events = fake.rows('failure_events').map((r) => FailureEventRow.parse(r));
    const rejected = fake.rows('rejected_entries').map((r) => RejectedEntryRow.parse(r));
    const expectedEvents = [...new Set(sent.flatMap((x) => (x.eventId ? [x.eventId] : [])))].sort();
    expect(events.map((r) => r.event_id).sort()).toEqual(expectedEvents);
    const bad = sent.filter((x) => x.eventId === null);
    expect(rejected.map((r) => [r.message_id, r.reason]).sort()).toEqual(bad.map((x) => [x.message.messageId, REASON[x.kind]]).sort());
    for (const [table, key] of [['failure_events', 'event_id'], ['rejected_entries', 'rejection_id']] as const) {
      for (const row of fake.raw.get(table) ?? []) expect(row.insertId).toBe(row.json[key]);
    }
    duplicatesWritten += (fake.raw.get('failure_events')?.length ?? 0) - events.length + (fake.raw.get('rejected_entries')?.length ?? 0) - rejected.length;
  }

  it('leaves every entry exactly once (by event_id, through de-duplication by insertId) in failure_events or rejected_entries', async () => {
    const scenario = fc.record({
      kinds: fc.array(fc.constantFrom<Kind>('good', 'good', 'duplicate-export', 'bad-base64', 'not-json', 'no-resource'), { minLength: 1, maxLength: 24 }),
      bqFaults: fc.array(fc.constantFrom<BqFault>('ok', 'ok', 'fail', 'write-then-fail', 'throttle'), { minLength: 1, maxLength: 12 }),
      ackFaults: fc.array(fc.constantFrom<AckFault>('acked', 'acked', 'ack-lost'), { minLength: 1, maxLength: 12 }),
      modeShift: fc.nat(2),
    });
    const heavy: Scenario = {
      kinds: ['good', 'bad-base64', 'good', 'duplicate-export', 'not-json', 'good', 'no-resource', 'good'],
      bqFaults: ['write-then-fail', 'ok', 'fail', 'write-then-fail', 'throttle'],
      ackFaults: ['ack-lost', 'acked', 'ack-lost'],
      modeShift: 1,
    };
    await fc.assert(fc.asyncProperty(scenario, run), { numRuns: 12, examples: [[heavy]] });
    // The faults really did write rows twice: the de-duplication by insertId was needed.
    expect(duplicatesWritten).toBeGreaterThan(0);
  });
});
