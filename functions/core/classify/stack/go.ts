import { type ExceptionLine, GO_ARGS, GO_NAME, GO_PANIC, MAX_FRAMES, type StackInfo, capFrames, exceptionLine, withContinuation } from './common.js';

/** Go panics and fatal errors with their goroutine frames. */

export const isGoroutine = (t: string): boolean => t.startsWith('goroutine ') && t.endsWith(']:') && /^goroutine \d+ /.test(t);

/** "github.com/jackc/pgx/v5/pgxpool.(*Pool).Acquire(0xc000010000, {0x9a8b40, 0xc0})" -> name, or null */
export function goFunction(line: string): string | null {
  if (line !== line.trimStart() || !line.endsWith(')')) return null;
  const open = line.lastIndexOf('(', line.length - 2);
  const name = line.slice(0, open);
  const args = line.slice(open + 1, -1);
  const ok = open > 0 && name.includes('.') && GO_NAME.test(name) && (args === '...' || GO_ARGS.test(args));
  return ok ? name : null;
}

// The runtime's `[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2f1a]` under a
// panic holds addresses, not words: a split-off panic line has none, and must keep the signature.
export const GO_SIGNAL = /^\[signal [A-Z0-9]+: [^\]\n]{0,200}\]$/;

export function parseGo(lines: string[]): StackInfo | null {
  const panics: ExceptionLine[] = [];
  const more: string[][] = [];
  const frames: string[] = [];
  let phase: 'panic' | 'stack' | 'done' = 'panic';
  for (const line of lines) {
    const p = phase === 'panic' ? GO_PANIC.exec(line) : null;
    if (p) {
      const message = (p[2] as string).replace(/ \[recovered[^\]]{0,40}\]$/, '');
      panics.push(exceptionLine(p[1] as string, message, line.trim()));
      more.push([]);
    } else if (isGoroutine(line.trim())) phase = phase === 'panic' ? 'stack' : 'done';
    else if (phase === 'stack') {
      const fn = goFunction(line);
      if (fn) frames.push(fn);
      else if (line.trim() === '') phase = frames.length > 0 ? 'done' : phase;
    } else if (phase === 'panic' && panics.length > 0 && line.trim() !== '' && !GO_SIGNAL.test(line.trim())) more[more.length - 1]?.push(line.trim());
  }
  if (panics.length === 0 || phase === 'panic') return null;
  const exceptions = panics.map((e, i) => withContinuation(e, more[i] ?? [])).reverse();
  return { language: 'go', exceptions, rootIndex: exceptions.length - 1, frames: capFrames(frames.slice(0, MAX_FRAMES).reverse()) };
}
