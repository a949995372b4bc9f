import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigQueryIssueRegistry } from '../../functions/adapters/bigquery/issue-registry.js';
import { IssueRefresher, openAlerts, type IssueTarget } from '../../functions/app/compose-alerts.js';
import { parseConfig } from '../../functions/config.js';
import type { Issue } from '../../functions/core/issues/schema.js';
import type { IssueRegistry } from '../../functions/ports/issue-registry.js';
import type { Telemetry } from '../../functions/ports/telemetry.js';
import { FakeBigQueryJobs } from '../adapters/bigquery/fake-bigquery-jobs.js';
import { issue } from '../contracts/issue-registry.contract.js';

class FakeClock {
  ms = Date.parse('2026-03-02T10:00:00.000Z');
  nowIso = () => new Date(this.ms).toISOString();
}

/** A registry whose list answers what `issues` holds, or throws while `down`. */
function fakeRegistry() {
  const state = { issues: [] as Issue[], down: false, reads: 0 };
  const registry: Pick<IssueRegistry, 'list'> = {
    list: async () => {
      state.reads += 1;
      if (state.down) throw new Error('BigQuery unavailable');
      return state.issues.map((i) => ({ repository: 'o/r', issue: i }));
    },
  };
  return { state, registry };
}

function recorder() {
  const events: { severity: string; event: string; fields: Record<string, unknown> }[] = [];
  const telemetry: Telemetry = { emit: (severity, event, fields = {}) => void events.push({ severity, event, fields }) };
  return { events, telemetry };
}

describe('IssueRefresher', () => {
  it('reads at cold start, then again only once the TTL has passed', async () => {
    const clock = new FakeClock();
    const { state, registry } = fakeRegistry();
    const seen: (readonly Issue[])[] = [];
    const target: IssueTarget = { setIssues: (i) => void seen.push(i) };
    const r = new IssueRefresher(registry, target, clock, recorder().telemetry, 300_000);
    state.issues = [issue(1)];
    await r.fresh();
    expect(seen).toEqual([[issue(1)]]);
    // closed after cold start
    state.issues = [issue(1, { state: 'closed', closed_at: '2026-03-02T10:01:00.000Z' })];
    clock.ms += 299_999;
    await r.fresh();
    expect(state.reads).toBe(1);
    clock.ms += 1;
    await r.fresh();
    expect(state.reads).toBe(2);
    expect(r.issues[0]?.state).toBe('closed');
    expect(seen).toHaveLength(2);
  });

  it('concurrent callers share one read', async () => {
    const { state, registry } = fakeRegistry();
    const r = new IssueRefresher(registry, { setIssues: () => undefined }, new FakeClock(), recorder().telemetry, 1000);
    await Promise.all([r.fresh(), r.fresh(), r.fresh()]);
    expect(state.reads).toBe(1);
  });

  it('a failed read is reported, keeps the previous list, never rejects, and is retried sooner than the TTL', async () => {
    const clock = new FakeClock();
    const { state, registry } = fakeRegistry();
    const { events, telemetry } = recorder();
    const seen: (readonly Issue[])[] = [];
    const r = new IssueRefresher(registry, { setIssues: (i) => void seen.push(i) }, clock, telemetry, 300_000);
    state.issues = [issue(1)];
    await r.fresh();
    state.down = true;
    clock.ms += 300_000;
    await expect(r.fresh()).resolves.toBeUndefined();
    expect(r.issues).toEqual([issue(1)]);
    expect(seen).toHaveLength(1);
    expect(events.at(-1)).toEqual({ severity: 'WARNING', event: 'IssuesRefreshFailed', fields: { error: 'BigQuery unavailable', kept: 1 } });
    state.down = false;
    state.issues = [issue(1), issue(2)];
    clock.ms += 30_000;
    await r.fresh();
    expect(r.issues).toHaveLength(2);
  });
});

describe('openAlerts reads the issues of the BigQuery registry (fake jobs server)', () => {
  const fake = new FakeBigQueryJobs();
  let url = '';
  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(() => fake.stop());

  it('loads the issues table at cold start', async () => {
    await new BigQueryIssueRegistry({ projectId: 'test-project', dataset: 'D', apiEndpoint: url }).upsert('o/r', [issue(1), issue(2, { state: 'closed', closed_at: '2026-03-01T12:00:00.000Z' })]);
    const config = parseConfig({ FAULTLINE_PROJECT: 'test-project', FAULTLINE_DATASET: 'D', BIGQUERY_EMULATOR_HOST: url });
    const { events, telemetry } = recorder();
    const opened = openAlerts(config, telemetry, new FakeClock());
    await opened.refreshIssues();
    await opened.close();
    expect(events.find((e) => e.event === 'IssuesLoaded')?.fields).toEqual({ issues: 2, closed: 1 });
  });
});

describe('FAULTLINE_ISSUES_REFRESH_S', () => {
  const base = { FAULTLINE_SINK: 'duckdb' };
  it('defaults to 300 seconds and takes 1 to 86400', () => {
    expect(parseConfig(base).alerts.issuesRefreshS).toBe(300);
    expect(parseConfig({ ...base, FAULTLINE_ISSUES_REFRESH_S: '60' }).alerts.issuesRefreshS).toBe(60);
    expect(() => parseConfig({ ...base, FAULTLINE_ISSUES_REFRESH_S: '0' })).toThrow(/FAULTLINE_ISSUES_REFRESH_S/);
    expect(() => parseConfig({ ...base, FAULTLINE_ISSUES_REFRESH_S: 'soon' })).toThrow(/FAULTLINE_ISSUES_REFRESH_S/);
  });
});
