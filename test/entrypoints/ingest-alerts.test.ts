import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeIngest } from '../../functions/app/compose.js';
import { parseConfig } from '../../functions/config.js';
import { decodeCloudEvent } from '../../functions/core/decode/index.js';
import type { Telemetry } from '../../functions/ports/telemetry.js';
import { FakeBigQuery } from '../adapters/bigquery/fake-bigquery.js';
import { FakeBigQueryJobs } from '../adapters/bigquery/fake-bigquery-jobs.js';
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
});
