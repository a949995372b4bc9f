import type { Alert } from '../core/alerts/schema.js';

/**
 * First-seen, decided atomically: `claim` inserts the alert's key if it is absent and says
 * whether this caller inserted it. Concurrent callers and redeliveries of one entry race on
 * the same key; exactly one wins, so exactly one alerts.
 */
export interface SignatureStore {
  claim(alert: Alert, delivery: 'sent' | 'digested'): Promise<boolean>;
  /** the alerts already claimed for one signature of one service (escalation compares to them) */
  history(service: string | null, signatureId: string): Promise<Alert[]>;
  /** claimed alerts, oldest first, optionally from a time on */
  list(since?: string): Promise<{ alert: Alert; delivery: string }[]>;
}
