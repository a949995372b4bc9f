import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeIngest } from '../../functions/app/compose.js';
import { parseConfig } from '../../functions/config.js';
import { decodeCloudEvent } from '../../functions/core/decode/index.js';
import type { Telemetry } from '../../functions/ports/telemetry.js';
import { FakeBigQuery } from '../adapters/bigquery/fake-bigquery.js';
import { FakeBigQueryJobs } from '../adapters/bigquery/fake-bigquery-jobs.js';
import { BigQueryIssueRegistry } from '../../functions/adapters/bigquery/issue-registry.js';
import { Issue } from '../../functions/core/issues/schema.js';
import { runEntry } from '../helpers/entries.js';
import { entryMessage, SUBSCRIPTION } from './deliveries.js';

/** One endpoint for the client: insertAll to the sink's fake, query jobs to the jobs fake. */
function router(inserts: string, jobs: string): Server {
  return createServer((req, res) => {
    const target = (req.url ?? '').includes('/insertAll') ? inserts : jobs;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const init: RequestInit = { method: req.method ?? 'GET', headers: { 'content-type': 'application/json' } };
      if (chunks.length > 0) init.body = Buffer.concat(chunks);
      void fetch(target + (req.url ?? ''), init).then(async (r) => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(await r.text());
      });
    });
  });
}

describe('alerts in the production ingestion path (composeIngest, BigQuery sink)', () => {
  const sink = new FakeBigQuery('test-project', 'D');
  const jobs = new FakeBigQueryJobs();
  let server: Server;
  let endpoint = '';

  beforeAll(async () => {
    server = router(await sink.start(), await jobs.start());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sink.stop();
    await jobs.stop();
  });

  it('claims a new signature through a MERGE once the row is written, and alerts once across two instances and a redelivery', async () => {
    const events: string[] = [];
    const telemetry: Telemetry = { emit: (_s, e) => void events.push(e) };
    const config = parseConfig({ BIGQUERY_EMULATOR_HOST: endpoint, FAULTLINE_PROJECT: 'test-project', FAULTLINE_DATASET: 'D', FAULTLINE_ALERTS: 'true', FAULTLINE_BATCH_MAX_DELAY_MS: '0' });
    const apps = [await composeIngest(config, { telemetry }), await composeIngest(config, { telemetry })];
    const event = { specversion: '1.0', id: '1', source: 's', type: 'google.cloud.pubsub.topic.v1.messagePublished', data: { message: entryMessage(runEntry('Container called exit(3).')), subscription: SUBSCRIPTION } };
    const outcomes = await Promise.all([...apps, apps[0]!].map((a) => a.service.ingest(decodeCloudEvent(event), 'pubsub')));
    await Promise.all(apps.map((a) => a.close()));
    expect(outcomes.map((o) => o.kind)).toEqual(['stored', 'stored', 'stored']);
    const claimed = [...jobs.keys.keys()];
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatch(/^new_signature\|/);
    expect(jobs.merges().length).toBeGreaterThanOrEqual(2);
    expect(sink.calls.length).toBeGreaterThan(0);
  });
  it('raises a regression for a signature of an issue closed in the BigQuery registry (read at cold start)', async () => {
    const registry = new BigQueryIssueRegistry({ projectId: 'test-project', dataset: 'D', apiEndpoint: endpoint });
    const closed = Issue.parse({
      number: 1263, title: 'Monitoring module missing', state: 'closed', created_at: '2026-02-01T00:00:00Z', closed_at: '2026-02-20T00:00:00Z',
      url: 'https://github.com/acme/api/issues/1263', match: [{ category: 'import_error', service: 'api' }],
    });
    await registry.upsert('acme/api', [closed]);
    const config = parseConfig({ BIGQUERY_EMULATOR_HOST: endpoint, FAULTLINE_PROJECT: 'test-project', FAULTLINE_DATASET: 'D', FAULTLINE_ALERTS: 'true', FAULTLINE_BATCH_MAX_DELAY_MS: '0' });
    const app = await composeIngest(config, { telemetry: { emit: () => undefined } });
    const event = { specversion: '1.0', id: '2', source: 's', type: 'google.cloud.pubsub.topic.v1.messagePublished', data: { message: entryMessage(runEntry("ModuleNotFoundError: No module named 'app.monitoring'", { insertId: 'after-close' })), subscription: SUBSCRIPTION } };
    expect((await app.service.ingest(decodeCloudEvent(event), 'pubsub')).kind).toBe('stored');
    await app.close();
    const regressions = [...jobs.keys.keys()].filter((k) => k.startsWith('regression|'));
    expect(regressions).toHaveLength(1);
    expect(regressions[0]).toContain('1263');
  });
});
