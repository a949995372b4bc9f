/**
 * What test/fixtures/sql/incident.ndjson is about, written down from its story (see
 * generate.mjs there) rather than read back from the views: the start attempts and how
 * each one ended. The golden files pin every column; this pins the meaning.
 */
export interface StoryAttempt {
  /** instance name in generate.mjs (a1, b2, ...), or a session start for the Cloud Function */
  id: string;
  service: string;
  revision: string | null;
  outcome: 'success' | 'failure' | 'unknown';
  rootCause: string | null;
}

const orders = (id: string, revision: string, outcome: StoryAttempt['outcome'], rootCause: string | null = null): StoryAttempt => ({
  id,
  service: 'orders-api',
  revision: `orders-api-${revision}`,
  outcome,
  rootCause,
});

export const STORY_ATTEMPTS: StoryAttempt[] = [
  orders('a1', '00040-kex', 'success'),
  orders('a2', '00040-kex', 'success'),
  orders('b1', '00041-xab', 'failure', 'import_error'),
  orders('b2', '00041-xab', 'failure', 'import_error'),
  orders('b3', '00041-xab', 'failure', 'import_error'),
  orders('c1', '00042-mop', 'success'),
  orders('c2', '00042-mop', 'failure', 'db_init_timeout'),
  orders('c3', '00042-mop', 'failure', 'db_init_timeout'),
  orders('c4', '00042-mop', 'success'),
  orders('d1', '00043-tip', 'failure', 'db_init_timeout'),
  orders('d2', '00043-tip', 'success'),
  orders('d3', '00043-tip', 'failure', 'db_init_timeout'),
  orders('e1', '00044-vel', 'success'),
  orders('e2', '00044-vel', 'failure', 'db_init_timeout'),
  orders('e3', '00044-vel', 'failure', 'db_init_timeout'),
  orders('e4', '00044-vel', 'success'),
  orders('e5', '00044-vel', 'unknown'),
  { id: 'p1', service: 'payments-api', revision: 'payments-api-00113-lur', outcome: 'success', rootCause: null },
  { id: 'p2', service: 'payments-api', revision: 'payments-api-00113-lur', outcome: 'success', rootCause: null },
  { id: 'send-receipts/-@2026-03-02T12:00:00Z', service: 'send-receipts', revision: null, outcome: 'failure', rootCause: 'config_missing' },
  { id: 'send-receipts/-@2026-03-02T12:30:00Z', service: 'send-receipts', revision: null, outcome: 'success', rootCause: null },
];

/** generate.mjs names an instance `00fx<name>` padded with zeros to 56 characters. */
export const instanceId = (name: string): string => `00fx${name}${'0'.repeat(52 - name.length)}`;

/** The db_init_timeout's timeout_s, in the order the values appeared (8.0 s, then 20.0 s, then 25.0 s). */
export const STORY_TIMEOUTS_S = [8, 20, 25];
