import { describe, expect, it } from 'vitest';
import { declaredLevel } from '../../../functions/core/classify/text-level.js';

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
