#!/usr/bin/env node
// Thin launcher: the CLI is compiled by `npm run build` (run by `npm ci` through `prepare`).
import { setFlagsFromString } from 'node:v8';

// Polyglot, which translates the saved SQL for the local database (faultline query, the
// issue links of import, replay and start), is WebAssembly. V8's optimising tier recompiles
// it in the background for seconds of CPU, and the process cannot exit before that ends;
// baseline code is fast enough for the few queries a run translates. Set before the module
// is compiled, hence the dynamic import.
setFlagsFromString('--liftoff-only');
// `faultline classify big.json | head`: once the reader has gone, stop quietly as Unix tools do,
// rather than dying on an unhandled EPIPE with a stack trace. Not `serve`: a server whose
// output is gone has failed, and a supervisor must see it fail.
if (process.argv[2] !== 'serve') {
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
const { main } = await import('../dist/functions/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`faultline: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 2; },
);
