import { describe, expect, it } from 'vitest';
import { declaredLevel, severityOverruled } from '../../../functions/core/classify/failure-evidence.js';

describe('the level a line declares in its own prefix', () => {
  it.each([
    ['INFO:     Waiting for application startup.', 'below_error'],
    ['WARNING:  Invalid HTTP request received.', 'below_error'],
    ['INFO:root:cache warmed in 3.2s', 'below_error'],
    ['[2026-03-01 10:00:00 +0000] [1] [INFO] Booting worker with pid: 7', 'below_error'],
    ['[2026-03-01 10:00:00,001: INFO/MainProcess] mingle: searching for neighbors', 'below_error'],
    ['2026-03-01T10:00:00.123Z  INFO 1 --- [orders] [           main] o.s.b.w.e.tomcat.TomcatWebServer : Tomcat initialized', 'below_error'],
    ['time=2026-03-01T10:00:00Z level=info msg="sync finished" shards=64', 'below_error'],
    ['I1129 12:00:04.456789    1834 kubelet.go:2421] "SyncLoop ADD" source="api"', 'below_error'],
    ['ERROR:root:could not reach the ledger', 'error'],
    ['2026-03-01T10:00:00.123Z ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed', 'error'],
    ['E1129 12:00:04.456789    1834 pod_workers.go:1298] "Error syncing pod"', 'error'],
    ['time=2026-03-01T10:00:00Z level=error msg="sync aborted"', 'error'],
  ] as const)('%s -> %s', (line, level) => {
    expect(declaredLevel(line)).toBe(level);
  });

  it('takes the first level of the head, and none from the message further on', () => {
    expect(declaredLevel('[ERROR] sync aborted; INFO follows')).toBe('error');
    expect(declaredLevel('INFO: retry scheduled after ERROR from upstream')).toBe('below_error');
    expect(declaredLevel(`${'x'.repeat(120)} INFO: late`)).toBeNull();
  });

  it('reads no level into prose or words that merely contain one', () => {
    for (const line of ['nightly report generated for tenant 42', 'GET /INFO 200', 'informational message', 'Traceback (most recent call last):']) {
      expect(declaredLevel(line)).toBeNull();
    }
  });
});

describe('whether a line outweighs the ERROR severity its stream was given', () => {
  it.each([
    'INFO:     Started server process [1]',
    'WARNING:  Invalid HTTP request received.',
    '[2026-03-01 10:00:00 +0000] [1] [INFO] Booting worker with pid: 7',
    '[2026-03-01 10:00:03,120: INFO/MainProcess] mingle: searching for neighbors',
    'INFO  [alembic.runtime.migration] Running upgrade 3f2a1b4c5d6e -> 9a8b7c6d5e4f, add invoices',
  ])('a plain INFO or WARNING line does: %s', (line) => {
    expect(severityOverruled(line)).toBe(true);
  });

  // lines a logger wrote at INFO or WARN that still report a failure (review of 2026-11-29)
  it.each([
    '[01-Mar-2026 10:00:00] WARNING: [pool www] child 12 exited on signal 9 (SIGKILL) after 10.5 seconds from start',
    '2026-03-01 10:00:00,000 INFO exited: web (terminated by SIGKILL; not expected)',
    '2026-03-01T10:00:00.000Z  WARN 1 --- [ntainer#0-0-C-1] org.apache.kafka.clients.NetworkClient : [Consumer clientId=c-1] Connection to node -1 (kafka/10.0.0.5:9092) could not be established. Broker may not be available.',
    '[2026-03-01 10:00:00,000: WARNING/MainProcess] consumer: Connection to broker lost. Trying to re-establish the connection...',
    '[2026-03-01 10:00:00,000: WARNING/ForkPoolWorker-2] Soft time limit (300s) exceeded for app.tasks.sync[3f2a1b4c]',
    'I, [2026-03-01T10:00:00.000000 #1]  INFO -- : Completed 503 Service Unavailable in 30002ms',
    'I0501 10:00:00.000000    1834 oom_watcher_linux.go:79] "Got sys oom event" event={"pid":4242}',
    '2026-03-01T10:00:00.000Z\tWARN\tdb/pool.go:88\tpool exhausted: 0 of 10 connections available',
    'level=WARN msg="disk full: cannot write segment"',
    "WARNING:urllib3.connectionpool:Retrying (Retry(total=2)) after connection broken by 'NewConnectionError(...)': /v1/charge",
    '[2026-03-01, 10:00:00 UTC] {logging_mixin.py:188} INFO - CRITICAL: payment ledger out of balance',
    'web.1 | INFO: worker 3 died, respawning',
  ])('a line that reports trouble does not: %s', (line) => {
    expect(severityOverruled(line)).toBe(false);
  });

  it('a line that declares no level, or ERROR, never does', () => {
    expect(severityOverruled('ledger sync aborted for tenant 42')).toBe(false);
    expect(severityOverruled('ERROR:root:ledger sync aborted')).toBe(false);
  });
});
