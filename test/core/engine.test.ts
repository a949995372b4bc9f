import { describe, expect, it } from 'vitest';
import { classified, runEntry, shippedEngine, withService } from '../helpers/entries.js';

const FASTAPI_TRACEBACK = `Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/starlette/routing.py", line 677, in lifespan
    async with self.lifespan_context(app) as maybe_state:
  File "/usr/local/lib/python3.11/contextlib.py", line 204, in __aenter__
    return await anext(self.gen)
  File "/app/main.py", line 41, in lifespan
    await orchestrator.run()
  File "/app/startup/orchestrator.py", line 88, in run
    raise RuntimeError(f"Phase {n} database initialization timeout after {t}s")
RuntimeError: Phase 3 database initialization timeout after 20.0s`;

describe('signature engine on whole entries', () => {
  it('gives a split-off final exception line the category and signature of the whole traceback', () => {
    const whole = classified(runEntry(FASTAPI_TRACEBACK));
    const lastLine = classified(runEntry('RuntimeError: Phase 3 database initialization timeout after 20.0s'));
    expect(whole.category).toBe('db_init_timeout');
    expect(lastLine.category).toBe(whole.category);
    expect(lastLine.signature_id).toBe(whole.signature_id);
    expect(whole.stack_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives a split-off Go panic line the signature of the whole panic, signal line and goroutines included', () => {
    const head = 'panic: runtime error: invalid memory address or nil pointer dereference';
    const whole = classified(
      runEntry(`${head}\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2f1a]\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:18 +0x85\nexit status 2`),
    );
    const line = classified(runEntry(head));
    expect(whole.category).toBe('unhandled_exception');
    expect(line.signature_id).toBe(whole.signature_id);
    expect(classified(runEntry('[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2f1a]')).category).not.toBe('unhandled_exception');
  });

  it('lets a rule keep a line it matches even when the line reads like a detail printed around a trace', () => {
    const flyway = classified(runEntry('Message    : FATAL: password authentication failed for user "app"'));
    expect(flyway.fragment).toBeNull();
    expect(flyway.category).toBe('db_auth_failed');
    expect(classified(runEntry('Error Code : 0')).fragment).toBe('report_detail');
  });

  it('recognises the other split lines as fragments without signatures', () => {
    const lines = FASTAPI_TRACEBACK.split('\n').slice(0, -1);
    for (const line of lines) {
      const out = classified(runEntry(line));
      expect({ line, fragment: out.fragment === null, sig: out.signature_id }).toEqual({ line, fragment: false, sig: null });
    }
  });

  it('keeps one signature when a phase timeout is raised from 20.0s to 25.0s', () => {
    const a = classified(runEntry('Phase 3 database initialization timeout after 20.0s'));
    const b = classified(runEntry('Phase 3 database initialization timeout after 25.0s'));
    expect(a.signature_id).toBe(b.signature_id);
    expect([a.params.timeout_s, b.params.timeout_s]).toEqual([20, 25]);
    expect(a.params.phase).toBe(3);
  });

  it('splits import errors by module and scopes signatures to the workload', () => {
    const mon = classified(runEntry("ModuleNotFoundError: No module named 'app.monitoring'"));
    const other = classified(runEntry("ModuleNotFoundError: No module named 'app.metrics'"));
    const elsewhere = classified(withService(runEntry("ModuleNotFoundError: No module named 'app.monitoring'"), 'billing'));
    expect(mon.category).toBe('import_error');
    expect(mon.params.module).toBe('app.monitoring');
    expect(new Set([mon.signature_id, other.signature_id, elsewhere.signature_id]).size).toBe(3);
  });

  it('gives a JSON payload line the signature of the same text line', () => {
    const text = classified(runEntry('Phase 3 database initialization timeout after 20.0s'));
    const { textPayload: _t, ...rest } = runEntry('');
    const json = classified({ ...rest, jsonPayload: { message: 'Phase 3 database initialization timeout after 20.0s', severity: 'ERROR' } });
    expect(json.signature_id).toBe(text.signature_id);
    expect(json.message_source).toBe('jsonPayload.message');
  });

  it('redacts credentials everywhere and keeps the signature whatever the secret', () => {
    const a = classified(runEntry('could not connect: postgresql://app:s3cr3t-Pa55@10.0.0.3:5432/app failed'));
    const b = classified(runEntry('could not connect: postgresql://app:other-pw-99@10.0.0.3:5432/app failed'));
    expect(JSON.stringify(a)).not.toContain('s3cr3t-Pa55');
    expect(JSON.stringify(b)).not.toContain('other-pw-99');
    expect(a.signature_id).toBe(b.signature_id);
  });

  it("reads the refusals listed in Node 20's AggregateError as its causes", () => {
    const refused = (address: string) =>
      `    Error: connect ECONNREFUSED ${address}:5432\n        at createConnectionError (node:net:1648:14)\n        at afterConnectMultiple (node:net:1678:16) {\n      errno: -111,\n      code: 'ECONNREFUSED',\n      syscall: 'connect',\n      address: '${address}',\n      port: 5432\n    }`;
    const aggregate = [
      'AggregateError [ECONNREFUSED]: ',
      '    at internalConnectMultiple (node:net:1118:18)',
      '    at afterConnectMultiple (node:net:1685:7) {',
      "  code: 'ECONNREFUSED',",
      '  [errors]: [',
      `${refused('::1')},`,
      refused('127.0.0.1'),
      '  ]',
      '}',
    ].join('\n');
    const whole = classified(runEntry(aggregate));
    const plain = classified(runEntry('Error: connect ECONNREFUSED 127.0.0.1:5432'));
    expect([whole.category, whole.params.port, whole.signature_id]).toEqual(['connection_refused', 5432, plain.signature_id]);
  });

  it('reads a line coloured for a terminal as the uncoloured line', () => {
    const plain = classified(runEntry('INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)'));
    const coloured = classified(runEntry('\u001b[32mINFO\u001b[0m:     Uvicorn running on \u001b[1mhttp://0.0.0.0:8080\u001b[0m (Press CTRL+C to quit)'));
    expect(plain.category).toBe('startup_success');
    expect([coloured.category, coloured.rule_id, coloured.signature_id]).toEqual([plain.category, plain.rule_id, plain.signature_id]);
    expect(coloured.excerpt).toContain('\u001b[1m'); // the stored text is what was logged
  });

  it('flags unknown lines of a process killed before it could log as failures, whatever their severity', () => {
    const flagged = ['Killed', 'Segmentation fault (core dumped)', '/app/entrypoint.sh: line 4: /app/bin/migrate: No such file or directory'];
    for (const line of flagged) {
      const out = classified(runEntry(line, { severity: 'DEFAULT' }));
      expect({ line, rule: out.rule_id, flagged: out.looks_like_failure }).toEqual({ line, rule: null, flagged: true });
    }
    expect(classified(runEntry('cache entry not found, fetching from origin', { severity: 'INFO' })).looks_like_failure).toBe(false);
  });

  it('does not flag an unknown line as a failure for the ERROR severity of its stream when its own prefix says INFO', () => {
    const info = classified(runEntry('INFO:app.sync:ledger synced for tenant 42 in 3.2s', { severity: 'ERROR' }));
    const gunicorn = classified(runEntry('[2026-03-01 10:00:00 +0000] [8] [INFO] Autorestarting worker after current request.', { severity: 'ERROR' }));
    const error = classified(runEntry('ERROR:billing:ledger sync aborted for tenant 42', { severity: 'ERROR' }));
    const bare = classified(runEntry('ledger sync aborted for tenant 42', { severity: 'ERROR' }));
    expect([info.rule_id, gunicorn.rule_id, error.rule_id, bare.rule_id]).toEqual([null, null, null, null]);
    expect([info.looks_like_failure, gunicorn.looks_like_failure, error.looks_like_failure, bare.looks_like_failure]).toEqual([false, false, true, true]);
  });

  it('does not read a failure into failure words that report none', () => {
    const none = ['Scheduled job cleanup_expired_sessions finished: 0 errors, 1432 rows deleted', 'SENTRY_DSN not set, error reporting disabled', 'health report: errors=0 failure rate 0.0%'];
    for (const line of none) expect({ line, flagged: classified(runEntry(line, { severity: 'INFO' })).looks_like_failure }).toEqual({ line, flagged: false });
    const some = ['Scheduled job cleanup_expired_sessions finished: 3 errors, 1432 rows deleted', 'no errors in batch 4, then the ledger write failed'];
    for (const line of some) expect({ line, flagged: classified(runEntry(line, { severity: 'INFO' })).looks_like_failure }).toEqual({ line, flagged: true });
  });

  it('groups unknown entries by masked template and flags failure-looking ones', () => {
    const a = classified(runEntry('FooBarError while syncing shard 17 of 64 after 3.2s'));
    const b = classified(runEntry('FooBarError while syncing shard 9 of 64 after 12.8s'));
    const c = classified(runEntry('nightly report generated for tenant 42', { severity: 'INFO' }));
    expect(a.rule_id).toBeNull();
    expect(a.category).toBe('not_startup_related');
    expect(a.signature_id).toBe(b.signature_id);
    expect(a.signature_id).not.toBe(c.signature_id);
    expect([a.looks_like_failure, c.looks_like_failure]).toEqual([true, false]);
  });

  it('derives event_id from logName, timestamp and insertId only', () => {
    const e = runEntry('Container called exit(3).');
    const again = classified({ ...e, severity: 'INFO', receiveTimestamp: '2026-03-01T10:00:05Z' });
    const first = classified(e);
    const moved = classified({ ...e, insertId: 'different' });
    expect(again.event_id).toBe(first.event_id);
    expect(moved.event_id).not.toBe(first.event_id);
    expect(first.classifier_version).toBe(shippedEngine().classifierVersion);
    expect(first.category).toBe('exit_code');
    expect(first.params.exit_code).toBe(3);
  });
});
