import { sloAlerts, spikeAlerts, type EvaluateOptions, type HourlyCount, type HourlyOutcome } from '../core/alerts/evaluate.js';
import { entryCandidates, limitParams, type LinkedIssue } from '../core/alerts/detect.js';
import { alertability, isSymptom, type AlertEntry } from '../core/alerts/policy.js';
import type { Alert } from '../core/alerts/schema.js';
import { StormControl, DEFAULT_STORM, type StormOptions } from '../core/alerts/storm.js';
import type { OutputRecord } from '../core/classify/entry.js';
import { IssueIndex } from '../core/issues/links.js';
import type { Issue } from '../core/issues/schema.js';
import type { AlertPublisher } from '../ports/alert-publisher.js';
import type { Clock } from '../ports/clock.js';
import type { SignatureStore } from '../ports/signature-store.js';
import type { Telemetry } from '../ports/telemetry.js';

export interface AlertServiceDeps {
  store: SignatureStore;
  publishers: readonly AlertPublisher[];
  issues: readonly Issue[];
  clock: Clock;
  telemetry: Telemetry;
  storm?: StormOptions;
}

interface SignatureState {
  claimed: Set<string>;
  /** highest limit values alerted so far; null until the signature has an alert */
  max: Record<string, number> | null;
}

/** Start attempts remembered for symptom linking; older ones are forgotten first. */
const INSTANCES_KEPT = 10_000;

export function toAlertEntry(r: OutputRecord & { status: 'classified' }): AlertEntry {
  return {
    event_id: r.event_id, timestamp: r.timestamp, project: r.project, service: r.service, revision: r.revision, instance_id: r.instance_id,
    category: r.category, rule_id: r.rule_id, signature_id: r.signature_id, params: r.params as Record<string, string | number>,
    excerpt: r.excerpt, looks_like_failure: r.looks_like_failure,
  };
}

/**
 * New-signature, regression and escalation alerts in the ingestion path. Entries are handled
 * one at a time in arrival order (escalation compares with what came before); the store's
 * atomic claim makes each alert key alert once across instances and redeliveries. The claim
 * is also the outbox: a sent alert is marked delivered once every channel took it, and
 * `redeliver` retries the rest.
 */
export class AlertService {
  private queue: Promise<unknown> = Promise.resolve();
  private index: IssueIndex;
  private readonly states = new Map<string, SignatureState>();
  private readonly causes = new Map<string, LinkedIssue[]>();
  private readonly storm: StormControl;
  /** alerts this service raised (sent or digested), in order */
  readonly raised: { alert: Alert; delivery: 'sent' | 'digested' }[] = [];

  constructor(private readonly deps: AlertServiceDeps) {
    this.index = new IssueIndex(deps.issues);
    this.storm = new StormControl(deps.storm ?? DEFAULT_STORM);
  }

  /**
   * Replaces the issues alerts are linked with (an instance's refreshed registry). The causes
   * remembered for symptom linking were linked with the old list: they are dropped too.
   */
  setIssues(issues: readonly Issue[]): void {
    this.index = new IssueIndex(issues);
    this.causes.clear();
  }

  /** The IngestService observer: resolves once the entry's alerts are claimed and sent (or left undelivered). */
  observe(record: OutputRecord & { status: 'classified' }): Promise<void> {
    const e = toAlertEntry(record);
    const kind = alertability(e);
    if (kind === 'none') return Promise.resolve();
    const run = this.queue.then(() => this.handle(e, kind === 'candidate'));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Claims and sends alerts computed elsewhere (spike, slo), then every pending digest. */
  async raiseAll(alerts: readonly Alert[]): Promise<void> {
    await this.queue;
    for (const a of alerts) await this.raise(a, false);
    await this.flush();
  }

  /** Sends the digests of storm-controlled windows; call at the end of a replay or evaluation. */
  async flush(endedBeforeMs = Infinity): Promise<void> {
    await this.queue;
    for (const d of this.storm.digests(this.deps.clock.nowIso(), endedBeforeMs)) await this.raise(d, false, true);
  }

  private async handle(e: AlertEntry, candidate: boolean): Promise<void> {
    const sig = e.signature_id as string;
    const linked = this.linked(e);
    const state = await this.state(e.service, sig);
    for (const a of entryCandidates(e, linked, state.max, this.deps.clock.nowIso())) {
      if (state.claimed.has(a.alert_key)) continue;
      state.claimed.add(a.alert_key);
      await this.raise(a, candidate);
    }
    const max = (state.max ??= {});
    for (const [p, v] of limitParams(e)) max[p] = Math.max(max[p] ?? v, v);
  }

  private linked(e: AlertEntry): LinkedIssue[] {
    const own = this.index.linked({ ...e, signature_id: e.signature_id as string }).map(({ issue, how }) => ({ issue, link: how.source }));
    if (e.instance_id === null) return own;
    if (isSymptom(e.category)) {
      const cause = this.causes.get(e.instance_id);
      return cause ? cause.map((l) => ({ issue: l.issue, link: 'symptom' })) : own;
    }
    if (own.length > 0 && !this.causes.has(e.instance_id)) {
      if (this.causes.size >= INSTANCES_KEPT) this.causes.delete(this.causes.keys().next().value as string);
      this.causes.set(e.instance_id, own);
    }
    return own;
  }

  private async state(service: string | null, sig: string): Promise<SignatureState> {
    const id = `${service ?? '-'}|${sig}`;
    let s = this.states.get(id);
    if (s) return s;
    const history = await this.deps.store.history(service, sig);
    s = { claimed: new Set(history.map((a) => a.alert_key)), max: history.length === 0 ? null : maxOf(history) };
    this.states.set(id, s);
    return s;
  }

  private async raise(a: Alert, candidate: boolean, digest = false): Promise<void> {
    const decision = digest ? 'send' : this.storm.decide(a, candidate);
    const delivery = decision === 'send' ? 'sent' : 'digested';
    if (!(await this.deps.store.claim(a, delivery))) return;
    if (!digest) this.storm.record(a, decision, candidate);
    this.raised.push({ alert: a, delivery });
    if (delivery === 'sent') await this.deliver(a);
  }

  /**
   * Sends the claimed alerts that were not delivered (a channel failed, or the process died
   * between claim and publish) and were claimed before the cutoff, which must lie past the
   * longest a first delivery can still be running. Each goes to every channel again, also to
   * those that took it before: channels get it at least once, the decision stays once. No
   * new one is started from `deadlineIso` on (a dead webhook costs its whole retry budget per
   * alert); the rest wait for the next call. Resolves with the alerts delivered now.
   */
  async redeliver(olderThanIso: string, deadlineIso?: string, claimedFromIso?: string): Promise<Alert[]> {
    await this.queue;
    // Without channels "delivered" would mark them sent to nowhere: left for a run that has some.
    if (this.deps.publishers.length === 0) return [];
    const pending = await this.deps.store.undelivered(olderThanIso, claimedFromIso);
    const delivered: Alert[] = [];
    for (const [i, a] of pending.entries()) {
      if (deadlineIso !== undefined && Date.parse(this.deps.clock.nowIso()) >= Date.parse(deadlineIso)) {
        this.deps.telemetry.emit('WARNING', 'AlertRedeliveryDeferred', { left: pending.length - i });
        break;
      }
      const ok = await this.deliver(a);
      this.deps.telemetry.emit(ok ? 'INFO' : 'WARNING', ok ? 'AlertRedelivered' : 'AlertStillUndelivered', { alert_key: a.alert_key, raised_at: a.raised_at });
      if (ok) delivered.push(a);
    }
    return delivered;
  }

  /** Marked delivered only when every channel took it; otherwise `redeliver` finds it. */
  private async deliver(a: Alert): Promise<boolean> {
    if (!(await this.publish(a))) return false;
    try {
      await this.deps.store.markDelivered(a.alert_key, this.deps.clock.nowIso());
    } catch (err) {
      // Delivered but not recorded: a later redelivery sends it again, which at-least-once allows.
      this.deps.telemetry.emit('ERROR', 'AlertMarkDeliveredFailed', { alert_key: a.alert_key, error: String(err) });
    }
    return true;
  }

  /** A failed channel must not fail ingestion: the key is claimed, the others still get it. */
  private async publish(a: Alert): Promise<boolean> {
    let ok = true;
    for (const p of this.deps.publishers) {
      try {
        await p.publish(a);
      } catch (err) {
        ok = false;
        this.deps.telemetry.emit('ERROR', 'AlertDeliveryFailed', { channel: p.name, alert_key: a.alert_key, error: String(err) });
      }
    }
    return ok;
  }
}

function maxOf(history: readonly Alert[]): Record<string, number> {
  const max: Record<string, number> = {};
  const bump = (p: string, v: number) => (max[p] = Math.max(max[p] ?? v, v));
  for (const a of history) {
    if (a.escalation) bump(a.escalation.param, a.escalation.to);
    if (a.kind === 'new_signature') for (const [p, v] of Object.entries(a.params)) if (typeof v === 'number') bump(p, v);
  }
  return max;
}

/** What `evaluateAlerts` (and local replays, at their end) reads: the saved SQL's answers. */
export interface EvaluationInput {
  outcomes: readonly HourlyOutcome[];
  counts: readonly HourlyCount[];
  /** the first hour the aggregates cover, when they cover a window and not all the data */
  windowStartIso?: string;
}

/** Spike and SLO alerts over the hourly aggregates, claimed and sent like the others. */
export async function evaluateAlerts(service: AlertService, input: EvaluationInput, options: EvaluateOptions, nowIso: string): Promise<Alert[]> {
  const alerts = [...sloAlerts(input.outcomes, options.slo, nowIso, input.windowStartIso), ...spikeAlerts(input.counts, options.spike, nowIso)];
  const before = service.raised.length;
  await service.raiseAll(alerts);
  return service.raised.slice(before).map((r) => r.alert);
}
