import type { CliIO, Command } from './io.js';
import { classifyCommand } from './classify.js';
import { fingerprintCommand } from './fingerprint.js';

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  classify: { run: classifyCommand, summary: 'classify Cloud Logging entries: one JSON result per input record' },
  fingerprint: { run: fingerprintCommand, summary: 'print one template signature id per plain-text line' },
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
