import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fragmentKind, parseStack, stackFingerprintInput, unmatchedFragmentKind } from '../../../functions/core/classify/stack.js';
import { classified, runEntry } from '../../helpers/entries.js';

const FASTAPI_LIFESPAN = `ERROR:    Traceback (most recent call last):
  File "/usr/local/lib/python3.11/asyncio/tasks.py", line 500, in wait_for
    return fut.result()
           ^^^^^^^^^^^^
asyncio.exceptions.CancelledError

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/app/db.py", line 52, in init_database
    await asyncio.wait_for(engine_connect(), timeout=timeout)
  File "/usr/local/lib/python3.11/asyncio/tasks.py", line 502, in wait_for
    raise exceptions.TimeoutError() from exc
TimeoutError

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/starlette/routing.py", line 677, in lifespan
    async with self.lifespan_context(app) as maybe_state:
  File "/usr/local/lib/python3.11/contextlib.py", line 204, in __aenter__
    return await anext(self.gen)
           ^^^^^^^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.11/site-packages/fastapi/routing.py", line 133, in merged_lifespan
    async with original_context(app) as maybe_original_state:
  File "/usr/local/lib/python3.11/contextlib.py", line 204, in __aenter__
    return await anext(self.gen)
           ^^^^^^^^^^^^^^^^^^^^^
  File "/app/app/main.py", line 41, in lifespan
    await init_database(settings)
  File "/app/app/db.py", line 58, in init_database
    raise RuntimeError(f"Phase 3 database initialization timeout after {timeout}s") from exc
RuntimeError: Phase 3 database initialization timeout after 20.0s

ERROR:    Application startup failed. Exiting.`;

const ASYNCPG_TIMEOUT = `Traceback (most recent call last):
  File "/app/.venv/lib/python3.12/site-packages/asyncpg/connect_utils.py", line 873, in __connect_addr
    tr, pr = await connector
             ^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.12/asyncio/base_events.py", line 1098, in create_connection
    sock = await self._connect_sock(
           ^^^^^^^^^^^^^^^^^^^^^^^^^
asyncio.exceptions.CancelledError

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/main.py", line 20, in <module>
    asyncio.run(main())
  File "/usr/local/lib/python3.12/asyncio/runners.py", line 194, in run
    return runner.run(main)
           ^^^^^^^^^^^^^^^^
  File "/app/main.py", line 14, in main
    conn = await asyncpg.connect(dsn, timeout=10)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/app/.venv/lib/python3.12/site-packages/asyncpg/connection.py", line 2329, in connect
    async with compat.timeout(timeout):
  File "/usr/local/lib/python3.12/asyncio/timeouts.py", line 115, in __aexit__
    raise TimeoutError from exc_val
TimeoutError`;

const SQLALCHEMY_PSYCOPG2 = `Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 145, in __init__
    self._dbapi_connection = engine.raw_connection()
                             ^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.11/site-packages/psycopg2/__init__.py", line 122, in connect
    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
psycopg2.OperationalError: connection to server at "10.0.0.3", port 5432 failed: Connection timed out
\tIs the server running on that host and accepting TCP/IP connections?


The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/workspace/main.py", line 9, in <module>
    with engine.connect() as conn:
         ^^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 3268, in connect
    return self._connection_cls(self)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/local/lib/python3.11/site-packages/psycopg2/__init__.py", line 122, in connect
    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "10.0.0.3", port 5432 failed: Connection timed out
\tIs the server running on that host and accepting TCP/IP connections?

(Background on this error at: https://sqlalche.me/e/20/e3q8)`;

const GUNICORN_IMPORT = `[2026-03-01 10:00:01 +0000] [8] [ERROR] Exception in worker process
Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker
    worker.init_process()
  File "/usr/local/lib/python3.11/site-packages/gunicorn/workers/base.py", line 134, in init_process
    self.load_wsgi()
  File "<frozen importlib._bootstrap>", line 1204, in _gcd_import
  File "/app/app/__init__.py", line 3, in <module>
    from app.monitoring import setup
ModuleNotFoundError: No module named 'app.monitoring'
[2026-03-01 10:00:01 +0000] [8] [INFO] Worker exiting (pid: 8)`;

const DURING_HANDLING = `Traceback (most recent call last):
  File "/app/config.py", line 7, in load
    return os.environ["DATABASE_URL"]
           ~~~~~~~~~~^^^^^^^^^^^^^^^^
  File "<frozen os>", line 679, in __getitem__
KeyError: 'DATABASE_URL'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/main.py", line 3, in <module>
    settings = load()
  File "/app/config.py", line 9, in load
    raise ConfigError("DATABASE_URL is not set")
config.ConfigError: DATABASE_URL is not set`;

const EXCEPTION_GROUP = `  + Exception Group Traceback (most recent call last):
  |   File "/app/main.py", line 12, in <module>
  |     asyncio.run(main())
  |   File "/app/main.py", line 8, in main
  |     async with asyncio.TaskGroup() as tg:
  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
  +-+---------------- 1 ----------------
    | Traceback (most recent call last):
    |   File "/app/main.py", line 5, in init_cache
    |     raise ConnectionRefusedError(111, "Connect call failed ('10.0.0.5', 6379)")
    | ConnectionRefusedError: [Errno 111] Connect call failed ('10.0.0.5', 6379)
    +------------------------------------`;

const SPRING_HIKARI = `2026-03-01T10:00:03.123Z ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed

org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'entityManagerFactory': Failed to initialize dependency 'dataSourceScriptDatabaseInitializer'
\tat org.springframework.beans.factory.support.AbstractBeanFactory.doGetBean(AbstractBeanFactory.java:326) ~[spring-beans-6.1.4.jar!/:6.1.4]
\tat org.springframework.context.support.AbstractApplicationContext.refresh(AbstractApplicationContext.java:618) ~[spring-context-6.1.4.jar!/:6.1.4]
\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:334) ~[spring-boot-3.2.3.jar!/:3.2.3]
\tat com.example.demo.DemoApplication.main(DemoApplication.java:10) ~[!/:0.0.1-SNAPSHOT]
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103) ~[na:na]
\tat org.springframework.boot.loader.launch.JarLauncher.main(JarLauncher.java:58) ~[app.jar:0.0.1-SNAPSHOT]
Caused by: org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSourceScriptDatabaseInitializer'
\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1786) ~[spring-beans-6.1.4.jar!/:6.1.4]
\t... 21 common frames omitted
Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: The connection attempt failed.
\tat com.zaxxer.hikari.pool.HikariPool.throwPoolInitializationException(HikariPool.java:606) ~[HikariCP-5.0.1.jar!/:na]
\tat com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:593) ~[HikariCP-5.0.1.jar!/:na]
\t... 30 common frames omitted
Caused by: org.postgresql.util.PSQLException: The connection attempt failed.
\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:354) ~[postgresql-42.6.1.jar!/:42.6.1]
\t... 40 common frames omitted
Caused by: java.net.SocketTimeoutException: Connect timed out
\tat java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:546) ~[na:na]
\tat java.base/java.net.Socket.connect(Socket.java:751) ~[na:na]
\t... 50 common frames omitted
`;

const JAVA_MAIN = `Exception in thread "main" java.lang.IllegalStateException: Failed to connect
\tat com.example.App.lambda$main$0(App.java:42)
\tat com.example.App$$Lambda/0x000000080100a000.run(Unknown Source)
\tat com.example.App.main(App.java:12)
\tSuppressed: java.lang.RuntimeException: close failed
\t\tat com.example.App.close(App.java:50)
Caused by: java.net.ConnectException: Connection refused
\tat java.base/sun.nio.ch.Net.connect0(Native Method)
\t... 2 more`;

const NODE_ESM = `node:internal/process/esm_loader:40
      internalBinding('errors').triggerUncaughtException(
                                ^

Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/index.js
    at packageResolve (node:internal/modules/esm/resolve:844:9)
    at moduleResolve (node:internal/modules/esm/resolve:901:20)
    at defaultResolve (node:internal/modules/esm/resolve:1131:11)
    at ModuleLoader.resolve (node:internal/modules/esm/loader:359:25)
    at ModuleWrap.<anonymous> (node:internal/modules/esm/module_job:85:39)
    at link (node:internal/modules/esm/module_job:84:36) {
  code: 'ERR_MODULE_NOT_FOUND'
}

Node.js v20.11.1`;

const NODE_CJS = `node:internal/modules/cjs/loader:1147
  throw err;
  ^

Error: Cannot find module 'express'
Require stack:
- /app/index.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1144:15)
    at Module._load (node:internal/modules/cjs/loader:985:27)
    at require (node:internal/modules/helpers:176:18)
    at Object.<anonymous> (/app/index.js:1:17)
    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:135:12) {
  code: 'MODULE_NOT_FOUND',
  requireStack: [ '/app/index.js' ]
}

Node.js v20.11.1`;

const NODE_CAUSE = `/app/server.js:20
    throw new Error('startup failed', { cause: err });
    ^

Error: startup failed
    at start (/app/server.js:20:11)
    at async Promise.all (index 0)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {
  [cause]: Error: connect ECONNREFUSED 10.0.0.3:5432
      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
    errno: -111,
    code: 'ECONNREFUSED',
    syscall: 'connect',
    address: '10.0.0.3',
    port: 5432
  }
}`;

const GO_PANIC = `panic: failed to connect to database: dial tcp 10.0.0.3:5432: connect: connection timed out

goroutine 1 [running]:
main.mustConnect({0xc000014150, 0x3a})
\t/app/main.go:27 +0x1e5
main.main()
\t/app/main.go:14 +0x65
exit status 2`;

const GO_NIL = `panic: runtime error: invalid memory address or nil pointer dereference [recovered]
\tpanic: close of nil channel
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b8f2a]

goroutine 1 [running]:
github.com/acme/api/internal/db.(*Store).Ping(0x0, {0x8f1e20, 0xc0000a2000})
\t/src/internal/db/store.go:41 +0x2a
main.main()
\t/src/cmd/api/main.go:33 +0x1c5

goroutine 7 [select]:
net/http.(*Server).Serve(0xc000100000)
\t/usr/local/go/src/net/http/server.go:3056 +0x3a5
created by main.main in goroutine 1
\t/src/cmd/api/main.go:20 +0x8c`;

describe('parseStack: Python', () => {
  it('reads a FastAPI lifespan failure: final exception first, causes nearest first', () => {
    const s = parseStack(FASTAPI_LIFESPAN)!;
    expect(s.language).toBe('python');
    expect(s.exceptions.map((e) => e.type)).toEqual(['RuntimeError', 'TimeoutError', 'asyncio.exceptions.CancelledError']);
    expect(s.exceptions[0]).toEqual({
      type: 'RuntimeError',
      message: 'Phase 3 database initialization timeout after 20.0s',
      text: 'RuntimeError: Phase 3 database initialization timeout after 20.0s',
    });
    expect(s.exceptions[1]!.message).toBe('');
    expect(s.rootIndex).toBe(2);
    expect(s.frames).toEqual([
      'starlette.routing:lifespan',
      'contextlib:__aenter__',
      'fastapi.routing:merged_lifespan',
      'contextlib:__aenter__',
      'app.main:lifespan',
      'app.db:init_database',
    ]);
    expect(stackFingerprintInput(s)).toBe(
      'python|RuntimeError<TimeoutError<asyncio.exceptions.CancelledError|starlette.routing:lifespan>contextlib:__aenter__>fastapi.routing:merged_lifespan>contextlib:__aenter__>app.main:lifespan>app.db:init_database',
    );
  });

  it('reads an asyncpg connect timeout with a bare TimeoutError and .venv frames', () => {
    const s = parseStack(ASYNCPG_TIMEOUT)!;
    expect(s.exceptions.map((e) => e.text)).toEqual(['TimeoutError', 'asyncio.exceptions.CancelledError']);
    expect(s.frames).toEqual(['main:<module>', 'asyncio.runners:run', 'main:main', 'asyncpg.connection:connect', 'asyncio.timeouts:__aexit__']);
  });

  it('keeps multi-line messages of a SQLAlchemy-wrapped psycopg2 error', () => {
    const s = parseStack(SQLALCHEMY_PSYCOPG2)!;
    const [final, cause] = s.exceptions;
    expect(final!.type).toBe('sqlalchemy.exc.OperationalError');
    expect(final!.text).toBe(
      'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "10.0.0.3", port 5432 failed: Connection timed out',
    );
    expect(final!.message).toContain('\tIs the server running on that host');
    expect(final!.message.endsWith('(Background on this error at: https://sqlalche.me/e/20/e3q8)')).toBe(true);
    expect(cause!.type).toBe('psycopg2.OperationalError');
    expect(cause!.message.endsWith('accepting TCP/IP connections?')).toBe(true);
    expect(s.frames[0]).toBe('main:<module>');
  });

  it('reads gunicorn worker tracebacks and stops at the next log record', () => {
    const s = parseStack(GUNICORN_IMPORT)!;
    expect(s.exceptions).toEqual([
      { type: 'ModuleNotFoundError', message: "No module named 'app.monitoring'", text: "ModuleNotFoundError: No module named 'app.monitoring'" },
    ]);
    expect(s.frames).toEqual(['gunicorn.arbiter:spawn_worker', 'gunicorn.workers.base:init_process', 'importlib._bootstrap:_gcd_import', 'app:<module>']);
  });

  it('orders "During handling" chains like direct causes', () => {
    const s = parseStack(DURING_HANDLING)!;
    expect(s.exceptions.map((e) => e.type)).toEqual(['config.ConfigError', 'KeyError']);
    expect(s.frames).toEqual(['main:<module>', 'config:load']);
  });

  it('puts exception-group members after the group', () => {
    const s = parseStack(EXCEPTION_GROUP)!;
    expect(s.exceptions.map((e) => e.type)).toEqual(['ExceptionGroup', 'ConnectionRefusedError']);
    expect(s.rootIndex).toBe(1);
    expect(s.frames).toEqual(['main:<module>', 'main:main']);
  });
});

describe('parseStack: Java', () => {
  it('reads a Spring Boot HikariCP failure: top-level first, root cause last', () => {
    const s = parseStack(SPRING_HIKARI)!;
    expect(s.language).toBe('java');
    expect(s.exceptions.map((e) => e.type)).toEqual([
      'org.springframework.beans.factory.BeanCreationException',
      'org.springframework.beans.factory.BeanCreationException',
      'com.zaxxer.hikari.pool.HikariPool$PoolInitializationException',
      'org.postgresql.util.PSQLException',
      'java.net.SocketTimeoutException',
    ]);
    expect(s.rootIndex).toBe(4);
    expect(s.exceptions[4]!.text).toBe('java.net.SocketTimeoutException: Connect timed out');
    expect(s.frames[0]).toBe('org.springframework.boot.loader.launch.JarLauncher.main');
    expect(s.frames).toContain('jdk.internal.reflect.DirectMethodHandleAccessor.invoke');
    expect(s.frames.at(-1)).toBe('org.springframework.beans.factory.support.AbstractBeanFactory.doGetBean');
  });

  it('reads a tail that starts at "Caused by:"', () => {
    const s = parseStack('Caused by: org.postgresql.util.PSQLException: FATAL: too many connections\n\tat org.postgresql.Driver.connect(Driver.java:297)')!;
    expect(s.exceptions.map((e) => e.type)).toEqual(['org.postgresql.util.PSQLException']);
    expect(s.frames).toEqual(['org.postgresql.Driver.connect']);
  });

  it('reads "Exception in thread", skips suppressed blocks, normalises lambdas', () => {
    const s = parseStack(JAVA_MAIN)!;
    expect(s.exceptions).toEqual([
      { type: 'java.lang.IllegalStateException', message: 'Failed to connect', text: 'java.lang.IllegalStateException: Failed to connect' },
      { type: 'java.net.ConnectException', message: 'Connection refused', text: 'java.net.ConnectException: Connection refused' },
    ]);
    expect(s.frames).toEqual(['com.example.App.main', 'com.example.App$$Lambda.run', 'com.example.App.lambda$main$']);
  });

  it("reads a throwable printed one tab in under its record (Tomcat's JULI), causes included", () => {
    const tomcat = [
      'Failed to initialize component [Connector[HTTP/1.1-8080]]',
      '\torg.apache.catalina.LifecycleException: Protocol handler initialization failed',
      '\t\tat org.apache.catalina.connector.Connector.initInternal(Connector.java:1049)',
      '\tCaused by: java.net.BindException: Address already in use',
      '\t\tat java.base/sun.nio.ch.Net.bind0(Native Method)',
    ].join('\n');
    const s = parseStack(tomcat)!;
    expect(s.exceptions.map((e) => e.type)).toEqual(['org.apache.catalina.LifecycleException', 'java.net.BindException']);
    expect(s.rootIndex).toBe(1);
    expect(s.frames).toEqual(['org.apache.catalina.connector.Connector.initInternal']);
    // a trace at column 0 whose every other line is indented (frames, a suppressed block) is read as before
    expect(parseStack(JAVA_MAIN.split('\n').slice(0, 6).join('\n'))!.exceptions.map((e) => e.type)).toEqual(['java.lang.IllegalStateException']);
    // so is a stackless exception whose only frames are a suppressed one's
    const stackless = ['java.lang.IllegalStateException: pool closed', '\tSuppressed: java.io.IOException: close failed', '\t\tat com.example.Pool.close(Pool.java:9)', '\t\t... 3 more'].join('\n');
    expect(parseStack(stackless)?.exceptions[0]?.message ?? 'not a stack').not.toContain('Suppressed');
  });
});

describe('parseStack: Node and Go', () => {
  it('reads ESM ERR_MODULE_NOT_FOUND with its code', () => {
    const s = parseStack(NODE_ESM)!;
    expect(s.language).toBe('node');
    expect(s.exceptions).toEqual([
      {
        type: 'Error',
        code: 'ERR_MODULE_NOT_FOUND',
        message: "Cannot find package 'express' imported from /app/index.js",
        text: "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/index.js",
      },
    ]);
    expect(s.frames[0]).toBe('node:internal/modules/esm/module_job:link');
    expect(stackFingerprintInput(s).startsWith('node|Error[ERR_MODULE_NOT_FOUND]|')).toBe(true);
  });

  it('reads CJS MODULE_NOT_FOUND with the require stack in the message', () => {
    const s = parseStack(NODE_CJS)!;
    expect(s.exceptions[0]).toMatchObject({ type: 'Error', code: 'MODULE_NOT_FOUND', message: "Cannot find module 'express'\nRequire stack:\n- /app/index.js" });
    expect(s.frames).toContain('index:Object.<anonymous>');
    expect(s.frames[0]).toBe('node:internal/modules/run_main:Function.executeUserEntryPoint');
  });

  it("keeps a message across blank lines: Prisma's invocation line, then what failed", () => {
    const prisma = [
      'PrismaClientKnownRequestError: ',
      'Invalid `prisma.user.findMany()` invocation:',
      '',
      '',
      'Timed out fetching a new connection from the connection pool. (Current connection pool timeout: 10, connection limit: 5)',
      '    at Cn.handleRequestError (/app/node_modules/@prisma/client/runtime/library.js:121:7749)',
      '    at async main (/app/src/index.js:12:3) {',
      "  code: 'P2024',",
      '}',
    ].join('\n');
    const s = parseStack(prisma)!;
    expect(s.exceptions[0]).toMatchObject({ type: 'PrismaClientKnownRequestError', code: 'P2024' });
    expect(s.exceptions[0]!.message).toContain('Timed out fetching a new connection');
    expect(s.frames).toEqual(['src/index:main', '@prisma/client/runtime/library:Cn.handleRequestError']);
  });

  it('reads [cause] chains and assigns codes by indentation', () => {
    const s = parseStack(NODE_CAUSE)!;
    expect(s.exceptions.map((e) => [e.type, e.message, e.code])).toEqual([
      ['Error', 'startup failed', undefined],
      ['Error', 'connect ECONNREFUSED 10.0.0.3:5432', 'ECONNREFUSED'],
    ]);
    expect(s.rootIndex).toBe(1);
    expect(s.frames).toEqual(['node:internal/process/task_queues:process.processTicksAndRejections', '<native>:Promise.all', 'server:start']);
  });

  it('reads a Go panic', () => {
    const s = parseStack(GO_PANIC)!;
    expect(s.language).toBe('go');
    expect(s.exceptions).toEqual([
      {
        type: 'panic',
        message: 'failed to connect to database: dial tcp 10.0.0.3:5432: connect: connection timed out',
        text: 'panic: failed to connect to database: dial tcp 10.0.0.3:5432: connect: connection timed out',
      },
    ]);
    expect(stackFingerprintInput(s)).toBe('go|panic|main.main>main.mustConnect');
  });

  it('reads re-panics, leaves out the signal line (addresses, which a split-off panic line lacks), and reads only the first goroutine', () => {
    const s = parseStack(GO_NIL)!;
    expect(s.exceptions.map((e) => e.message)).toEqual([
      'close of nil channel',
      'runtime error: invalid memory address or nil pointer dereference',
    ]);
    expect(s.frames).toEqual(['main.main', 'github.com/acme/api/internal/db.(*Store).Ping']);
  });
});

describe('parseStack: not a stack', () => {
  it.each([
    '',
    'RuntimeError: Phase 3 database initialization timeout after 20.0s',
    'INFO:     Started server process [1]\nINFO:     Waiting for application startup.',
    '***************************\nAPPLICATION FAILED TO START\n***************************\n\nDescription:\n\nFailed to configure a DataSource',
    'panic: boom\nexit status 2',
    'Error: boom\nsomething else',
  ])('%j', (text) => {
    expect(parseStack(text)).toBeNull();
  });

  it('keeps the head and the tail of a huge trace', () => {
    const middle = Array.from({ length: 4000 }, (_, i) => `\tat com.example.Deep.level${i}(Deep.java:${i})`).join('\n');
    const text = `java.lang.IllegalStateException: top\n${middle}\nCaused by: java.net.ConnectException: Connection refused\n\t... 4000 more`;
    const s = parseStack(text)!;
    expect(s.exceptions.map((e) => e.type)).toEqual(['java.lang.IllegalStateException', 'java.net.ConnectException']);
    expect(s.frames.length).toBeLessThanOrEqual(200);
  });
});

describe('fragmentKind', () => {
  it.each([
    ['Traceback (most recent call last):', 'traceback_header'],
    ['ERROR:    Traceback (most recent call last):', 'traceback_header'],
    ['  + Exception Group Traceback (most recent call last):', 'traceback_header'],
    ['  File "/app/main.py", line 12, in <module>', 'frame'],
    ['File "/usr/local/lib/python3.11/site-packages/uvicorn/main.py", line 410, in main', 'frame'],
    ['  |   File "/app/main.py", line 5, in init_cache', 'frame'],
    ['    await init_database(settings)', 'source'],
    ['    raise RuntimeError(f"Phase 3 timeout") from exc', 'source'],
    ['    conn = await asyncpg.connect(dsn, timeout=10)', 'source'],
    ['    return os.environ["DATABASE_URL"]', 'source'],
    ['    from app.monitoring import setup', 'source'],
    ['    async with self.lifespan_context(app) as maybe_state:', 'source'],
    ['    )', 'source'],
    ['           ^^^^^^^^^^^^^^^^^^^^^', 'caret'],
    ['           ~~~~~~~~~~^^^^^^^^^^^^^^^^', 'caret'],
    ['The above exception was the direct cause of the following exception:', 'chain_separator'],
    ['During handling of the above exception, another exception occurred:', 'chain_separator'],
    ['  +-+---------------- 1 ----------------', 'chain_separator'],
    ['\tat com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:593) ~[HikariCP-5.0.1.jar!/:na]', 'java_frame'],
    ['\tat java.base/sun.nio.ch.Net.connect0(Native Method)', 'java_frame'],
    ['at java.base/java.lang.Thread.run(Thread.java:833)', 'java_frame'],
    ['\t... 42 more', 'java_more'],
    ['\t... 21 common frames omitted', 'java_more'],
    ['    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)', 'node_frame'],
    ['    at /app/index.js:3:9', 'node_frame'],
    ['    at async Promise.all (index 0)', 'node_frame'],
    ['    at link (node:internal/modules/esm/module_job:84:36) {', 'node_frame'],
    ['goroutine 1 [running]:', 'go_goroutine'],
    ['main.main()', 'go_frame'],
    ['\t/app/main.go:12 +0x1d', 'go_frame'],
    ['github.com/jackc/pgx/v5/pgxpool.(*Pool).Acquire(0xc0001a2000, {0x9a8b40, 0xc0000b6000})', 'go_frame'],
    ['created by net/http.(*Server).Serve in goroutine 1', 'go_frame'],
    ['  File "/app/main.py", line 12, in <module>\n', 'frame'],
    ["\tfrom /app/config/application.rb:12:in 'block in <main>'", 'ruby_frame'],
    ["\tfrom /usr/local/bundle/gems/pg-1.5.4/lib/pg/connection.rb:695:in `async_connect_or_reset'", 'ruby_frame'],
    ['\t ... 9 levels...', 'ruby_frame'],
    ['   at Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout) in /src/Api/Db.cs:line 42', 'dotnet_frame'],
    ['   at Program.<Main>$(String[] args) in /src/Api/Program.cs:line 31', 'dotnet_frame'],
    ['   --- End of inner exception stack trace ---', 'chain_separator'],
    ['--- End of stack trace from previous location ---', 'chain_separator'],
    ['Caused by:', 'chain_separator'],
    ['node:internal/modules/cjs/loader:1228', 'node_detail'],
    ['/app/index.js:12', 'node_detail'],
    ['Require stack:', 'node_detail'],
    ['- /app/src/server.js', 'node_detail'],
    ['  throw err;', 'node_detail'],
    ["      throw er; // Unhandled 'error' event", 'node_detail'],
    ["  code: 'MODULE_NOT_FOUND',", 'node_detail'],
    ["  requireStack: [ '/app/src/server.js', '/app/index.js' ]", 'node_detail'],
    ['}', 'node_detail'],
    ["Emitted 'error' event on Server instance at:", 'node_detail'],
    ['<--- Last few GCs --->', 'node_detail'],
    ['[1:0x6b0c3c0]    51230 ms: Mark-Compact (reduce) 2047.6 (2083.0) -> 2046.9 (2083.3) MB, 1510.29 / 0.00 ms', 'node_detail'],
    [' 3: 0xf06537 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*) [node]', 'node_detail'],
    ['(Background on this error at: https://sqlalche.me/e/20/e3q8)', 'trailer'],
    ['[SQL: SELECT users.id, users.email FROM users WHERE users.id = %(id_1)s]', 'trailer'],
    ["[parameters: {'id_1': 5}]", 'trailer'],
    ['Node.js v20.11.1', 'trailer'],
    ["  code: 'ECONNREFUSED',", 'node_detail'],
    ["  code: '28P01'", 'node_detail'],
    ['    tr, pr = await connector', 'source'],
    ['[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2f1a]', 'go_frame'],
    ['runtime stack:', 'go_goroutine'],
    ['  errno: -111,', 'node_detail'],
    ['  port: 5432', 'node_detail'],
    ['  detail: undefined,', 'node_detail'],
    ['    For further information visit https://errors.pydantic.dev/2.9/v/missing', 'trailer'],
    ['2025-05-01T10:00:00.123Z ERROR 1 --- [api] [           main] o.s.b.d.LoggingFailureAnalysisReporter   : ', 'record_header'],
    ['2025-05-01 10:00:01.456 ERROR 1 --- [           main] o.s.b.d.LoggingFailureAnalysisReporter   : ', 'record_header'],
    ['SQL State  : 08001', 'report_detail'],
    ['Error Code : 0', 'report_detail'],
    ['Message    : The connection attempt failed.', 'report_detail'],
    ['Location   : db/migration/V2__orders.sql (/app/db/migration/V2__orders.sql)', 'report_detail'],
    ['-------------------------------------------------------------', 'report_detail'],
  ])('%j -> %s', (line, kind) => {
    expect(fragmentKind(line) ?? unmatchedFragmentKind(line)).toBe(kind);
  });

  it.each([
    "ModuleNotFoundError: No module named 'app.monitoring'",
    'RuntimeError: Phase 3 database initialization timeout after 20.0s',
    'asyncio.exceptions.CancelledError',
    'Caused by: org.postgresql.util.PSQLException: Connection to 10.0.0.3:5432 refused.',
    'Exception in thread "main" java.lang.IllegalStateException: boom',
    "Error: Cannot find module 'express'",
    'panic: runtime error: invalid memory address or nil pointer dereference',
    'INFO:     Started server process [1]',
    'INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)',
    '    Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)',
    '    Waiting for application startup.',
    '    Property: spring.datasource.url',
    '    Reason: Failed to determine a suitable driver class',
    '    "password": "x",',
    '    at 10:30:00',
    'at the end of startup (phase 3)',
    '\tIs the server running on that host and accepting TCP/IP connections?',
    'exit status 2',
    'Node.js v20.11.1 is required',
    "/app/config/application.rb:12:in 'block in <main>': could not connect to server (PG::ConnectionBad)",
    'Unhandled exception. System.InvalidOperationException: Unable to resolve service',
    '--- configuration ---',
    '[SQL Server] Login failed for user app',
    '    ready, waiting for connections',
    '  detail: password authentication failed for user "app"',
    '  reason: connect ECONNREFUSED 10.0.0.3:5432',
    'Message: The connection attempt failed.',
    'Error Code: 0',
    '2025-05-01 10:00:03.100 ERROR 1 --- [           main] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Exception during pool initialization.',
    'Caused by: java.net.ConnectException: Connection refused',
    'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    'Error: connect ECONNREFUSED 127.0.0.1:5432',
    'Listening on /app/index.js:8080',
    '[2026-03-01 10:00:01 +0000] [8] [ERROR] Exception in worker process',
    '[2026-03-01 10:00:01 +0000] [1] [INFO] Listening at: http://0.0.0.0:8080 (1)',
    'Application startup failed. Exiting.',
    'Shutting down (see main.go:12)',
    'fmt.Println(hello world)',
    '',
    '   ',
    'Traceback (most recent call last):\n  File "/app/main.py", line 1, in <module>',
  ])('%j is not a fragment', (line) => {
    expect(fragmentKind(line) ?? unmatchedFragmentKind(line)).toBeNull();
  });
});

describe('properties', () => {
  const piece = fc.constantFrom(
    'Traceback (most recent call last):',
    '  File "/app/x.py", line 1, in f',
    '    x = f()',
    '    ^^^',
    'ValueError: x',
    'The above exception was the direct cause of the following exception:',
    '  + Exception Group Traceback (most recent call last):',
    '  | ',
    '  +-+---- 1 ----',
    '\tat a.B.c(B.java:1)',
    'Caused by: a.b.C: x',
    '\t... 3 more',
    'Error [E]: x',
    '    at f (/a.js:1:2) {',
    "  [cause]: Error: y",
    "  code: 'X',",
    'panic: p',
    'goroutine 1 [running]:',
    'main.main()',
    '\t/a.go:1 +0x1',
    '',
  );
  const text = fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }).map((a) => a.join('\n'));

  it('parseStack and fragmentKind never throw, and fingerprints are strings', () => {
    fc.assert(
      fc.property(text, (t) => {
        const s = parseStack(t);
        if (s) {
          expect(s.exceptions.length).toBeGreaterThan(0);
          expect(s.rootIndex).toBeGreaterThanOrEqual(0);
          expect(s.rootIndex).toBeLessThan(s.exceptions.length);
          expect(typeof stackFingerprintInput(s)).toBe('string');
        }
        for (const line of t.split('\n')) fragmentKind(line);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (t) => parseStack(t) === null || parseStack(t) !== null));
  });

  it('stays fast on hostile input', () => {
    const hostile = [
      `Traceback (most recent call last):\n${'  File "'.repeat(20_000)}`,
      `x\n${' '.repeat(60_000)}at ${'a('.repeat(10_000)}`,
      `a.B: x\n\tat ${'a'.repeat(60_000)}(`,
      `panic: x\ngoroutine 1 [running]:\n${'a.('.repeat(20_000)})`,
      `E\n${'    at f (x:1:2'.repeat(5000)}`,
      `${'^'.repeat(60_000)}x\n`,
    ];
    // No wall-clock assertion: catastrophic backtracking would blow through the test timeout.
    for (const h of hostile) {
      const info = parseStack(h);
      expect(info === null || Array.isArray(info.exceptions)).toBe(true);
      for (const line of h.split('\n')) expect(() => fragmentKind(line)).not.toThrow();
    }
  });
});

describe('a TimeoutError that asyncio raised from a cancelled connect', () => {
  // Python 3.11+, FastAPI lifespan: asyncio.wait_for(asyncpg connect) timing out (captured output, paths shortened)
  const trace = [
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.11/asyncio/tasks.py", line 500, in wait_for',
    '    return fut.result()',
    '           ^^^^^^^^^^^^',
    '  File "/app/app/db.py", line 11, in _ping',
    '    async with engine.connect() as conn:',
    '  File "/usr/local/lib/python3.11/site-packages/asyncpg/connection.py", line 2443, in connect',
    '    return await connect_utils._connect(',
    '  File "/usr/local/lib/python3.11/site-packages/asyncpg/connect_utils.py", line 1099, in __connect_addr',
    '    tr, pr = await connector',
    '  File "/usr/local/lib/python3.11/site-packages/asyncpg/connect_utils.py", line 977, in _create_ssl_connection',
    '    do_ssl_upgrade = await pr.on_data',
    'asyncio.exceptions.CancelledError',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.11/site-packages/starlette/routing.py", line 654, in lifespan',
    '    async with self.lifespan_context(app) as maybe_state:',
    '  File "/app/app/db.py", line 16, in init_database',
    '    await asyncio.wait_for(_ping(), timeout=timeout)',
    '  File "/usr/local/lib/python3.11/asyncio/tasks.py", line 502, in wait_for',
    '    raise exceptions.TimeoutError() from exc',
    'TimeoutError',
  ].join('\n');

  it("is read by the cancelled task's frames: a driver connect timeout, not an unhandled exception", () => {
    const out = classified(runEntry(trace));
    expect(out.category).toBe('db_connect_timeout');
    expect(out.params).toEqual({ exception: 'TimeoutError' });
  });

  it('keeps the frames of the trace it reports for the stack fingerprint', () => {
    const info = parseStack(trace);
    expect(info?.frames).toEqual(['starlette.routing:lifespan', 'app.db:init_database', 'asyncio.tasks:wait_for']);
    expect(info?.causeFrames?.slice(-1)).toEqual(['asyncpg.connect_utils:_create_ssl_connection']);
  });

  it('leaves a bare TimeoutError whose cancelled task was not connecting to a database as it was', () => {
    const other = trace.replace(/asyncpg\/connect_utils\.py/g, 'app/cache.py').replace(/asyncpg\/connection\.py/g, 'app/cache.py');
    expect(classified(runEntry(other)).category).toBe('unhandled_exception');
  });
});
