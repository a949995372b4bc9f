import { describe, expect, it } from 'vitest';
import { MASK_LIMIT_CHARS, maskMessage, maskToken, SPAN_RULES, templateId, TOKEN_RULES } from '../../../functions/core/fingerprint/index.js';

describe('maskMessage: named patterns', () => {
  it.each([
    ['uuid', 'user 3f2b8c1e-9d4a-4e6b-8f3a-2c1d0e9f8a7b logged in', 'user <uuid> logged in'],
    ['uuid inside a path or id', 'deleted /x/3f2b8c1e-9d4a-4e6b-8f3a-2c1d0e9f8a7b_del and 3f2b8c1e-9d4a-4e6b-8f3a-2c1d0e9f8a7b_del', 'deleted <path> and <id>'],
    ['ipv4', 'from 10.0.0.12 to /10.251.42.84', 'from <ip> to <ip>'],
    ['ipv4 with port', 'dial tcp 10.8.0.12:8080: connect: connection refused', 'dial tcp <ip>: connect: connection refused'],
    ['ipv4 list', 'forwarded 10.11.21.122,10.11.10.1 ok', 'forwarded <ip> ok'],
    ['ipv6', 'listening on 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and ::1 and fe80::1%eth0', 'listening on <ip> and <ip> and <ip>'],
    ['ipv6 bracketed with port', 'peer [2001:db8::1]:443 gone', 'peer [<ip> gone'],
    ['mac', 'chip FF:F2:9F:16:E2:23:00:0D:60:E9:1D:DC and 00-1A-2B-3C-4D-5E', 'chip <mac> and <mac>'],
    ['hex with 0x', 'fault at 0x7ffd5e8c', 'fault at <hex>'],
    ['hex hash', 'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'sha<num> <hex>'],
    ['zero-padded hex', 'BIOS-e820: 0000000000100000 - 00000000000f0000 (usable)', 'BIOS-e<num>: <hex> - <hex> (usable)'],
    ['integers and floats', 'retry 3 of 5 after -1 and 3.14 then 1,024 items (50%)', 'retry <num> of <num> after <num> and <num> then <num> items (<num>)'],
    ['durations', 'took 20.0s then 150ms then 1h2m3.5s and 19.84 seconds', 'took <dur> then <dur> then <dur> and <dur>'],
    ['sizes', 'limit 512MiB, used 5.2 KB of 17.7 GB, sent 2703 bytes', 'limit <size>, used <size> of <size>, sent <size>'],
    ['Cloud Run memory limit', 'Memory limit of 512 MiB exceeded with 530 MiB used.', 'Memory limit of <size> exceeded with <size> used.'],
    ['ISO timestamps', 'at 2024-01-15T10:23:45.123Z and 2024-01-15 10:23:45,123', 'at <ts> and <ts>'],
    ['syslog and ctime dates', 'at Fri Jun 17 07:07:00 2005 or Jun 9 07:07:00', 'at <ts> or <ts>'],
    ['access-log date', '[10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1"', '[<ts>] "GET / HTTP/<num>"'],
    ['time of day', 'done at 07:07:00.123 sharp', 'done at <ts> sharp'],
    ['12-hour clock', 'logged at 10:00:02 AM and 2:14:09PM', 'logged at <ts> and <ts>'],
    ['Spring Boot header, thread cut to 15 characters', '2026-03-01T10:00:00.123Z ERROR 1 --- [o-8080-exec-143] c.e.Foo : boom', '<ts> ERROR <num> --- [<thread>] c.e.Foo : boom'],
    ['Spring Boot 3.2 header with the application name', '2026-03-01T10:00:00.123Z ERROR 12 --- [orders] [           main] c.e.Foo : boom', '<ts> ERROR <num> --- [<thread>] c.e.Foo : boom'],
    ['Spring Boot header with a correlation id', '2026-03-01T10:00:00.123Z ERROR 1 --- [orders] [nio-8080-exec-1] [65a3c6ee2ce14f4b5c7a40c9cd60d3b8-5c7a40c9cd60d3b8] c.e.Foo : boom', '<ts> ERROR <num> --- [<thread>] c.e.Foo : boom'],
    ['Spring Boot header outside a trace', '2026-03-01T10:00:00.123Z ERROR 1 --- [orders] [           main] [                                                 ] c.e.Foo : boom', '<ts> ERROR <num> --- [<thread>] c.e.Foo : boom'],
    ['short Cloud Run revisions', 'revisions api-00060-kex and api-00062-2km of orders-api-00036-jfq', 'revisions api-<num>-<id> and api-<num>-<id> of <id>'],
    ['revisions with digits in the name, or a quote stuck to them', 'v2-00001-aaa then msg="rollout failed for api-00060-kex"', 'v<num>-<num>-<id> then msg="rollout failed for api-<num>-<id>"'],
    ['12-hour clock after a narrow no-break space', 'logged at 10:00:02\u202fPM', 'logged at <ts>'],
    ['unix paths', 'open /var/lib/app/data.db and ~/x and ./run.sh and ../a/b', 'open <path> and <path> and <path> and <path>'],
    ['windows path', 'loaded C:\\Windows\\System32\\x.dll', 'loaded <path>'],
    ['path after a lead', 'LOGIN chdir(/p/gb1/stella) failed', 'LOGIN chdir(<path>) failed'],
    ['relative path with line', 'at src/index.js:10:5', 'at <path>'],
    ['file names', 'started chrome.exe and app.py:12', 'started <file> and <file>'],
    ['urls', 'fetch https://example.com/a?b=1 and hdfs://10.0.0.1:9000/x', 'fetch <url> and <url>'],
    ['quoted url', 'Get "http://10.8.0.12:8080/healthz": refused', 'Get "<url>": refused'],
    ['quoted values', "Cannot find module 'express' in \"users\"", "Cannot find module '<*>' in \"<*>\""],
    ['quoted values with digits', 'for container "api-1" on host \'cp-1.example.com\'', 'for container "api-<num>" on host \'<host>\''],
    ['emails', 'mail bob.smith@example.co.uk now', 'mail <email> now'],
    ['hostnames', 'to db.internal.example.com:5432 and api.github.com and example.com', 'to <host> and <host> and <host>'],
    ['numbered hosts', 'rhost 220-135-151-1.hinet-ip.hinet.net', 'rhost <host>'],
    ['kubernetes pod', 'pod api-7f9c8d6b5-x2k4q restarted', 'pod api-<pod> restarted'],
    ['instance ids and long ids', 'instance i-0abcd1234ef567890 task attempt_1445144423722_0020_m_000000_0', 'instance <id> task <id>'],
    ['base64-ish blob', 'token QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123== end', 'token <id> end'],
    ['key=value values', 'exitCode=137 rhost=10.0.0.1 took=150ms path=/tmp/x PSR0=00001f01', 'exitCode=<num> rhost=<ip> took=<dur> path=<path> PSR0=<hex>'],
    ['digits inside words', 'iface eth0 via ssh2 on node-12 (TID 7) blk_-42 core.2275', 'iface eth<num> via ssh<num> on node-<num> (TID <num>) blk_<num> core.<num>'],
    ['versions', 'HTTP/1.1 from nginx/1.25.3', 'HTTP/<num> from nginx/<num>'],
    ['repeated whitespace collapses', '  boot   (command 1911)\t ', 'boot (command <num>)'],
  ])('%s', (_name, input, expected) => {
    expect(maskMessage(input)).toBe(expected);
    // masking a template again changes nothing
    expect(maskMessage(expected)).toBe(expected);
  });
});

describe('maskMessage: what stays', () => {
  it.each([
    ['plain words', 'Connection reset by peer'],
    ['exception class names', 'java.lang.NullPointerException: ValueError KeyError'],
    ['module and package names', 'in app.monitoring from google.cloud.storage and com.example.app'],
    ['Java frames keep the class', 'at com.foo.Bar.baz(Bar.java'],
    ['dotted properties', 'mapred.task.id is deprecated. Instead, use mapreduce.task.attempt.id'],
    ['word values of key=value', 'reason=OOMKilled state=RUNNING user=root'],
    ['log levels and methods', 'ERROR WARN GET POST'],
    ['punctuation', '*** info ... -- ==> [preauth]'],
    ['placeholders already in the text', 'user <redacted> token [REDACTED] <*>'],
    ['a bracket after dashes that is no Spring header', 'migration <num> --- [FAILED] add_index_orders'],
  ])('%s', (_name, input) => {
    expect(maskMessage(input)).toBe(input);
  });
});

describe('maskMessage: properties', () => {
  it('is deterministic and idempotent', () => {
    const text = 'Phase 3 database initialization timeout after 20.0s on 10.1.2.3:5432 (attempt 2/5)';
    const once = maskMessage(text);
    expect(maskMessage(text)).toBe(once);
    expect(maskMessage(once)).toBe(once);
  });

  it('only looks at a bounded prefix', () => {
    const head = 'x '.repeat(MASK_LIMIT_CHARS / 2);
    expect(maskMessage(head + 'tail 123 '.repeat(100_000))).toBe(maskMessage(head));
  });

  it.each([
    ['long digit runs', '1'.repeat(4000)],
    ['many dots', '1.'.repeat(2000)],
    ['many colons', ':'.repeat(4000) + 'x'],
    ['many slashes', '/a'.repeat(2000) + ' '],
    ['unclosed quotes', `'${'a'.repeat(4000)}`],
    ['near-emails', `${'a.'.repeat(1500)}@${'b.'.repeat(500)}`],
    ['near-placeholders', '<'.repeat(2000) + '1'],
  ])('stays linear on %s', (_name, input) => {
    expect(typeof maskMessage(input)).toBe('string');
  });

  it('keeps empty and blank messages empty', () => {
    expect(maskMessage('')).toBe('');
    expect(maskMessage(' \t ')).toBe('');
  });

  it('masks single tokens like whole messages', () => {
    expect(maskToken('(10.0.0.1:80),')).toBe('(<ip>),');
    expect(maskToken('word')).toBe('word');
  });

  it('names every rule', () => {
    const names = [...SPAN_RULES, ...TOKEN_RULES].map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('templateId', () => {
  it('is the first 16 hex digits of sha256', () => {
    expect(templateId('')).toBe('e3b0c44298fc1c14');
    expect(templateId('user <uuid> logged in')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differs between templates and is stable for one', () => {
    expect(templateId('a <num>')).toBe(templateId('a <num>'));
    expect(templateId('a <num>')).not.toBe(templateId('b <num>'));
  });
});

describe('SPAN_RULES spring_thread: the level is looked for behind the first digit', () => {
  it('matches exactly where the level-before-pid form does, in any text', async () => {
    const fc = (await import('fast-check')).default;
    const rule = SPAN_RULES.find((r) => r.name === 'spring_thread')!;
    const before = rule.source.replace(String.raw`\d(?<=\b(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) \d)\d{0,6}`, String.raw`(?<=\b(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) )\d{1,7}`);
    expect(before).not.toBe(rule.source);
    const now = new RegExp(String.raw`\b(?:${rule.source})`, 'g');
    const then = new RegExp(String.raw`\b(?:${before})`, 'g');
    const piece = fc.constantFrom('ERROR', 'INFO', 'xINFO', ' ', '1', '42', '12345678', ' --- ', '[main]', '[orders] ', '[nio-8080-exec-1]', ' [ab-12]', 'x', '\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), (text) => {
        expect(text.replace(now, '<m>')).toBe(text.replace(then, '<m>'));
      }),
      { numRuns: 5000 },
    );
  });
});
