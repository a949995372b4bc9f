import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../functions/core/alerts/schema.js';
import type { SignatureStore } from '../../functions/ports/signature-store.js';

/**
 * What every SignatureStore adapter must do (DuckDB locally, BigQuery in production): of any
 * number of claims of one key, concurrent or repeated, exactly one answers true, and what
 * was claimed reads back as it was written. A 'sent' claim is undelivered (the outbox) until
 * marked delivered.
 */
export interface OpenedStore {
  store: SignatureStore;
  close(): Promise<void>;
}

export function alert(key: string, over: Partial<Alert> = {}): Alert {
  return {
    schema: 'faultline-alert/v1', alert_key: key, kind: 'new_signature', summary: `about ${key}`, service: 'svc', project: 'p',
    signature_id: 'aaaaaaaaaaaaaaaa', category: 'db_init_timeout', params: { timeout_s: 20 }, first_seen: '2026-03-02T10:00:00.000Z',
    raised_at: '2026-03-02T10:00:05.000Z', count: 1, revision: 'r1', event_id: 'e1', example: 'timeout after 20.0s', issue: null,
    regression: null, escalation: null, measure: null, digest: null, logs_url: null, ...over,
  };
}

export function describeSignatureStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`SignatureStore contract: ${name}`, () => {
    let opened: OpenedStore;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened.close();
    });

    it('claims a key once: a redelivery of the same alert (later raised_at) answers false', async () => {
      const { store } = opened;
      expect(await store.claim(alert('k1'), 'sent')).toBe(true);
      expect(await store.claim(alert('k1', { raised_at: '2026-03-02T10:01:00.000Z' }), 'sent')).toBe(false);
      expect(await store.claim(alert('k1', { raised_at: '2026-03-02T10:02:00.000Z' }), 'digested')).toBe(false);
      expect(await store.claim(alert('k2'), 'digested')).toBe(true);
    });

    it('of concurrent claims of one key, exactly one wins', async () => {
      const { store } = opened;
      const claims = Array.from({ length: 12 }, (_, i) => store.claim(alert('race', { raised_at: new Date(Date.UTC(2026, 2, 2, 10, 0, i)).toISOString() }), 'sent'));
      const won = (await Promise.all(claims)).filter(Boolean);
      expect(won).toHaveLength(1);
      expect((await store.list()).map((r) => r.alert.alert_key)).toEqual(['race']);
    });

    it('reads back the alerts of one service and signature, a null service included', async () => {
      const { store } = opened;
      const a = alert('a', { service: 'svc', signature_id: 's1', escalation: { param: 'timeout_s', from: 8, to: 20 } });
      const b = alert('b', { service: null, signature_id: 's1' });
      await store.claim(a, 'sent');
      await store.claim(b, 'sent');
      await store.claim(alert('c', { service: 'svc', signature_id: 's2' }), 'sent');
      expect(await store.history('svc', 's1')).toEqual([a]);
      expect(await store.history(null, 's1')).toEqual([b]);
      expect(await store.history('other', 's1')).toEqual([]);
    });

    it('lists claimed alerts oldest first, with their delivery, optionally from a time on', async () => {
      const { store } = opened;
      const late = alert('late', { first_seen: '2026-03-03T00:00:00.000Z' });
      const early = alert('early', { first_seen: '2026-03-01T00:00:00.000Z' });
      await store.claim(late, 'digested');
      await store.claim(early, 'sent');
      expect(await store.list()).toEqual([{ alert: early, delivery: 'sent' }, { alert: late, delivery: 'digested' }]);
      expect(await store.list('2026-03-02T00:00:00Z')).toEqual([{ alert: late, delivery: 'digested' }]);
    });

    it('lists sent claims not yet delivered, claimed before the cutoff, oldest claim first', async () => {
      const { store } = opened;
      const a = alert('a', { raised_at: '2026-03-02T10:00:05.000Z' });
      const c = alert('c', { raised_at: '2026-03-02T10:00:01.000Z', first_seen: '2026-03-02T11:00:00.000Z' });
      await store.claim(a, 'sent');
      await store.claim(c, 'sent');
      await store.claim(alert('digested', { raised_at: '2026-03-02T10:00:00.000Z' }), 'digested');
      await store.claim(alert('at-cutoff', { raised_at: '2026-03-02T10:05:00.000Z' }), 'sent');
      await store.claim(alert('recent', { raised_at: '2026-03-02T10:09:00.000Z' }), 'sent');
      expect(await store.undelivered('2026-03-02T10:05:00.000Z')).toEqual([c, a]);
      expect((await store.undelivered('2026-03-02T10:10:00Z')).map((x) => x.alert_key)).toEqual(['c', 'a', 'at-cutoff', 'recent']);
      // a lower bound gives up older claims (inclusive)
      expect((await store.undelivered('2026-03-02T10:10:00Z', '2026-03-02T10:00:05.000Z')).map((x) => x.alert_key)).toEqual(['a', 'at-cutoff', 'recent']);
    });

    it('marks a claim delivered once: it is no longer undelivered, a second mark changes nothing', async () => {
      const { store } = opened;
      await store.claim(alert('a'), 'sent');
      await store.claim(alert('b'), 'sent');
      await store.markDelivered('a', '2026-03-02T10:00:06.000Z');
      await store.markDelivered('a', '2026-03-02T10:30:00.000Z');
      await store.markDelivered('never-claimed', '2026-03-02T10:30:00.000Z');
      expect((await store.undelivered('2026-03-03T00:00:00Z')).map((x) => x.alert_key)).toEqual(['b']);
      expect(await store.claim(alert('a', { raised_at: '2026-03-02T10:40:00.000Z' }), 'sent')).toBe(false);
      expect((await store.list()).map((r) => r.alert.alert_key).sort()).toEqual(['a', 'b']);
    });
  });
}
