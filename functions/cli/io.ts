import type { Readable, Writable } from 'node:stream';

/** The streams a command talks to; tests pass their own. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** A command's signature: argv after the command name, resolves to the process exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** Writes respecting back-pressure, so piping a large output into `head` or a file stays flat in memory. */
export function writeLine(out: Writable, line: string): Promise<void> | void {
  if (!out.write(line + '\n')) {
    return new Promise((resolve) => out.once('drain', () => resolve()));
  }
}
