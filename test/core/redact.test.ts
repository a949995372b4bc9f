import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMAIL, REDACTED, redactText } from '../../functions/core/redact.js';
import { isSecretKey, redactParams, redactValue } from '../../functions/core/redact-params.js';
import { redactHead } from '../../functions/core/redact-head.js';

const R = REDACTED;

/** The secret is gone, the context kept, and a second redaction changes nothing. */
function expectRedacted(text: string, secret: string, kept: string): void {
  const out = redactText(text);
  expect(out).not.toContain(secret);
  expect(out).toContain(kept);
  expect(redactText(out)).toBe(out);
}

describe('redactText: one case per kind', () => {
  it.each([
    ['postgresql://app:s3cr3t@10.0.0.3:5432/app', `postgresql://app:${R}@10.0.0.3:5432/app`],
    ['mysql://root:pa@ss@db:3306/x', `mysql://root:${R}@db:3306/x`],
    ['redis://:hunter2@10.1.2.3:6379/0', `redis://:${R}@10.1.2.3:6379/0`],
    ['amqp://guest:guest@rabbit:5672/', `amqp://guest:${R}@rabbit:5672/`],
    ['mongodb+srv://svc:Zx9%40q@cluster0.abc.mongodb.net/db', `mongodb+srv://svc:${R}@cluster0.abc.mongodb.net/db`],
    ['GET https://oauth2:glpat-abc123@gitlab.com/x.git', `GET https://oauth2:${R}@gitlab.com/x.git`],
    ['dsn root:Secr3t@tcp(10.0.0.3:3306)/app', `dsn root:${R}@tcp(10.0.0.3:3306)/app`],
    ['Authorization: Bearer abc.def.ghi', `Authorization: Bearer ${R}`],
    ['{"authorization": "Basic dXNlcjpwYXNz"}', `{"authorization": "Basic ${R}"}`],
    ['sent bearer 0123456789abcdefABCDEF== upstream', `sent bearer ${R} upstream`],
    ['key=AIzaSyD-1234567890abcdefghijklmnopqrstu used', `key=${R} used`],
    ['found AKIAIOSFODNN7EXAMPLE in env', `found ${R} in env`],
    ['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key=${R}`],
    ['clone with ghp_abcdefghijklmnopqrstuvwxyz0123456789 now', `clone with ${R} now`],
    ['pat github_pat_11ABCDEFG0123456789_abcdefghijklmnop end', `pat ${R} end`],
    ['slack xoxb-1234567890-abcdefghij failed', `slack ${R} failed`],
    ['stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc denied', `stripe ${R} denied`],
    ['api_key=3f9a8b7c', `api_key=${R}`],
    // the word alone (KeyError, key lookup) is not a key; a later one with a separator is
    ['KeyError in key lookup, retried with api_key=3f9a8b7c', `KeyError in key lookup, retried with api_key=${R}`],
    ['{\\"db_password\\" : \\"s3cr3t\\"}', `{\\"db_password\\" : \\"${R}\\"}`],
    ['apikey: 3f9a8b7c6d', `apikey: ${R}`],
    ['X-Goog-Api-Key: k3y-value-1', `X-Goog-Api-Key: ${R}`],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig-nature_x ok', `jwt ${R} ok`],
    ['password=hunter2 user=app', `password=${R} user=app`],
    ['DB_PASSWORD=hunter2', `DB_PASSWORD=${R}`],
    ['PGPASSWORD=x passwd=y pwd=z secret=w token=v', `PGPASSWORD=${R} passwd=${R} pwd=${R} secret=${R} token=${R}`],
    ['DB_PASS: hunter2', `DB_PASS: ${R}`],
    ['spring.datasource.password = s3cret', `spring.datasource.password = ${R}`],
    ['{"password": "p@ss word", "user": "app"}', `{"password": "${R}", "user": "app"}`],
    ['{"dbPassword":"a\\"b"}', `{"dbPassword":"${R}"}`],
    ["settings {'client_secret': 'abc', 'n': 1}", `settings {'client_secret': '${R}', 'n': 1}`],
    ['{\\"token\\":\\"abc\\"}', `{\\"token\\":\\"${R}\\"}`],
    ['host=/cloudsql/p:r:i dbname=app user=app password=s3cret sslmode=disable', `host=/cloudsql/p:r:i dbname=app user=app password=${R} sslmode=disable`],
    ["host=db password='a b c' port=5432", `host=db password='${R}' port=5432`],
    ['jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true', `jdbc:postgresql://db:5432/app?user=app&password=${R}&ssl=true`],
    ['contact alice.smith+ops@example.com now', `contact ${EMAIL} now`],
    ['mail bob@corp.example.co.uk.', `mail ${EMAIL}.`],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redacts PEM private key blocks, including JSON-escaped and truncated ones', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1x\nabc/+==\n-----END RSA PRIVATE KEY-----';
    expect(redactText(`key:\n${pem}\nnext`)).toBe(`key:\n-----BEGIN RSA PRIVATE KEY-----${R}-----END RSA PRIVATE KEY-----\nnext`);
    const escaped = '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN\\n-----END PRIVATE KEY-----\\n"';
    expect(redactText(escaped)).toBe(`"private_key": "${R}"`);
    expect(redactText('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\nQ29=\n')).toBe(`-----BEGIN PRIVATE KEY-----${R}`);
    expect(redactText('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toContain('MIIB');
  });
});

describe('redactText: context that must survive', () => {
  it.each([
    'psycopg2.OperationalError: connection to server at "10.0.0.3", port 5432 failed: FATAL:  password authentication failed for user "app"',
    'fe_sendauth: no password supplied',
    "ModuleNotFoundError: No module named 'app.monitoring'",
    'KeyError: \'DB_PASSWORD\'',
    'Environment variable DB_PASSWORD is not set',
    'password_file=/run/secrets/db',
    'bypass=true cwd=/app compass=north',
    'max_tokens=100 tokenizer=bpe',
    'Invalid token: expired',
    'Failed to access secret: projects/p/secrets/db-password/versions/latest',
    "Permission 'secretmanager.versions.access' denied for resource 'projects/p/secrets/db-pass/versions/3'",
    'postgresql://app@db.example.com:5432/app',
    'connect to 10.0.0.3:5432 user=app@10.0.0.3',
    'http://localhost:8080/health?x=1',
    'Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)',
    'caller does not have permission: my-sa@my-project.iam.gserviceaccount.com',
    'password authentication failed for user "my-sa@my-project.iam"',
    'npm ERR! express@4.18.2 start: node index.js',
    'java.lang.Object@1b6d3586 image@sha256:abcdef',
    'Bearer token invalid',
    '"token_uri": "https://oauth2.googleapis.com/token"',
    '@app.on_event("startup")',
    '',
  ])('%s', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redactText: determinism', () => {
  const samples = [
    'postgresql://app:s3cr3t@10.0.0.3:5432/app and {"password": "x"} and bob@example.com',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig',
    "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----\\n password='x' AIzaSyD-1234567890abcdefghijklmnopqrstu",
    'api_key://<@tcp(', // one rule's marker completing another's pattern
  ];

  it.each(samples)('is idempotent: %s', (s) => {
    expect(redactText(redactText(s))).toBe(redactText(s));
  });

  it('maps texts that differ only in the secret to the same text', () => {
    expect(redactText('mysql://u:aaa@h/db password=one')).toBe(redactText('mysql://u:bbbbbb@h/db password=two-2'));
  });

  it('cuts texts beyond the size limit instead of emitting them unscanned', () => {
    const out = redactText(`${'x'.repeat(300_000)} password=hunter2`);
    expect(out).not.toContain('hunter2');
    expect(out.endsWith('<truncated>')).toBe(true);
  });
});

describe('redactParams / redactValue', () => {
  it('keeps names, redacts secret-named keys and secrets inside values', () => {
    const out = redactParams({ user: 'app', secret: 'db-password', port: 5432, password: 'x', db_token: 7, host: 'db.internal', note: 'a:b@c' });
    expect(out).toEqual({ user: 'app', secret: 'db-password', port: 5432, password: R, db_token: R, host: 'db.internal', note: 'a:b@c' });
    expect(redactParams({ dsn: 'postgresql://u:p@h/d' })).toEqual({ dsn: `postgresql://u:${R}@h/d` });
    expect(redactValue('bob@example.com')).toBe(EMAIL);
    expect(isSecretKey('service_account')).toBe(false);
    expect(isSecretKey('API-KEY')).toBe(true);
  });
});

describe('redactText: properties', () => {
  const secretArb = fc.stringMatching(/^[A-Za-z0-9!#$%*+\-.=^_|~]{6,24}$/).filter((s) => /\d/.test(s));
  const templates = [
    (s: string) => `postgresql://app:${s}@10.0.0.3:5432/app`,
    (s: string) => `redis://default:${s}@cache:6379`,
    (s: string) => `password=${s} sslmode=disable`,
    (s: string) => `{"password": "${s}", "user": "app"}`,
    (s: string) => `DB_PASSWORD: ${s}`,
    (s: string) => `api_key=${s}&q=1`,
    (s: string) => `Authorization: Bearer ${s}`,
    (s: string) => `export SECRET_TOKEN='${s}'`,
    (s: string) => `-----BEGIN EC PRIVATE KEY-----\n${s}\n-----END EC PRIVATE KEY-----`,
    (s: string) => `root:${s}@tcp(db:3306)/app`,
    (s: string) => `{\\"password\\":\\"${s}\\"}`,
    (s: string) => `x-api-key: ${s}`,
  ];

  it('never leaks a secret inserted in a template', () => {
    fc.assert(
      fc.property(secretArb, fc.integer({ min: 0, max: templates.length - 1 }), fc.string(), (secret, i, noise) => {
        // quotes in the surrounding text could pair with the template's; real lines rarely do that
        const clean = noise.replace(/["'\\]/g, '');
        const text = `${clean} ${templates[i]!(secret)} ${clean}`;
        expect(redactText(text)).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and is idempotent on arbitrary text', () => {
    const alphabet = fc.constantFrom(...'ab:/@=."\'\\ \n-_{}<>pPwWdDsStTkK0123456789'.split(''), 'password', 'token', '://', '-----BEGIN PRIVATE KEY-----', 'eyJ', 'AIza', 'Bearer ');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => typeof redactText(text) === 'string'));
  });

  // No wall-clock assertion (speed is measured by benches, not asserted): catastrophic
  // backtracking on these inputs would blow through the test timeout instead.
  it('leaves clean lines unchanged and survives hostile input', () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => `INFO: 10.0.0.${i % 255} - "GET /healthz HTTP/1.1" 200 OK`);
    for (const l of lines) expect(redactText(l)).toBe(l);
    const hostile = ['a'.repeat(200_000), 'eyJ'.repeat(60_000), 'password'.repeat(25_000), 'a@'.repeat(100_000), '-----BEGIN PRIVATE KEY-----'.repeat(8000)];
    for (const h of hostile) {
      const out = redactText(h);
      expect(typeof out).toBe('string');
    }
  });
});

describe('redactHead: a cut never leaves a piece of a secret', () => {
  const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789AB';

  it('redacts a token or URL password that the limit cuts in two', () => {
    for (const secret of [TOKEN, 'postgresql://app:s3cretPassw0rd@10.20.0.3:5432/orders', 'sk_live_abcdefghijklmnop1234']) {
      for (let before = 990; before < 1024; before += 3) {
        const text = `${'z'.repeat(before)} ${secret} tail`;
        const head = redactHead(text, 1024);
        expect(head.length).toBeLessThanOrEqual(1024);
        expect(head, `cut at ${1024 - before - 1} chars into ${secret}`).not.toMatch(/abcdefgh|s3cret|Passw0rd/);
      }
    }
  });

  it('takes no text from past the end of what it redacted, however much the redactions before shrink', () => {
    let text = `api_key=${'A'.repeat(1900)} ${'x'.repeat(119)} postgresql://u:pwd123@db `;
    while (text.length < 2048 + 16 * 1024 - 40) text += `token=${'B'.repeat(1000)} `;
    text = `${text.slice(0, 2048 + 16 * 1024 - 21)} postgresql://app:S3cretPassw0rd@db/x tail`;
    const head = redactHead(text, 2048);
    expect(head).not.toMatch(/pwd123|app:S3/);
    expect(redactText(head)).toBe(head);
  });

  it('never ends in part of a marker, which a second redaction would misread', () => {
    const head = redactHead('see postgresql://u:hunter2@db', 24);
    expect(head).toBe('see postgresql://u:');
    expect(redactText(head)).toBe(head);
  });

  it('is the head redacted alone wherever no secret crosses the cut, so templates stay the same', () => {
    const text = `user bob@example.com failed ${'x'.repeat(1100)} ${TOKEN}`;
    expect(redactHead(text, 1024)).toBe(redactText(text.slice(0, 1024)));
    expect(redactHead('short password=hunter2', 1024)).toBe(redactText('short password=hunter2'));
  });
});

describe('redactText: keys and tokens the trigger once missed', () => {
  it('redacts a fine-grained GitHub token with no "gh" elsewhere in the text', () => {
    expect(redactText('token github_pat_11ABCDEFG0123456789_QWERTYUIOPqwertyuiop0123456789 leaked')).not.toContain('github_pat_');
  });

  it('redacts a quoted pw key as it does pw=', () => {
    expect(redactText('{"pw": "hunter2"}')).toBe(`{"pw": "${REDACTED}"}`);
    expect(redactText("{'pw': 'hunter2'}")).toBe(`{'pw': '${REDACTED}'}`);
  });
});

// What a blind audit of real startup and failure output found leaking (audit 14, 2026-11-29):
// secrets no key word of redact.ts named. Each case: the text, the secret, what must remain.
describe('redactText: secrets the fourteenth audit found', () => {
  it.each([
    ['Azure SAS signature', 'GET https://acme.blob.core.windows.net/c/b?sv=2022-11-02&sp=rl&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg%3D%3D returned 403', 'Zm9vYmFyYmF6cXV4MTIz', '&sig='],
    ['GCS signed URL', 'GET https://storage.googleapis.com/b/o?X-Goog-SignedHeaders=host&X-Goog-Signature=5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d status=403', '5a1b2c3d4e5f6071', 'X-Goog-SignedHeaders=host'],
    ['Django session cookie', "headers: {'cookie': 'sessionid=k7l2m9n4p1q8r3s6t0u5'}", 'k7l2m9n4p1q8r3s6t0u5', 'sessionid='],
    ['Express session cookie', 'Set-Cookie: connect.sid=s%3AaBc123XyZ789qWe456.RtY0uIoPaSdFgHjKlZxCvBnM1234567890abcdef; Path=/; HttpOnly', 'aBc123XyZ789qWe456', 'Path=/'],
    ['Azure account key', 'ConnectionString: DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZ==;EndpointSuffix=core.windows.net', 'Eby8vdM02xNOcqFlqUwJ', 'AccountName=acmestore'],
    ['Redis password without a user', 'consumer: Cannot connect to redis://:R3disCeleryPass@10.0.0.9:6379/0: Error 110', 'R3disCeleryPass', '@10.0.0.9:6379/0'],
    ['Redis password as the whole userinfo', 'Unable to connect to rediss://R3disLettucePass@cache.internal:6380', 'R3disLettucePass', '@cache.internal:6380'],
    ['Oracle thin URL', 'Unable to obtain connection from database (jdbc:oracle:thin:scott/T1gerOracle@//10.0.0.12:1521/ORCL)', 'T1gerOracle', 'jdbc:oracle:thin:scott/'],
    ['SQL Server JDBC URL with @ in the password', 'url=jdbc:sqlserver://10.0.0.11:1433;databaseName=app;user=sa;password=MsSqlS@Passw0rd;encrypt=true', 'MsSqlS@Passw0rd', ';encrypt=true'],
    ['Slack webhook', 'https://hooks.slack.com:443 "POST /services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX HTTP/1.1" 404 9', 'aBcDeFgHiJkLmNoPqRsTuVwX', '/services/T0123ABCD/B0456EFGH/'],
    ['Discord webhook', 'delivery failed: https://discord.com/api/webhooks/1234567890123456789/AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_abcdef', 'AbCdEfGhIjKlMnOpQrSt', '/api/webhooks/1234567890123456789/'],
    ['OpenAI key', 'APIError: 401 Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12.', 'Ab12Cd34Ef56Gh78Ij90', 'Incorrect API key provided:'],
    ['Stripe webhook secret', 'signature verification failed. whsec=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'MfKQ9r8GKYqrTwjUPD8I', 'verification failed.'],
    ['Google OAuth access token', 'request headers [Authorization:"Bearer ya29.a0AfH6SMBx3y4z5AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", Accept:"application/json"]', 'a0AfH6SMBx3y4z5AbCdE', 'Accept:"application/json"'],
    ['ASGI header tuple', "request headers: [(b'host', b'api'), (b'x-api-key', b'kX9mP2qR7sT4vW1yZ3aB5cD8'), (b'user-agent', b'curl/8.0')]", 'kX9mP2qR7sT4vW1yZ3aB5cD8', "(b'user-agent', b'curl/8.0')"],
    // from the review of the first version
    ['ASGI header tuple without a space', "headers [(b'x-functions-key',b'kX9mP2qR7sT4vW1yZ3aB5cD8')]", 'kX9mP2qR7sT4vW1yZ3aB5cD8', "(b'x-functions-key',b'"],
    ['Django cookies dict', "COOKIES={'csrftoken': 'abcdefabcdef1234', 'sessionid': 'k7l2m9n4p1q8r3s6t0u5'}", 'k7l2m9n4p1q8r3s6t0u5', "'sessionid': '"],
    ['PHP session cookie', 'Cookie: PHPSESSID=abcdef0123456789abcd; path=/', 'abcdef0123456789abcd', 'path=/'],
    ['versioned Discord webhook', 'POST https://discord.com/api/v10/webhooks/1234567890123/AbCdEfGhIjKlMnOpQrStUvWxYz-012 failed', 'AbCdEfGhIjKlMnOpQrSt', '/webhooks/1234567890123/'],
    ['SQL Server braced password', 'jdbc:sqlserver://h:1433;user=sa;password={Ms;Sql@pw};encrypt=true', 'Ms;Sql@pw', ';encrypt=true'],
    ['a semicolon in a URL password', 'postgres://app:2024;Summer@db:5432/x', '2024;Summer', '@db:5432/x'],
    ['a token after a URL-encoded character', 'redirect_uri=https%3A%2F%2Fx%2Fcb%3Faccess_token%3Dya29.a0AfH6SMBx3y4z5AbCdEfGhIjKlMnOp&state=1', 'a0AfH6SMBx3y4z5AbCdE', '&state=1'],
    ['a key after a URL-encoded character', 'GET /maps?q=x%26key%3DAIzaSyA1234567890abcdefghijklmnopqrstu HTTP/1.1', 'AIzaSyA1234567890abc', ' HTTP/1.1'],
  ])('%s', (_name, text, secret, kept) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(kept);
    expect(out).toContain(REDACTED);
    expect(redactText(out)).toBe(out);
  });

  it.each([
    'session=expired after 30m',
    'routing sig=SIGTERM to worker 3',
    'redis://cache.internal:6379/0 connected',
    'jdbc:sqlserver://10.0.0.11:1433;databaseName=app;encrypt=true',
    'http://host:8080/users/a@b',
    'Remember to rotate keys',
    'signature=invalid',
    'Transaction signature: 5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW',
    'pod sk-admin-dashboard-7c9f8b6d5-x2k4p restarted',
    'GET /api/webhooks/123456/retry-failed-deliveries-queue',
    'GET /img?w=100&sig=1',
    'token={{ .Values.token }}',
    'Processed session termination for sessionid: 0x14ede63a5a70002',
  ])('leaves a line with no secret as it is: %s', (line) => {
    expect(redactText(line)).toBe(line);
  });
});

// Left by audit 14 and closed in the ninth session: a Secret Manager value logged by name,
// Redis Sentinel URLs; and lines a rule for schemeless user:password@host must leave alone.
describe('redactText: the last audit leftovers', () => {
  it.each([
    ['Secret Manager value by name', 'Secret Manager payload logged by mistake: secret_value=s3cr3tFr0mSecretManager!', 's3cr3tFr0mSecretManager', 'secret_value='],
    ['Redis Sentinel URL', 'Sentinel connect failed: redis+sentinel://S3ntinelPw@sentinel:26379/mymaster', 'S3ntinelPw', '@sentinel:26379/mymaster'],
  ])('%s', (_name, text, secret, kept) => expectRedacted(text, secret, kept));

  it.each([
    'Pulling image "gcr.io/acme/api:1.2.3@sha256:0123abcd"',
    'npm ERR! notarget No matching version found for npm:lodash@4.17.21',
    'ERROR:root@main failed',
    'Listening on [::]:8080@api',
    'consumer orders:0@42 lag 12',
    'at 10:00:00@host',
    'go: github.com/x/y@v1.2.3: invalid version',
    'pkg@npm:1.2.3',
    'scp: user@host:/path',
    'postgres://cache.internal:5432/app',
    // from the review of a schemeless user:password@host rule (dropped): what it took for passwords
    ' - serviceAccount:my-sa@my-proj.iam.gserviceaccount.com',
    '2026-03-01 10:00:00 UTC:10.0.0.5(54321):app@appdb:[12345]:LOG:  connection authorized: user=app database=appdb',
    '#<Thread:0x00007ff9668bb390@puma threadpool 001@./puma/thread_pool.rb:106 sleep>',
    'node: :nonode@nohost',
    '"lodash": "npm:lodash-es@latest"',
  ])('leaves a line with no secret as it is: %s', (line) => {
    expect(redactText(line)).toBe(line);
  });
});

// Tenth session: a DSN given where a host belongs (a host never holds `@`), found by audit 14 and
// by the review of the dropped schemeless rule (/tmp/rev-s9); and the audit's vendor leftovers.
describe('redactText: credentials where a driver prints a host', () => {
  it.each([
    ['libpq, host name', 'could not translate host name "app:S3cr3tPw1@db" to address: Name or service not known', 'S3cr3tPw1', 'app:<redacted>@db"'],
    ['libpq, server running on host', '\tIs the server running on host "app:S3cr3tPw1@10.0.0.5" and accepting', 'S3cr3tPw1', '@10.0.0.5"'],
    ['libpq, @ and $ in the password, dotted host', 'could not translate host name "app:P@ss$w0rd!@db.prod.example.com" to address', 'ss$w0rd', '@db.prod.example.com"'],
    ['libpq, a quote in the password', `could not translate host name "app:Xk9'mP2qr@db" to address`, 'mP2qr', '@db"'],
    ['redis-py, no user', 'Error -2 connecting to :S3cr3tPw1@redis:6379. Name or service not known.', 'S3cr3tPw1', ':<redacted>@redis:6379.'],
    ['Go resolver', 'dial tcp: lookup app:Hunter2!Hunter2@db.svc.cluster.local on 10.0.0.2:53: no such host', 'Hunter2', '@db.svc.cluster.local on'],
    ['Go, colons in the password', 'dial tcp: address app:Xy7:Qw9rT5zz@db:5432: too many colons in address', 'Qw9rT5zz', '@db:5432:'],
    ['Mongo node driver', 'failed to connect to server [admin:S3cr3tPw1@mongo:27017] on first connect', 'S3cr3tPw1', '@mongo:27017]'],
    ['node getaddrinfo', 'Error: getaddrinfo ENOTFOUND app:P@ssw0rd123@db', 'ssw0rd123', '@db'],
    ['pgx', 'failed to connect to `host=app:S3cr3tPw1@db user=postgres database=`: hostname resolving error', 'S3cr3tPw1', 'user=postgres'],
    ['JDBC', 'java.net.UnknownHostException: app:S3cr3tPw1@db', 'S3cr3tPw1', '@db'],
    ['pymongo', 'pymongo.errors.ServerSelectionTimeoutError: admin:S3cr3tPw1@mongo:27017: [Errno -2] Name or service not known', 'S3cr3tPw1', '@mongo:27017:'],
    ['Prisma', "Error: P1001: Can't reach database server at `app:S3cr3tPw1@db`:`5432`", 'S3cr3tPw1', '@db`'],
    ['mysql client', "ERROR 2005 (HY000): Unknown MySQL server host 'app:S3cr3tPw1@db' (-2)", 'S3cr3tPw1', "@db' (-2)"],
    ['urllib3 proxy', "HTTPConnectionPool(host='proxyuser:S3cr3tPw1@proxy', port=3128): Max retries exceeded", 'S3cr3tPw1', "@proxy', port=3128"],
    ['proxy variable', 'HTTPS_PROXY=proxyuser:S3cr3tPw1@proxy:3128', 'S3cr3tPw1', '@proxy:3128'],
    ['a DSN field', '{"dsn":"app:P@ss/w:rd12@db:5432/app"}', 'rd12', '@db:5432/app"}'],
    ['Go DSN, @ and / in the password', 'app:P@ss/w0rd123@tcp(db:3306)/app', 'w0rd123', '@tcp(db:3306)/app'],
    ['Postgres role holding a password', 'django.db.utils.OperationalError: FATAL:  role "app:ParamRolePw" does not exist', 'ParamRolePw', 'role "app:<redacted>" does not exist'],
    ['Twilio SID:token outside auth=', 'curl -u AC1234567890abcdef1234567890abcdef:0a1b2c3d4e5f67890a1b2c3d4e5f6789 https://api.twilio.com', '0a1b2c3d4e5f6789', 'AC1234567890abcdef1234567890abcdef:'],
    ['Twilio auth=', 'POST https://api.twilio.com/2010-04-01/Accounts/AC12/Messages.json auth=AC1234567890abcdef1234567890abcdef:0a1b2c3d4e5f67890a1b2c3d4e5f6789', '0a1b2c3d4e5f6789', 'auth=AC1234567890abcdef1234567890abcdef:'],
    ['PagerDuty routing key', 'PagerDuty integration failed: routing_key=R0123456789ABCDEF0123456789ABCDEF', '0123456789ABCDEF', 'routing_key='],
    ['OAuth code', 'GET /callback?code=4%2F0AX4XfWh1a2b3c4d5e6f&state=xyz 500', '0AX4XfWh1a2b3c', '&state=xyz 500'],
    ['a password confirmation field', 'POST /signup password_confirmation=N3wUs3rPassw0rd failed', 'N3wUs3rPassw0rd', 'password_confirmation='],
  ])('%s', (_name, text, secret, kept) => expectRedacted(text, secret, kept));

  it('redacts a host param holding a password, which its text quoted as a host', () => {
    expect(redactParams({ host: 'app:ParamHostPw@10.0.0.5', hostname: ':pw123456@redis', user: 'app' })).toEqual({ host: `app:${R}@10.0.0.5`, hostname: `:${R}@redis`, user: 'app' });
    expect(redactValue('db.internal:5432', 'host')).toBe('db.internal:5432');
    expect(redactValue('[fe80::1]', 'host')).toBe('[fe80::1]');
  });

  it.each([
    'http://host:8080/users/a@b',
    'could not translate host name "db.internal" to address',
    'dial tcp: lookup _grpclb._tcp.api on 10.0.0.2:53: no such host',
    'ssh: connect to host github.com port 22: Connection timed out',
    'Connecting to deploy@bastion port 22',
    'connecting to sip:alice@10.0.0.5:5060',
    'grpc: addr: "dns:///api.internal:443"',
    'Could not parse SQLAlchemy URL from string \'postgresql+psycopg2://app@db/app\'',
    'FATAL:  role "app" does not exist',
    'password authentication failed for user "app"',
    'Received message routing_key=orders.created exchange=events',
    'auth=none for client 10.0.0.5',
    'GET /verify?code=42 400',
    'Member serviceAccount:sa@p.iam.gserviceaccount.com lacks run.invoker',
    ' - serviceAccount:my-sa@my-proj.iam.gserviceaccount.com',
    // from the review of the first version (/tmp/rev-s10): lines it took passwords from
    'pods is forbidden: User "system:serviceaccount:monitoring:prometheus" cannot list resource "pods" in API group "" at the cluster scope',
    'Error: assuming role "arn:aws:iam::123456789012:role/deploy": operation error STS: AssumeRole',
    'Error: unable to find user "1000:1000": no matching entries in passwd file',
    '{"level":"info","host":"0.0.0.0:8080","image":"gcr.io/my-proj/api@sha256:9f86d081884c7d659a2feaa0c55ad015"}',
    'failover elected new master at address 10.0.0.5:6379@16379',
    'connect to jdbc:oracle:thin:@database.my.net:1521:BLUE',
    'GET /checkout?code=SUMMERSALE&cart=42 200',
    'Received message routing_key=order_created_events_v2 exchange=events',
  ])('leaves a line with no secret as it is: %s', (line) => {
    expect(redactText(line)).toBe(line);
  });
});

// Twelfth session: the leaks carried since the tenth (a DSN with no scheme nor lead word, a token
// as a URL's user, a password in prose), each with the lines its rule must leave alone.
describe('redactText: a bare DSN, a token as a URL user, a password in prose', () => {
  it.each([
    ['bare DSN', 'dsn app:s3cr3tPw9@10.0.0.3:5432/appdb failed', 's3cr3tPw9', 'app:<redacted>@10.0.0.3:5432/appdb failed'],
    ['bare DSN, dotted host, at the end', 'connecting as app:Xk9mP2qr!@db.internal.example:6543', 'Xk9mP2qr', '@db.internal.example:6543'],
    ['token as a URL user', 'cloning https://a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0@dev.azure.com/org/proj/_git/repo', 'a1b2c3d4e5f6a7b8c9d0', 'https://<redacted>@dev.azure.com/org/proj'],
    ['Sentry DSN key', 'sentry init dsn=https://0123456789abcdef0123456789abcdef@o450000.ingest.sentry.io/5500000', '0123456789abcdef', '@o450000.ingest.sentry.io/5500000'],
    ['password in prose', 'login failed: the password is hunter2secret', 'hunter2secret', 'the password is <redacted>'],
    ['password in prose, colon', 'debug: the password is: s3cr3t!x', 's3cr3t!x', 'the password is: <redacted>'],
    ['with password', 'retrying with password Tr0ub4dor for user app', 'Tr0ub4dor', 'for user app'],
    // from the review of the first version (/tmp/rev12): what it still let through
    ['prose, was set to', 'password was set to Hunter2!x for app', 'Hunter2!x', 'password was set to <redacted> for app'],
    ['prose, has been reset to', 'db password has been reset to Xk9-mP2q', 'Xk9-mP2q', 'has been reset to <redacted>'],
    ['MySQL first start', 'A temporary password is generated for root@localhost: Fy;dK8(wq2lq', 'Fy;dK8(wq2lq', 'root@localhost: <redacted>'],
    ['prose, for user', "The password for user 'app' is S3cr3t!Pw", 'S3cr3t!Pw', "for user 'app' is <redacted>"],
    ['prose, using', 'connecting using password Hunter2!x', 'Hunter2!x', 'using password <redacted>'],
    ['prose, with the', 'retrying with the password Tr0ub4dor', 'Tr0ub4dor', 'with the password <redacted>'],
    ['prose, quoted with a space', 'the password is "Summer 2024!"', 'Summer 2024', 'the password is "<redacted>"'],
    ['prose, a quote inside', "the password is P'ssw0rd123", 'ssw0rd123', 'the password is <redacted>'],
    ['prose, prefixed key', 'new_password is Hunter2x', 'Hunter2x', 'new_password is <redacted>'],
    ['bare DSN, @ in the password', 'dsn app:P@ssw0rd@db:5432/app failed', 'ssw0rd', 'app:<redacted>@db:5432/app'],
    ['bare DSN, numeric password', 'dsn app:12345678@db:5432/app failed', '12345678', 'app:<redacted>@db:5432/app'],
    ['bare DSN, port then a colon', 'pq: app:S3cr3tPw9@db:5432: connection refused', 'S3cr3tPw9', '@db:5432: connection refused'],
    ['bare DSN, port then a period', 'could not reach app:S3cr3tPw9@db:5432.', 'S3cr3tPw9', '@db:5432.'],
    ['GitHub token with x-oauth-basic', 'git clone https://0123456789abcdef0123456789abcdef01234567:x-oauth-basic@github.com/org/repo.git', '0123456789abcdef01234567', 'https://<redacted>@github.com/org/repo.git'],
    // from the second review (/tmp/rev12b)
    ['prose, in compact JSON', '{"msg":"login ok, password is Hunter2x","user":"bob","ip":"10.0.0.5"}', 'Hunter2x', 'password is <redacted>","user":"bob","ip":"10.0.0.5"}'],
    ['prose, a dollar sign that is no placeholder', 'the password is $ecretPa55!', 'ecretPa55', 'the password is <redacted>'],
    ['prose, setting to', 'Resetting password to S3cr3t!Pw for user app', 'S3cr3t!Pw', 'password to <redacted> for user app'],
    ['prose, updated to', 'password updated to S3cr3t!Pw', 'S3cr3t!Pw', 'password updated to <redacted>'],
    ['prose, is now', 'Your new password is now S3cr3t!Pw', 'S3cr3t!Pw', 'is now <redacted>'],
    ['prose, of user', 'The password of user app is S3cr3t!Pw', 'S3cr3t!Pw', 'of user app is <redacted>'],
    ['prose, for user then a colon', 'password for app: S3cr3t!Pw', 'S3cr3t!Pw', 'password for app: <redacted>'],
    ['prose, for user on database', 'Password for user "app" on database "prod" is S3cr3t!Pw', 'S3cr3t!Pw', 'on database "prod" is <redacted>'],
    ['SQL literal, ALTER USER', "LOG:  statement: ALTER USER app WITH ENCRYPTED PASSWORD 'S3cr3t!Pw'", 'S3cr3t!Pw', "ENCRYPTED PASSWORD '<redacted>'"],
    ['SQL literal, CREATE ROLE', "STATEMENT:  CREATE ROLE app LOGIN PASSWORD 'plainword';", 'plainword', "LOGIN PASSWORD '<redacted>';"],
    ['prose, escaped quotes in JSON', String.raw`{"msg":"the password is \"Summer 2024!\""}`, 'Summer 2024', String.raw`the password is \"<redacted>\"`],
    ['prose, a no-break space', 'the password is\u00a0Hunter2!x', 'Hunter2!x', 'the password is\u00a0<redacted>'],
    ['MySQL IDENTIFIED BY', "Query: CREATE USER 'app'@'%' IDENTIFIED BY 'plainword'", 'plainword', "IDENTIFIED BY '<redacted>'"],
    ["Go's %+v of a config", '{Port:8080 DatabaseURL:app:S3cr3t9@db:5432/app}', 'S3cr3t9', 'DatabaseURL:app:<redacted>@db:5432/app}'],
  ])('%s', (_name, text, secret, kept) => expectRedacted(text, secret, kept));

  it.each([
    'login failed: the password is incorrect',
    'password is too short (min 12 characters)',
    'Password was changed 3 days ago',
    'password is set to expire in 30 days',
    'connecting with password authentication to 10.0.0.3:5432',
    'password (8 characters at least) required',
    'consumer orders:0@kafka-0:9092 lag 12',
    'git clone https://oauth2@gitlab.com/group/repo.git',
    'pip install git+https://github.com/org/pkg.git@0123456789abcdef0123456789abcdef0123abcd',
    'Pulling gcr.io/acme/api:1.2.3@sha256:0123abcd',
    'tel:alice@10.0.0.5:5060 registered',
    // Loghub Hadoop: a thread named for its user and name node
    '2015-10-18 18:01:52,345 WARN [LeaseRenewer:msrabi@msra-sa-41:9000] org.apache.hadoop.ipc.Client: Address change detected.',
    'renewer hdfs:hdfs@namenode:8020 started',
    // from the review of the first version (/tmp/rev12): what it took for secrets
    'spark.read.parquet("abfss://bronze-layer-v2-prod@acmedatalake.dfs.core.windows.net/sales")',
    'wasbs://hdinsight-cluster-2023@acmestorage.blob.core.windows.net/user/hive',
    'git clone https://contoso-engineering-01@dev.azure.com/contoso-engineering-01/Web/_git/web',
    'ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-2.amazonaws.com/v1/repos/MyDemoRepo',
    'ssh://jenkins-builder-svc-01@gerrit.corp.example.com:29418/platform/repo',
    '[akka://order-service-system-v2@10.0.0.5:25520] started',
    'ValidationError: password (8-64 characters) is required',
    'Upgraded password (pbkdf2_sha256) for user 42',
    'Verifying password (SCRAM-SHA-256) for user "app"',
    'passphrase (ed25519) loaded',
    'Error: password is required!',
    'Your password is expired!',
    '[entrypoint] PWD is /srv/app-1.2.3',
    'password is ${DB_PASSWORD}',
    'INFO:Worker-1@10.0.0.5:8080 registered',
    'Contact: <SIP:+15551234567@10.0.0.5:5060>',
    // from the second review (/tmp/rev12b)
    '2024-01-01 10:00:00,123 INFO  [LeaseRenewer:spark_svc@nn1:8020] hdfs.LeaseRenewer: renewed',
    '{"error":"password is required","field":"password","code":400}',
    '{"level":"info","msg":"password was changed","user_id":42}',
    '<error field="password">password is required</error><code>1001</code>',
    'password is incorrect;retries=2',
    'password is (null)',
    'Password is (not set)',
    'Decrypting key with passphrase (attempt 1 of 3)',
    'password is base64-encoded',
    'password is SHA256-hashed',
    'Password is 8-64 characters',
    'the password is $DB_PASSWORD',
  ])('leaves a line with no secret as it is: %s', (line) => {
    expect(redactText(line)).toBe(line);
  });

  it.each([
    '#<Thread:0x00007f8b1c8b0e28@worker.rb:25 run> terminated with exception (report_on_exception is true):',
    '<Sip:alice.smith@pbx.example.com:5060>',
  ])('takes no password from an address the email rule may take: %s', (line) => {
    expect(redactText(line)).not.toContain(':<redacted>@');
  });
});
