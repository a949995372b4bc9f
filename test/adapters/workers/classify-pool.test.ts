import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../functions/core/decode/index.js';
import type * as PoolModule from '../../../functions/adapters/workers/classify-pool.js';
import { runEntry, shippedEngine } from '../../helpers/entries.js';

// Worker threads run compiled JavaScript: the pool is loaded from the build (`npm test` builds first).
const { ClassifyPool } = (await import(new URL('../../../dist/functions/adapters/workers/classify-pool.js', import.meta.url).href)) as typeof PoolModule;

const engine = shippedEngine();
const texts = [
  JSON.stringify(runEntry('Phase 3 database initialization timeout after 20.0s')),
  '{"cut": ',
  JSON.stringify(runEntry("ModuleNotFoundError: No module named 'app.monitoring'")),
];

describe('ClassifyPool (real worker threads)', () => {
  it('answers each batch in order with what the main thread\'s engine answers', async () => {
    const pool = await ClassifyPool.open(2, engine.classifierVersion);
    try {
      const batches = await Promise.all([pool.classify(texts, 'auto'), pool.classify([...texts].reverse(), 'auto')]);
      const inThread = (list: string[]) => list.map((t) => {
        const d = decodeRecord(t, 'auto');
        return d.kind === 'rejected' ? d : engine.classifyDecoded(d);
      });
      expect(batches[0]).toEqual(inThread(texts));
      expect(batches[1]).toEqual(inThread([...texts].reverse()));
    } finally {
      await pool.close();
    }
  });

  it('refuses to start when the workers would classify with other rules', async () => {
    await expect(ClassifyPool.open(1, 'faultline-0.0.0+rules-v0.other')).rejects.toThrow(/runs faultline-.*this process faultline-0\.0\.0\+rules-v0\.other/);
  });
});
