import type { HourlyCount } from '../../core/alerts/evaluate.js';
import { Alert } from '../../core/alerts/schema.js';
import type { SignatureStore } from '../../ports/signature-store.js';
import type { Database } from './database.js';

const CLAIM_SQL = `
INSERT INTO alert_keys (alert_key, kind, service, signature_id, first_seen, claimed_at, delivery, alert)
VALUES ($key, $kind, $service, $sig, CAST($first AS TIMESTAMPTZ), CAST($claimed AS TIMESTAMPTZ), $delivery, CAST($alert AS JSON))
ON CONFLICT DO NOTHING
RETURNING alert_key`;

const parse = (text: unknown): Alert => Alert.parse(JSON.parse(String(text)));

/**
 * Local first-seen: `INSERT … ON CONFLICT DO NOTHING RETURNING` on the primary key of
 * alert_keys is atomic, so of any number of claims of one key exactly one returns a row.
 */
export class DuckDbSignatureStore implements SignatureStore {
  constructor(private readonly db: Database) {}

  async claim(alert: Alert, delivery: 'sent' | 'digested'): Promise<boolean> {
    const rows = await this.db.all(CLAIM_SQL, {
      key: alert.alert_key,
      kind: alert.kind,
      service: alert.service,
      sig: alert.signature_id,
      first: alert.first_seen,
      claimed: alert.raised_at,
      delivery,
      alert: JSON.stringify(alert),
    });
    return rows.length === 1;
  }

  async history(service: string | null, signatureId: string): Promise<Alert[]> {
    const rows = await this.db.all('SELECT CAST(alert AS VARCHAR) AS alert FROM alert_keys WHERE service IS NOT DISTINCT FROM $service AND signature_id = $sig', { service, sig: signatureId });
    return rows.map((r) => parse(r.alert));
  }

  async list(since?: string): Promise<{ alert: Alert; delivery: string }[]> {
    const rows = await this.db.all(
      `SELECT CAST(alert AS VARCHAR) AS alert, delivery FROM alert_keys
       WHERE $since IS NULL OR first_seen >= CAST($since AS TIMESTAMPTZ) ORDER BY first_seen, alert_key`,
      { since: since ?? null },
    );
    return rows.map((r) => ({ alert: parse(r.alert), delivery: String(r.delivery) }));
  }

  async markDelivered(alertKey: string, atIso: string): Promise<void> {
    await this.db.all('UPDATE alert_keys SET delivered_at = CAST($at AS TIMESTAMPTZ) WHERE alert_key = $key AND delivered_at IS NULL', { key: alertKey, at: atIso });
  }

  async undelivered(olderThanIso: string, claimedFromIso?: string): Promise<Alert[]> {
    const rows = await this.db.all(
      `SELECT CAST(alert AS VARCHAR) AS alert FROM alert_keys
       WHERE delivery = $sent AND delivered_at IS NULL AND claimed_at < CAST($before AS TIMESTAMPTZ)
         AND ($from IS NULL OR claimed_at >= CAST($from AS TIMESTAMPTZ)) ORDER BY claimed_at, alert_key`,
      { sent: 'sent', before: olderThanIso, from: claimedFromIso ?? null },
    );
    return rows.map((r) => parse(r.alert));
  }
}

/** Entries per signature, service and hour: the input of spike evaluation. */
export async function hourlySignatureCounts(db: Database): Promise<HourlyCount[]> {
  const rows = await db.all(`
    SELECT strftime(date_trunc('hour', event_timestamp), '%Y-%m-%dT%H:00:00Z') AS hour, service, signature_id, any_value(category) AS category,
           CAST(count(*) AS INTEGER) AS count
    FROM failure_events
    WHERE signature_id IS NOT NULL AND category NOT IN ('startup_progress', 'startup_success')
      AND (category <> 'not_startup_related' OR looks_like_failure)
    GROUP BY ALL ORDER BY hour`);
  return rows as unknown as HourlyCount[];
}
