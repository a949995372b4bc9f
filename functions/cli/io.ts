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

/**
 * A command's arguments, or undefined after the parse error and the command's help were
 * written to stderr (the caller exits with status 2).
 */
export function parseOrExplain<T>(command: string, help: string, io: CliIO, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    io.stderr.write(`faultline ${command}: ${(err as Error).message}\n\n${help}\n`);
    return undefined;
  }
}
