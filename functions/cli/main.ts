import type { CliIO, Command } from './io.js';

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  // Every command loads its modules on demand: `fingerprint` never pays for the rules and the
  // decoders, `classify` never for DuckDB's native module.
  classify: { run: async (a, io) => (await import('./classify.js')).classifyCommand(a, io), summary: 'classify Cloud Logging entries: one JSON result per input record' },
  fingerprint: { run: async (a, io) => (await import('./fingerprint.js')).fingerprintCommand(a, io), summary: 'print one template signature id per plain-text line' },
  replay: { run: async (a, io) => (await import('./replay.js')).replayCommand(a, io), summary: 'classify entries into the local DuckDB database (./faultline.duckdb)' },
  signatures: { run: async (a, io) => (await import('./signatures.js')).signaturesCommand(a, io), summary: 'the signatures in the local database: counts, first/last seen, params' },
  serve: { run: async (a, io) => (await import('./serve.js')).serveCommand(a, io), summary: 'serve the Cloud Function locally (functions-framework), writing to DuckDB' },
  start: { run: async (a, io) => (await import('./start.js')).startCommand(a, io), summary: 'replay the bundled incident sample and explain it (what `npm start` runs)' },
  alerts: { run: async (a, io) => (await import('./alerts.js')).alertsCommand(a, io), summary: 'the alerts raised in the local database (new signatures, regressions, escalation, spike, SLO)' },
  issues: { run: async (a, io) => (await import('./issues.js')).issuesCommand(a, io), summary: 'the issue registry: import FILE, sync --repo O/R, list, suggest (links between issues and signatures)' },
  query: { run: async (a, io) => (await import('./query.js')).queryCommand(a, io), summary: 'run a saved question, check or view of the SQL library (sql/) locally or on BigQuery' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return [
    'Usage: faultline <command> [options]',
    '',
    'Turns startup-failure logs into named, tracked signatures.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `faultline <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    const { ENGINE_VERSION } = await import('../core/version.js');
    io.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`faultline: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest, io);
}
