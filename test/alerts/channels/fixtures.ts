import { Alert } from '../../../functions/core/alerts/schema.js';

/** A valid regression alert; overrides replace fields. */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return Alert.parse({
    schema: 'faultline-alert/v1',
    alert_key: 'regression|checkout|3f2a9c0d11e4b7a2|1263',
    kind: 'regression',
    summary: 'database init timeout came back in checkout after #1263 was closed',
    service: 'checkout',
    project: 'acme-prod',
    signature_id: '3f2a9c0d11e4b7a2',
    category: 'db_init_timeout',
    params: { timeout_s: 25, phase: 'init' },
    first_seen: '2026-03-02T10:15:00.000Z',
    raised_at: '2026-03-02T10:15:02.000Z',
    count: 1,
    revision: 'checkout-00042-abc',
    event_id: 'ev-1',
    example: 'TimeoutError: database init exceeded 25.0 s (DATABASE_URL=postgres://app:<redacted>@10.0.0.3/db)',
    issue: { number: 1278, title: 'DB init flaky after pool change', url: 'https://github.com/acme/shop/issues/1278', state: 'open', closed_at: null, link: 'explicit' },
    regression: {
      closed_issue: { number: 1263, title: 'DB init timeout', url: 'https://github.com/acme/shop/issues/1263', state: 'closed', closed_at: '2026-03-01T09:00:00.000Z', link: 'explicit' },
      closed_at: '2026-03-01T09:00:00.000Z',
    },
    escalation: null,
    measure: null,
    digest: null,
    logs_url: null,
    ...overrides,
  });
}
