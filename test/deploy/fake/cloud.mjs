// A fake Google Cloud for the deploy.sh tests. `node cloud.mjs` serves on 127.0.0.1 and prints
// its port; the `gcloud` and `bq` wrappers next to this file forward each call to it, naming
// the state file (JSON: the project's resources) and the call log (NDJSON) to use. Commands
// refuse what the real service would refuse (a grant to a missing account, a table in a
// missing dataset, a view over a missing view), so a wrong order in deploy.sh fails its test.
import { Buffer } from 'node:buffer';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import process from 'node:process';
import { bq } from './bq.mjs';
import { gcloud } from './gcloud.mjs';
import { CloudError, loadState, parseArgs } from './state.mjs';

/** One call: the answer a real CLI would give (exit code, stdout, stderr). */
export function handle(stateFile, logFile, tool, argv, stdinText) {
  appendFileSync(logFile, `${JSON.stringify({ tool, args: argv })}\n`);
  try {
    const state = loadState(stateFile);
    const stdout = (tool === 'gcloud' ? gcloud : bq)(state, parseArgs(argv), () => stdinText);
    writeFileSync(stateFile, JSON.stringify(state, null, 2));
    return { code: 0, stdout: stdout ?? '', stderr: '' };
  } catch (err) {
    const code = err instanceof CloudError ? err.code : 3;
    return { code, stdout: '', stderr: `ERROR: (${tool}) ${err instanceof Error ? err.message : String(err)}\n` };
  }
}

/** Request: NUL-terminated fields: state file, log file, tool, argc, args..., stdin. */
function parseRequest(buffer) {
  const fields = buffer.toString('utf8').split('\0');
  if (fields.length < 5) return null;
  const argc = Number(fields[3]);
  if (fields.length < 6 + argc) return null;
  return { stateFile: fields[0], logFile: fields[1], tool: fields[2], argv: fields.slice(4, 4 + argc), stdin: fields[4 + argc] };
}

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');

const server = createServer((socket) => {
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    const request = parseRequest(buffer);
    if (!request) return;
    const { code, stdout, stderr } = handle(request.stateFile, request.logFile, request.tool, request.argv, request.stdin);
    socket.end(`${code}\n${b64(stdout)}\n${b64(stderr)}\n`);
  });
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
