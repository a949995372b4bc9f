import { sloKey, spikeKey } from './policy.js';
import type { Alert } from './schema.js';

/** Startup outcomes of one service in one hour (reports.hourlyStartups, the saved SQL). */
export interface HourlyOutcome {
  hour: string;
  service: string;
  successes: number;
  failures: number;
}

/** Entries of one signature in one hour. */
export interface HourlyCount {
  hour: string;
  service: string | null;
  signature_id: string;
  category: string;
  count: number;
}

export interface EvaluateOptions {
  /** success rate below `critical` or `warning` (0..1) raises an slo alert */
  slo: { warning: number; critical: number; minStarts: number };
  /** spike: count ≥ factor × (mean of the trailing hours) and ≥ minCount, with a baseline of ≥ 1 entry */
  spike: { factor: number; minCount: number; baselineHours: number };
}

export const DEFAULT_EVALUATE: EvaluateOptions = {
  slo: { warning: 0.95, critical: 0.8, minStarts: 3 },
  spike: { factor: 5, minCount: 10, baselineHours: 24 },
};

function base(key: string, kind: 'slo' | 'spike', hour: string, raisedAt: string): Alert {
  return {
    schema: 'faultline-alert/v1', alert_key: key, kind, summary: '', service: null, project: null, signature_id: null, category: null, params: {},
    first_seen: hour, raised_at: raisedAt, count: 0, revision: null, event_id: null, example: null, issue: null,
    regression: null, escalation: null, measure: null, digest: null, logs_url: null,
  };
}

type Level = 'ok' | 'warning' | 'critical';
const RANK: Record<Level, number> = { ok: 0, warning: 1, critical: 2 };

function sloAlert(r: HourlyOutcome, level: 'warning' | 'critical', o: EvaluateOptions['slo'], raisedAt: string): Alert {
  const starts = r.successes + r.failures;
  const rate = r.successes / starts;
  const threshold = level === 'critical' ? o.critical : o.warning;
  const a = base(sloKey(r.service, r.hour), 'slo', r.hour, raisedAt);
  a.service = r.service;
  a.count = starts;
  a.measure = { value: rate, threshold, baseline: null };
  a.summary = `SLO ${level} on ${r.service}: ${r.successes}/${starts} starts succeeded (${Math.round(rate * 100)}% < ${Math.round(threshold * 100)}%) in the hour from ${r.hour}`;
  return a;
}

/**
 * SLO alerts per service: one when the hourly success rate falls under a threshold, and one
 * more if it then falls under the critical one; not one per bad hour of the same outage (a
 * 19-hour outage was 19 alerts). An hour at or above the warning threshold ends the outage;
 * hours with fewer than `minStarts` starts neither raise nor end one. The hour at
 * `windowStartIso` (the first hour a scheduled evaluation reads) only sets the state: the hour
 * before it is unknown, so an outage older than the window is not announced again.
 */
export function sloAlerts(rows: readonly HourlyOutcome[], o: EvaluateOptions['slo'], raisedAt: string, windowStartIso?: string): Alert[] {
  const byService = new Map<string, HourlyOutcome[]>();
  for (const r of rows) byService.set(r.service, [...(byService.get(r.service) ?? []), r]);
  const windowStart = windowStartIso === undefined ? Number.NaN : Date.parse(windowStartIso);
  const out: Alert[] = [];
  for (const series of byService.values()) {
    let state: Level = 'ok';
    for (const r of [...series].sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour))) {
      const starts = r.successes + r.failures;
      if (starts < o.minStarts) continue;
      const rate = r.successes / starts;
      const level: Level = rate < o.critical ? 'critical' : rate < o.warning ? 'warning' : 'ok';
      if (level !== 'ok' && RANK[level] > RANK[state] && Date.parse(r.hour) !== windowStart) out.push(sloAlert(r, level, o, raisedAt));
      state = level === 'ok' ? 'ok' : RANK[level] > RANK[state] ? level : state;
    }
  }
  return out;
}

const HOUR_MS = 3_600_000;

/** Hours where a signature's count is far above its trailing baseline (zeros included). */
export function spikeAlerts(rows: readonly HourlyCount[], o: EvaluateOptions['spike'], raisedAt: string): Alert[] {
  const bySig = new Map<string, HourlyCount[]>();
  for (const r of rows) bySig.set(`${r.service}|${r.signature_id}`, [...(bySig.get(`${r.service}|${r.signature_id}`) ?? []), r]);
  const out: Alert[] = [];
  for (const series of bySig.values()) {
    const at = new Map(series.map((r) => [Date.parse(r.hour), r.count]));
    for (const r of series) {
      const t = Date.parse(r.hour);
      let sum = 0;
      for (let h = 1; h <= o.baselineHours; h += 1) sum += at.get(t - h * HOUR_MS) ?? 0;
      const baseline = sum / o.baselineHours;
      if (sum === 0 || r.count < o.minCount || r.count < o.factor * baseline) continue;
      const a = base(spikeKey(r.service, r.signature_id, r.hour), 'spike', r.hour, raisedAt);
      Object.assign(a, { service: r.service, signature_id: r.signature_id, category: r.category, count: r.count });
      a.measure = { value: r.count, threshold: o.factor * baseline, baseline };
      a.summary = `Spike on ${r.service ?? '?'}: ${r.category} ${r.count} entries in the hour from ${r.hour} (trailing mean ${baseline.toFixed(2)}/h)`;
      out.push(a);
    }
  }
  return out;
}
