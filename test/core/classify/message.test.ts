import { describe, expect, it } from 'vitest';
import { extractText } from '../../../functions/core/classify/message.js';
import { structlogTraceback } from '../../../functions/core/classify/structlog.js';
import { classified, runEntry } from '../../helpers/entries.js';

/** The same entry with a jsonPayload instead of its text. */
function jsonEntry(payload: Record<string, unknown>): Record<string, unknown> {
  const { textPayload: _text, ...rest } = runEntry('');
  return { ...rest, jsonPayload: payload };
}

const SPRING_TRACE = [
  "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource': Failed to instantiate",
  '\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:335)',
  "Caused by: org.springframework.util.PlaceholderResolutionException: Could not resolve placeholder 'DATABASE_URL' in value \"${DATABASE_URL}\"",
  '\tat org.springframework.util.PlaceholderResolutionException.withValue(PlaceholderResolutionException.java:81)',
].join('\n');

describe('where structured loggers put the message', () => {
  it('reads .NET JSON console fields (Message, Exception)', () => {
    const text = extractText({ jsonPayload: { EventId: 11, LogLevel: 'Critical', Category: 'Host', Message: 'Hosting failed to start', Exception: 'System.IO.IOException: Failed to bind' } });
    expect(text).toEqual({ message: 'Hosting failed to start', stack: 'System.IO.IOException: Failed to bind', detail: null, source: 'jsonPayload.Message', fields: null });
  });

  it("reads Serilog's compact JSON: rendered @m before the template @mt, and @x as the stack", () => {
    expect(extractText({ jsonPayload: { '@m': 'Now listening on: "http://[::]:8080"', '@mt': 'Now listening on: {address}', '@x': 'System.Exception: boom' } })).toEqual({
      message: 'Now listening on: "http://[::]:8080"',
      stack: 'System.Exception: boom',
      detail: null,
      source: 'jsonPayload.@m',
      fields: null,
    });
    expect(extractText({ jsonPayload: { '@mt': 'Now listening on: {address}', address: 'http://[::]:8080' } }).source).toBe('jsonPayload.@mt');
  });

  it('reads ECS layouts, flat dotted keys (log4j2, Spring Boot 3.4) and nested (Spring Boot 3.5)', () => {
    const flat = extractText({ jsonPayload: { message: 'Application run failed', 'error.type': 'X', 'error.message': 'Error creating bean', 'error.stack_trace': SPRING_TRACE } });
    expect(flat).toEqual({ message: 'Application run failed', stack: SPRING_TRACE, detail: 'Error creating bean', source: 'jsonPayload.message', fields: null });
    const nested = extractText({ jsonPayload: { message: 'Application run failed', error: { type: 'X', message: 'Error creating bean', stack_trace: SPRING_TRACE } } });
    expect(nested.stack).toBe(SPRING_TRACE);
    expect(nested.detail).toBe('Error creating bean');
  });

  it('classifies an ECS entry by its stack, as the same entry in the logstash layout', () => {
    const ecs = classified(jsonEntry({ message: 'Application run failed', 'error.type': 'X', 'error.message': 'Error creating bean', 'error.stack_trace': SPRING_TRACE }));
    const logstash = classified(jsonEntry({ message: 'Application run failed', stack_trace: SPRING_TRACE }));
    expect(ecs.category).toBe('config_missing');
    expect(ecs.params).toEqual(logstash.params);
    expect(ecs.signature_id).toBe(logstash.signature_id);
  });

  it('keeps the reading of an entry that also has one of the fields read last', () => {
    const text = extractText({ jsonPayload: { message: 'listening on 8080', Message: 'other', '@m': 'other', stack_trace: 'Error: a', Exception: 'b' } });
    expect(text).toEqual({ message: 'listening on 8080', stack: 'Error: a', detail: null, source: 'jsonPayload.message', fields: null });
    // a nested error.stack (pino, bunyan) was read before, and still wins over the new fields
    const nested = extractText({ jsonPayload: { msg: 'boom', err: { message: 'x', stack: 'Error: x\n    at f (/app/a.js:1:1)' }, '@x': 'System.Exception: y', 'error.stack_trace': 'z' } });
    expect(nested.stack).toBe('Error: x\n    at f (/app/a.js:1:1)');
    // and exc_info still wins over a structlog list in `exception`
    const listed = extractText({ jsonPayload: { event: 'e', exception: [{ exc_type: 'E', exc_value: 'v', frames: [] }], exc_info: 'Traceback (most recent call last):\nE: v' } });
    expect(listed.stack).toBe('Traceback (most recent call last):\nE: v');
  });
});

describe("structlog's dict_tracebacks", () => {
  const stacks = [
    {
      exc_type: 'RuntimeError',
      exc_value: 'Phase 3 database initialization timeout after 20.0s',
      is_cause: false,
      frames: [
        { filename: '/app/main.py', lineno: 41, name: 'lifespan', locals: null },
        { filename: '/app/startup/orchestrator.py', lineno: 88, name: 'run', locals: null },
      ],
    },
    { exc_type: 'TimeoutError', exc_value: '', is_cause: true, frames: [{ filename: '/usr/local/lib/python3.11/asyncio/tasks.py', lineno: 520, name: 'wait_for' }] },
  ];

  const printed = [
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.11/asyncio/tasks.py", line 520, in wait_for',
    'TimeoutError',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/app/main.py", line 41, in lifespan',
    '  File "/app/startup/orchestrator.py", line 88, in run',
    'RuntimeError: Phase 3 database initialization timeout after 20.0s',
  ].join('\n');

  it('prints the list back as the traceback Python prints, causes first', () => {
    expect(structlogTraceback(stacks)).toBe(printed);
  });

  it('classifies and fingerprints it like the same traceback logged as text', () => {
    const asDicts = classified(jsonEntry({ event: 'startup failed', exception: stacks, level: 'critical' }));
    const asText = classified(jsonEntry({ event: 'startup failed', exception: printed, level: 'critical' }));
    expect(asDicts.category).toBe('db_init_timeout');
    expect(asDicts.params).toEqual(asText.params);
    expect(asDicts.signature_id).toBe(asText.signature_id);
    expect(asDicts.stack_id).toBe(asText.stack_id);
  });

  it("leaves out structlog's placeholder for the frames it cut, so their number does not change the stack", () => {
    const cut = (n: number) => [{ exc_type: 'E', exc_value: 'v', frames: [{ filename: '/app/a.py', lineno: 1, name: 'f' }, { filename: '', lineno: -1, name: `Skipped frames: ${n}` }] }];
    expect(structlogTraceback(cut(3))).toBe(structlogTraceback(cut(40)));
    expect(structlogTraceback(cut(3))).not.toContain('Skipped');
  });

  it('leaves values that are not such a list alone', () => {
    for (const v of [[], ['a'], [{ exc_value: 'x' }], { exc_type: 'E' }, 'text', null]) expect(structlogTraceback(v)).toBeNull();
  });
});

describe('a message and its error field', () => {
  it('are read together as the one line a text logger prints, with the same category, params and signature', () => {
    const line = classified(runEntry('Database connection attempt 2/5 failed: TimeoutError', { severity: 'WARNING' }));
    const split = classified(jsonEntry({ message: 'Database connection attempt 2/5 failed', error: 'TimeoutError', severity: 'WARNING' }));
    expect(line.category).toBe('db_connect_timeout');
    expect({ category: split.category, params: split.params, signature_id: split.signature_id }).toEqual({
      category: line.category,
      params: line.params,
      signature_id: line.signature_id,
    });
  });

  it('leave what either half matched alone when the joined line knows nothing better', () => {
    const refused = classified(jsonEntry({ message: 'failed to connect to database', error: 'connection refused' }));
    expect(refused.category).toBe('connection_refused');
    expect(refused.template).toBe('connection refused');
  });
});

describe("journald's MESSAGE (GKE nodes' kubelet logs)", () => {
  it('is read as the message, with the category and signature of the same line as text', () => {
    const line = 'I1129 12:00:05.000000    1834 prober.go:107] "Probe failed" probeType="Startup" pod="default/api-7d9f8c6b5-xk2lp" containerName="api" probeResult="failure" output="Get \\"http://10.8.0.12:8080/healthz\\": dial tcp 10.8.0.12:8080: connect: connection refused"';
    const node = { type: 'k8s_node', labels: { project_id: 'p', location: 'us-central1-a', cluster_name: 'prod', node_name: 'gke-prod-pool-1-abcd1234-x9z8' } };
    const common = { logName: 'projects/p/logs/kubelet', resource: node, timestamp: '2026-11-29T12:00:05Z', severity: 'INFO' };
    const text = classified({ ...common, textPayload: line });
    const journald = classified({ ...common, jsonPayload: { MESSAGE: line, SYSLOG_IDENTIFIER: 'kubelet', PRIORITY: '6', _HOSTNAME: 'gke-prod-pool-1-abcd1234-x9z8' } });
    expect(text.category).toBe('startup_probe_failed');
    expect({ category: journald.category, signature_id: journald.signature_id, source: journald.message_source }).toEqual({
      category: text.category,
      signature_id: text.signature_id,
      source: 'jsonPayload.MESSAGE',
    });
  });

  it('comes after every field read before', () => {
    expect(extractText({ jsonPayload: { message: 'listening on 8080', MESSAGE: 'other' } }).message).toBe('listening on 8080');
  });
});

describe("a structured logger's fields beside its message", () => {
  it('reads the known fields as key=value, and none when there are none', () => {
    expect(extractText({ jsonPayload: { msg: 'startup phase exceeded deadline', phase: 3, phase_name: 'migrations', deadline: '2m0s', caller: 'x.go:1' } }).fields).toBe('phase=3 phase_name=migrations deadline=2m0s');
    expect(extractText({ jsonPayload: { msg: 'listening', addr: '0.0.0.0:8080' } }).fields).toBe('addr=0.0.0.0:8080');
    expect(extractText({ jsonPayload: { msg: 'ok', level: 'info' } }).fields).toBeNull();
    // a value with spaces or of another type is not read
    expect(extractText({ jsonPayload: { msg: 'x', phase: 'not a number', timeout: { s: 1 } } }).fields).toBeNull();
  });

  it('classifies a phase timeout whose values are fields as the same timeout logged as text', () => {
    const json = classified(jsonEntry({ level: 'error', message: 'init phase timed out', phase: 2, phase_name: 'database', timeout: '20s' }));
    const text = classified(runEntry('Phase 2 (database) initialisation timed out after 25.0s'));
    expect(json.category).toBe('db_init_timeout');
    expect(json.params).toEqual({ phase: 2, phase_name: 'database', timeout_s: 20 });
    expect(json.signature_id).toBe(text.signature_id);
    const other = classified(jsonEntry({ level: 'error', message: 'init phase timed out', phase: 4, phase_name: 'vault', timeout: '45s' }));
    expect(other.category).toBe('init_timeout');
    expect(other.params).toEqual({ phase: 4, phase_name: 'vault', timeout_s: 45 });
  });

  it('does not let one message with different fields reuse what the memo kept for the other', () => {
    const a = jsonEntry({ message: 'listening', addr: '0.0.0.0:8080' });
    const b = jsonEntry({ message: 'listening', addr: '0.0.0.0:9090' });
    for (let i = 0; i < 3; i++) {
      expect(classified(a).params).toEqual({ host: '0.0.0.0', port: 8080 });
      expect(classified(b).params).toEqual({ host: '0.0.0.0', port: 9090 });
    }
  });

  it("adds the fields' params to a matched message that lacks them, keeping its signature", () => {
    const bare = classified(jsonEntry({ msg: 'server listening' }));
    const withAddr = classified(jsonEntry({ msg: 'server listening', addr: ':8080' }));
    expect(bare.params).toEqual({});
    expect(withAddr.params).toEqual({ port: 8080 });
    expect(withAddr.signature_id).toBe(bare.signature_id);
    expect(classified(jsonEntry({ message: 'startup phase timed out', phase: 3, phase_name: 'database', timeout_s: 20 })).params).toEqual({ phase: 3, phase_name: 'database', timeout_s: 20 });
  });

  it('reads a message, its error field and its fields together when neither the message nor it with its fields says enough', () => {
    const out = classified(jsonEntry({ level: 'ERROR', msg: 'startup failed', phase: 'config', err: 'fetching remote config: context deadline exceeded', timeout: '5s' }));
    expect([out.category, out.params]).toEqual(['init_timeout', { phase_name: 'config', timeout_s: 5 }]);
    const waited = classified(jsonEntry({ level: 'error', dependency: 'redis', deadline: '30s', error: 'context deadline exceeded', message: 'startup: waiting for dependencies' }));
    expect([waited.category, waited.params]).toEqual(['init_timeout', { timeout_s: 30 }]);
    // a JSON timeout_ms field counts, in its unit
    const ms = classified(jsonEntry({ message: 'startup phase timeout', phase: 3, phase_name: 'database', timeout_ms: 20000 }));
    expect([ms.category, ms.params]).toEqual(['db_init_timeout', { phase: 3, phase_name: 'database', timeout_s: 20 }]);
  });

  it('leaves an entry whose message a rule matches as the message alone reads it', () => {
    const out = classified(jsonEntry({ msg: 'Phase 2 (cache) initialisation timed out after 5.0s', phase: 9, timeout: '99s' }));
    expect(out.params).toEqual({ phase: 2, phase_name: 'cache', timeout_s: 5 });
  });
});
