import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeIngest } from '../../functions/app/compose.js';
import { parseConfig } from '../../functions/config.js';
import { decodeCloudEvent } from '../../functions/core/decode/index.js';
import type { Telemetry } from '../../functions/ports/telemetry.js';
import { runEntry } from '../helpers/entries.js';
import { entryMessage, SUBSCRIPTION } from './deliveries.js';

type App = Awaited<ReturnType<typeof composeIngest>>;

/** Composes the function on a DuckDB file in a temp folder with `env`, runs `work`, cleans up; the telemetry events are recorded. */
async function withDuckDbApp(env: Record<string, string>, work: (app: App, events: string[], dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-compose-'));
  const events: string[] = [];
  const telemetry: Telemetry = { emit: (_s, e) => void events.push(e) };
  try {
    const app = await composeIngest(parseConfig({ FAULTLINE_SINK: 'duckdb', FAULTLINE_DUCKDB_PATH: join(dir, 'f.duckdb'), ...env }), { telemetry });
    await work(app, events, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One sink message as Eventarc delivers it. */
function delivery(text: string) {
  const event = { specversion: '1.0', id: '1', source: 's', type: 'google.cloud.pubsub.topic.v1.messagePublished', data: { message: entryMessage(runEntry(text)), subscription: SUBSCRIPTION } };
  return decodeCloudEvent(event);
}

describe('composition root', () => {
  it('builds the DuckDB sink on demand when FAULTLINE_SINK=duckdb, and ingests through it', async () => {
    await withDuckDbApp({ FAULTLINE_BATCH_MAX_DELAY_MS: '0' }, async (app, events, dir) => {
      const outcome = await app.service.ingest(delivery('Container called exit(3).'), 'pubsub');
      await app.close();
      expect(outcome.kind).toBe('stored');
      expect(statSync(join(dir, 'f.duckdb')).size).toBeGreaterThan(0);
      expect(events).toContain('IngestReady');
      // the write's summary line goes out when the app closes, not a line per write
      expect(events).not.toContain('BatchFlushed');
      expect(events.filter((e) => e === 'BatchesFlushed')).toHaveLength(1);
    });
  });

  it('logs every batch write on its own with FAULTLINE_FLUSH_REPORT_S=0, and refuses a negative interval', async () => {
    await withDuckDbApp({ FAULTLINE_FLUSH_REPORT_S: '0' }, async (app, events) => {
      await app.service.ingest(delivery('Container called exit(3).'), 'pubsub');
      expect(events).toContain('BatchFlushed');
      await app.close();
      expect(events).not.toContain('BatchesFlushed');
    });
    expect(() => parseConfig({ FAULTLINE_SINK: 'duckdb', FAULTLINE_FLUSH_REPORT_S: '-1' })).toThrow(/FAULTLINE_FLUSH_REPORT_S/);
  });
});
