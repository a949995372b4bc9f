import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REDACTED, redactText } from '../../functions/core/redact.js';

// A text holding "-----" is redacted whole (PEM blocks span lines); without it, line by line.
// Appending a line of dashes therefore gives the whole-text answer for the same lines.
const WHOLE = '\n-----';

describe('redactText: multi-line texts are redacted line by line', () => {
  const piece = fc.constantFrom(
    ...'ab:/@=."\'\\ \t\r\n\n\n_{}<>pPwWdDsStTkK0123456789'.split(''),
    'password', 'PASSWORD', 'token', 'key', 'KeyError', 'api_key', 'pw', 'pwd', '://', 'postgresql://app:', '@db:5432',
    'eyJhbGciOiJIUzI1NiJ9', '.eyJzdWIiOiIxIn0', 'AIzaSyA1234567890abcdefghijklmnopqrstu', 'AKIAABCDEFGHIJKLMNOP',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'Bearer ', 'Authorization: ', 'user@example.com', 'root:pw@tcp(db:3306)/x',
    '<redacted>', '\u2028', 'é', '-', '--', 'api-key', 'x-api-key: ', 'xoxb-1234567890-abcdefghij', 'eyJhbGciOiJI-UzI1NiJ9',
    'sk_live_abcdefghijklmnop', 'github_pat_11ABCDEFG0abcdefghijkl', '"pw": ', 'pw\\":', '-----BEGIN ',
    '&sig=', 'X-Goog-Signature=', 'sessionid=', 'connect.sid=', 'AccountKey=', 'redis://', 'rediss://', 'jdbc:oracle:thin:scott/',
    ':1433;', '/services/T0123ABCD/B0456EFGH/', '/api/webhooks/1234567890/', 'sk-proj-', 'whsec_', 'ya29.', 'AC1234567890abcdef1234567890abcdef:',
    "(b'x-api-key', b'", "(b'x-api-key',b'", '(b"authorization", b"', "', '", 'remember-me=', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFi',
    'PHPSESSID=', "'sessionid': '", 'password={', '}', ';', 'discord.com/api/v10/webhooks/1234567890/',
    '%3D', '%20', '%2F', 'app:pw@db ', ':pw@redis:6379', '[admin:pw@mongo', 'api:1.2@sha256:', 'ERROR:root@', 'secret_value=', 'redis+sentinel://',
    'host "', 'host=', 'lookup ', 'ENOTFOUND ', 'connecting to ', 'dsn:', 'HTTPS_PROXY=', 'UnknownHostException: ', 'role "', 'user "', 'P@ss',
    'auth=', 'routing_key=', 'R0123456789ABCDEF0123456789ABCDEF', '?code=', '&code=', 'password_confirmation=',
    'app:Pw1@db:5432', ':5432/', 'https://', 'a1b2c3d4e5f6a7b8c9d0e1f2', 'password is ', 'with password ', 'password (', 'S3cr3t!', ' was ', "IDENTIFIED BY '", 'DatabaseURL:', "'",
  );
  const text = fc.array(piece, { maxLength: 80 }).map((parts) => parts.join(''));

  it('gives what redacting the whole text gives', () => {
    fc.assert(
      fc.property(text, (t) => {
        fc.pre(!t.includes('-----'));
        expect(redactText(t)).toBe(redactText(t + WHOLE).slice(0, -WHOLE.length));
      }),
      { numRuns: 20_000 },
    );
  });

  it('redacts every line that holds a secret, from the first such line on', () => {
    const trace = [
      'Traceback (most recent call last):',
      '  File "/app/app/config.py", line 12, in load',
      '    url = "postgresql://app:s3cr3t-pw@10.0.0.3:5432/app"',
      '  File "/app/app/keys.py", line 40, in lookup',
      '    return os.environ[name]',
      "KeyError: 'API_TOKEN' (token=abc123def456)",
    ].join('\n');
    const out = redactText(trace);
    expect(out).not.toContain('s3cr3t-pw');
    expect(out).not.toContain('abc123def456');
    expect(out).toContain(`postgresql://app:${REDACTED}@10.0.0.3:5432/app`);
    expect(out.split('\n').slice(0, 2)).toEqual(trace.split('\n').slice(0, 2));
    expect(out.split('\n')[4]).toBe('    return os.environ[name]');
    expect(out).toBe(redactText(trace + WHOLE).slice(0, -WHOLE.length));
  });

  it('keeps PEM blocks, which span lines, redacted whole', () => {
    const pem = 'key follows\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\nQWERTY==\n-----END RSA PRIVATE KEY-----\ndone';
    const out = redactText(pem);
    expect(out).not.toContain('MIIEowIBAAKCAQEA7x');
    expect(out).not.toContain('QWERTY==');
    expect(out.endsWith('\ndone')).toBe(true);
  });
});
