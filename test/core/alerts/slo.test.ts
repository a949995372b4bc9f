import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATE, sloAlerts, type HourlyOutcome } from '../../../functions/core/alerts/evaluate.js';

const NOW = '2026-03-03T00:00:00.000Z';
const hour = (h: number) => new Date(Date.UTC(2026, 2, 2, h)).toISOString().replace('.000Z', 'Z');
/** one row per hour from 00:00, [successes, failures] */
const series = (service: string, counts: [number, number][]): HourlyOutcome[] =>
  counts.map(([successes, failures], h) => ({ hour: hour(h), service, successes, failures }));
const keys = (rows: HourlyOutcome[], windowStart?: string) => sloAlerts(rows, DEFAULT_EVALUATE.slo, NOW, windowStart).map((a) => a.alert_key);

describe('slo alerts: one per outage and level, not one per bad hour', () => {
  it('raises once when an outage starts and once more when it turns critical', () => {
    // ok, warning (90%), warning, critical (50%), critical, ok
    const rows = series('api', [[10, 0], [9, 1], [9, 1], [5, 5], [4, 6], [10, 0]]);
    expect(keys(rows)).toEqual([`slo|api|${hour(1)}`, `slo|api|${hour(3)}`]);
    const [warning, critical] = sloAlerts(rows, DEFAULT_EVALUATE.slo, NOW);
    expect(warning?.summary).toContain('SLO warning on api: 9/10');
    expect(critical?.measure).toEqual({ value: 0.5, threshold: 0.8, baseline: null });
  });

  it('a good hour ends the outage: the next bad hour is a new one', () => {
    expect(keys(series('api', [[2, 8], [2, 8], [10, 0], [2, 8]]))).toEqual([`slo|api|${hour(0)}`, `slo|api|${hour(3)}`]);
  });

  it('hours with too few starts neither raise nor end an outage', () => {
    // critical, 1 start (success), critical again: still the same outage
    expect(keys(series('api', [[2, 8], [1, 0], [2, 8], [0, 2]]))).toEqual([`slo|api|${hour(0)}`]);
  });

  it('keeps services apart', () => {
    expect(keys([...series('api', [[2, 8]]), ...series('web', [[10, 0], [2, 8]])]).sort()).toEqual([`slo|api|${hour(0)}`, `slo|web|${hour(1)}`]);
  });

  it('the first hour of a scheduled window only sets the state: an older outage is not announced again', () => {
    const rows = series('api', [[2, 8], [2, 8], [2, 8]]);
    expect(keys(rows, hour(0))).toEqual([]);
    // but a worsening inside the window is news
    expect(keys(series('api', [[9, 1], [2, 8]]), hour(0))).toEqual([`slo|api|${hour(1)}`]);
  });
});
