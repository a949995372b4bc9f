import type { Alert } from '../core/alerts/schema.js';

/**
 * First-seen, decided atomically: `claim` inserts the alert's key if it is absent and says
 * whether this caller inserted it. Concurrent callers and redeliveries of one entry race on
 * the same key; exactly one wins, so exactly one alerts.
 *
 * The claim row is also the alert's outbox: a 'sent' claim stays undelivered until
 * `markDelivered` records that every channel took it, so an alert whose channel failed (or
 * whose process died between claim and publish) is found again by `undelivered` and re-sent.
 * 'digested' claims are never undelivered: the digest alert carries them.
 */
export interface SignatureStore {
  claim(alert: Alert, delivery: 'sent' | 'digested'): Promise<boolean>;
  /** the alerts already claimed for one signature of one service (escalation compares to them) */
  history(service: string | null, signatureId: string): Promise<Alert[]>;
  /** claimed alerts, oldest first, optionally from a time on */
  list(since?: string): Promise<{ alert: Alert; delivery: string }[]>;
  /** records the delivery time of a claimed key; a key already marked keeps its first time */
  markDelivered(alertKey: string, atIso: string): Promise<void>;
  /**
   * 'sent' claims not marked delivered, claimed before `olderThanIso` and (when given) at or
   * after `claimedFromIso`, oldest claim first
   */
  undelivered(olderThanIso: string, claimedFromIso?: string): Promise<Alert[]>;
}
