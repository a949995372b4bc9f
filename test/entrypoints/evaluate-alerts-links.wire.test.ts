import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigQueryIssueRegistry } from '../../functions/adapters/bigquery/issue-registry.js';
import { issue } from '../contracts/issue-registry.contract.js';
import { FakeBigQueryJobs } from '../adapters/bigquery/fake-bigquery-jobs.js';
import { failureEvent, hoursAgo } from '../helpers/failure-events.js';
import { schedulerTick } from './deliveries.js';
import { serveIngestFunction, type ServedFunction } from './function-server.js';

/**
 * Wire level: the served evaluateAlerts function and the real @google-cloud/bigquery client
 * against the local fake jobs server, which runs the saved SQL (issue_link_facts,
 * issue_link_symptoms) and the registry's statements on DuckDB tables of the schema. It shows
 * what a tick sends and stores; not BigQuery's own behaviour (partition pruning, quotas,
 * concurrent transactions).
 */
const CAUSE = '55789aac08a81b51';
const EXIT = '8486a432a4b6380e';
const OTHER = 'dddddddddddddddd';
const DML = /^\s*(BEGIN|MERGE|INSERT|UPDATE|DELETE)\b/i;
const fields = (spec: string) => spec.split(' ').map((f) => ({ name: f.split(':')[0] as string, type: f.split(':')[1] as string }));

describe('evaluateAlerts ticks keep issue_links (served function, real client, fake jobs server on DuckDB)', () => {
  const bq = new FakeBigQueryJobs();
  let fn: ServedFunction;

  beforeAll(async () => {
    const url = await bq.start();
    await bq.sql.insert('failure_events', [
      failureEvent({ event_id: 'e1', signature_id: CAUSE, category: 'import_error', rule_id: 'python.module_not_found', params: { module: 'app.monitoring' }, event_timestamp: hoursAgo(2) }),
      failureEvent({ event_id: 'e2', signature_id: EXIT, category: 'exit_code', params: { exit_code: 3 }, event_timestamp: hoursAgo(2) }),
      // another instance: its exit code belongs to a cause no issue names
      failureEvent({ event_id: 'e3', signature_id: OTHER, category: 'db_init_timeout', instance_id: 'instance-2', event_timestamp: hoursAgo(3) }),
      failureEvent({ event_id: 'e4', signature_id: EXIT, category: 'exit_code', instance_id: 'instance-2', params: { exit_code: 3 }, event_timestamp: hoursAgo(3) }),
    ]);
    const registry = new BigQueryIssueRegistry({ projectId: 'test-project', dataset: 'D', apiEndpoint: url });
    await registry.upsert('acme-shop/orders-api', [
      issue(1240, { signatures: [], body: '', comments: [], match: [{ category: 'import_error', service: 'orders-api', params: { module: 'app.monitoring' } }] }),
    ]);
    // this file is about links: the alert questions answer nothing
    bq.results.alert_signature_hourly = { fields: fields('hour:TIMESTAMP service:STRING signature_id:STRING category:STRING count:INTEGER'), rows: [] };
    bq.results.alert_startup_hourly = { fields: fields('hour:TIMESTAMP service:STRING successes:INTEGER failures:INTEGER'), rows: [] };
    fn = await serveIngestFunction({ BIGQUERY_EMULATOR_HOST: url, FAULTLINE_PROJECT: 'test-project', FAULTLINE_DATASET: 'D' }, 'evaluateAlerts');
  });

  afterAll(async () => {
    await fn?.close();
    await bq.stop();
  });

  const tick = () => schedulerTick(fn.url);

  const links = async () => (await bq.sql.rows('issue_links')).map((r) => [r.number, r.signature_id, r.service, r.source, r.linked_at]);
  const refreshed = () => fn.telemetry.filter((t) => t.event === 'IssueLinksRefreshed').map((t) => ({ links: t.links, written: t.written }));

  it('stores the predicate link and the symptom link of the same instance, from the saved SQL bounded by @since', async () => {
    expect(await tick()).toBe(204);
    expect((await links()).map((l) => l.slice(0, 4))).toEqual(
      expect.arrayContaining([[1240, CAUSE, 'orders-api', 'predicate'], [1240, EXIT, 'orders-api', 'symptom']]),
    );
    expect(await links()).toHaveLength(2);
    const reads = bq.calls.filter((c) => c.labels.query === 'issue_link_facts' || c.labels.query === 'issue_link_symptoms');
    expect(reads.map((c) => c.labels.query).sort()).toEqual(['issue_link_facts', 'issue_link_symptoms']);
    for (const c of reads) {
      expect(c.types).toEqual({ since: 'TIMESTAMP' });
      expect(c.query).toMatch(/FROM `test-project\.D`\.failure_events\s+WHERE event_timestamp >= @since/);
      // the alert lookback (27 h by default) before the tick
      expect(Date.now() - Date.parse(String(c.params.since))).toBeGreaterThan(26.9 * 3_600_000);
    }
    expect(refreshed()).toEqual([{ links: 2, written: true }]);
  });

  it('a second tick with nothing new sends no DML and keeps the links as they were', async () => {
    const before = await links();
    const sent = bq.calls.length;
    expect(await tick()).toBe(204);
    expect(bq.calls.slice(sent).filter((c) => DML.test(c.query)).map((c) => c.labels.query)).toEqual([]);
    expect(await links()).toEqual(before);
    expect(refreshed().at(-1)).toEqual({ links: 2, written: false });
  });

  it('reads only the lookback: an older entry adds nothing, and the links already stored stay', async () => {
    await bq.sql.insert('failure_events', [
      failureEvent({ event_id: 'old', signature_id: 'eeeeeeeeeeeeeeee', category: 'restart_backoff', event_timestamp: hoursAgo(72) }),
    ]);
    expect(await tick()).toBe(204);
    expect(await links()).toHaveLength(2);
    expect(refreshed().at(-1)).toEqual({ links: 2, written: false });
  });

  it('adds the link of a new entry in the window to those stored', async () => {
    await bq.sql.insert('failure_events', [
      failureEvent({ event_id: 'new', signature_id: 'ffffffffffffffff', category: 'restart_backoff', event_timestamp: hoursAgo(1) }),
    ]);
    expect(await tick()).toBe(204);
    expect((await links()).map((l) => l[1]).sort()).toEqual([CAUSE, EXIT, 'ffffffffffffffff'].sort());
    expect(refreshed().at(-1)).toEqual({ links: 3, written: true });
  });

  it('a relink that fails is reported and the tick still evaluates its alerts and answers 204', async () => {
    // a result whose columns are not the header's: the saved-query use case refuses it
    bq.results.issue_link_facts = { fields: [{ name: 'unexpected', type: 'STRING' }], rows: [] };
    const evaluated = fn.telemetry.filter((t) => t.event === 'AlertsEvaluated').length;
    expect(await tick()).toBe(204);
    expect(fn.telemetry.filter((t) => t.event === 'AlertsEvaluated')).toHaveLength(evaluated + 1);
    const failed = fn.telemetry.filter((t) => t.event === 'IssueLinksFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.severity).toBe('ERROR');
    expect(JSON.stringify(failed[0]?.error)).toMatch(/issue_link_facts/);
    expect(await links()).toHaveLength(3);
    delete bq.results.issue_link_facts;
  });
});
