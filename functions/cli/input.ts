import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Files given on the command line, `-` or none meaning stdin. */
export function inputNames(files: string[]): string[] {
  return files.length === 0 ? ['-'] : files;
}

/** Fails before any output when an input cannot be read, with a message naming it. */
export async function checkReadable(files: string[]): Promise<string | null> {
  for (const f of files) {
    if (f === '-') continue;
    try {
      await access(f, constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
      return `cannot read ${f}: ${why}`;
    }
  }
  return null;
}

/** Streams the text of one input chunk by chunk; multi-byte characters are never cut. */
export async function* readText(name: string, stdin: Readable): AsyncGenerator<string> {
  const stream = name === '-' ? stdin : createReadStream(name, { highWaterMark: 1 << 20 });
  stream.setEncoding('utf8');
  for await (const chunk of stream) yield chunk as string;
}
