import { boundedMemo } from '../../memo.js';
import { type ExceptionLine, LOG_RECORD, PY_EXC, PY_HEADER, PY_SEPARATORS, type StackInfo, capFrames, exceptionLine, withContinuation } from './common.js';

/** Python tracebacks, chained causes and exception groups. */

/** Exception-group members are printed behind "  | " and "+-+---- 1 ----" rails. */
export function stripGroupRail(line: string): string {
  let i = 0;
  let cut = -1;
  while (i < line.length && ' \t|+'.includes(line[i] as string)) {
    if (line[i] === '|' || line[i] === '+') cut = i + 1;
    i++;
  }
  if (cut < 0) return line;
  return line.slice(line[cut] === ' ' ? cut + 1 : cut);
}

export const isGroupBoundary = (t: string): boolean => t.startsWith('--') || t.startsWith('-+');

export const PY_ROOTS = /^\/(?:app|workspace|srv|code|opt\/app|usr\/src\/app|usr\/local\/bin|usr\/bin|home\/[^/]+)\//;

const rememberedModule = boundedMemo(moduleOf, 4096);

// A direct-mapped cache in front of the memo, found by the length and a few characters: the
// memo's Map hashes the whole path of every frame, a seventh of the time to parse a trace.
const QUICK_SLOTS = 512;
const quickFiles = new Array<string>(QUICK_SLOTS).fill('');
const quickModules = new Array<string>(QUICK_SLOTS).fill('');

function quickSlot(file: string): number {
  const n = file.length;
  // charCodeAt before the start is NaN, which `| 0` makes 0
  const mix = n * 31 + (file.charCodeAt(n - 1) | 0) * 7 + (file.charCodeAt(n >> 1) | 0) * 13 + (file.charCodeAt(n - 6) | 0) * 17 + (file.charCodeAt((n * 3) >> 2) | 0);
  return mix & (QUICK_SLOTS - 1);
}

/** "/usr/local/lib/python3.11/site-packages/uvicorn/main.py" -> "uvicorn.main" (a fleet's traces name the same files over and over) */
export function pythonModule(file: string): string {
  const slot = quickSlot(file);
  if (quickFiles[slot] === file && file !== '') return quickModules[slot] as string;
  const module = rememberedModule(file);
  quickFiles[slot] = file;
  quickModules[slot] = module;
  return module;
}

function moduleOf(file: string): string {
  if (file.startsWith('<frozen ')) return file.slice(8, -1);
  if (file.startsWith('<')) return file;
  let p = file.replace(/\\/g, '/');
  const sp = Math.max(p.lastIndexOf('/site-packages/') + 15, p.lastIndexOf('/dist-packages/') + 15);
  const lib = /\/lib\/python\d[\d.]*\//.exec(p);
  if (sp >= 15) p = p.slice(sp);
  else if (lib) p = p.slice(lib.index + lib[0].length);
  else p = p.replace(PY_ROOTS, '').replace(/^\//, '');
  return p.replace(/\.pyc?$/, '').replace(/\/__init__$/, '').replace(/\//g, '.');
}

export interface PyBlock {
  exc: ExceptionLine | null;
  more: string[];
  frames: string[];
  linked: boolean;
}

export function parsePythonException(t: string): ExceptionLine {
  const m = PY_EXC.exec(t);
  if (m) return exceptionLine(m[1] as string, m[2] ?? '', t);
  const colon = t.indexOf(':');
  return exceptionLine(colon < 0 ? t : t.slice(0, colon), colon < 0 ? '' : t.slice(colon + 1).trim(), t);
}

export type PyState = 'idle' | 'frames' | 'message' | 'linked' | 'boundary';

const SEPARATOR_MIN_CHARS = Math.min(...[...PY_SEPARATORS].map((sep) => sep.length));
const SEPARATOR_FIRST_CHARS = new Set([...PY_SEPARATORS].map((sep) => sep.charCodeAt(0)));

/** Whitespace as String.prototype.trim removes it (`\s`). */
function isTrimSpace(c: number): boolean {
  return c < 128 ? c === 32 || (c >= 9 && c <= 13) : /\s/.test(String.fromCharCode(c));
}

// Every line of a trace passes here: the common line (a frame or source line) is judged
// without trimming it, which allocates; lines with a trailing space take the trimmed path.
function endsWithHeader(line: string): boolean {
  return isTrimSpace(line.charCodeAt(line.length - 1)) ? line.trim().endsWith(PY_HEADER) : line.endsWith(PY_HEADER);
}

/** A chain separator: looked up trimmed only when its first visible character can start one. */
function isSeparator(line: string): boolean {
  if (line.length < SEPARATOR_MIN_CHARS) return false;
  let i = 0;
  while (i < line.length && isTrimSpace(line.charCodeAt(i))) i++;
  return SEPARATOR_FIRST_CHARS.has(line.charCodeAt(i)) && PY_SEPARATORS.has(line.trim());
}

const FILE_OPEN = 'File "';
const LINE_OPEN = '", line ';
const IN_OPEN = ', in ';
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * PY_FRAME's two groups (file, function) read by hand, or null where PY_FRAME does not match:
 * every line of a trace passes here, and the regex's match array cost more than the reading.
 */
export function pythonFrame(line: string): readonly [file: string, fn: string | undefined] | null {
  let i = 0;
  while (i < line.length && isTrimSpace(line.charCodeAt(i))) i++;
  if (!line.startsWith(FILE_OPEN, i)) return null;
  const start = i + FILE_OPEN.length;
  const close = line.indexOf('"', start);
  if (close <= start || close - start > 1024 || !line.startsWith(LINE_OPEN, close)) return null;
  let end = close + LINE_OPEN.length;
  const digits = end;
  while (end < line.length && line.charCodeAt(end) >= 0x30 && line.charCodeAt(end) <= 0x39) end++;
  if (end === digits) return null;
  const file = line.slice(start, close);
  if (end === line.length) return [file, undefined];
  const fn = line.slice(end + IN_OPEN.length);
  // `(.+)$`: a function name of one character or more, none a line terminator
  return line.startsWith(IN_OPEN, end) && fn.length > 0 && !LINE_BREAK.test(fn) ? [file, fn] : null;
}

/** One line of a Python trace; returns the new state. */
export function pythonStep(blocks: PyBlock[], state: PyState, raw: string, group: boolean): PyState {
  const line = group ? stripGroupRail(raw) : raw;
  if (endsWithHeader(line)) {
    blocks.push({ exc: null, more: [], frames: [], linked: state === 'linked' });
    return 'frames';
  }
  if (isSeparator(line)) return 'linked';
  if (group && isGroupBoundary(line.trim())) return 'boundary';
  const block = blocks[blocks.length - 1];
  if (!block || (state !== 'frames' && state !== 'message')) return state;
  if (state === 'message') {
    if (LOG_RECORD.test(line)) return 'idle';
    block.more.push(line);
    return state;
  }
  const f = pythonFrame(line);
  if (f) block.frames.push(`${pythonModule(f[0])}:${f[1] ?? '?'}`);
  else if (line.length > 0 && !isTrimSpace(line.charCodeAt(0))) {
    // an unindented line that is no frame ends the frames: the exception
    block.exc = parsePythonException(line.trim());
    return 'message';
  }
  return state;
}

export const PY_GROUP_HEADER = 'Exception Group Traceback';

/** `group`: whether the text holds PY_GROUP_HEADER, so member lines carry rails to strip */
export function parsePython(lines: string[], group: boolean): StackInfo | null {
  const blocks: PyBlock[] = [];
  let state: PyState = 'idle';
  let boundaryAt = -1; // blocks printed before the first group member
  for (const raw of lines) {
    state = pythonStep(blocks, state, raw, group);
    if (state === 'boundary' && boundaryAt < 0) boundaryAt = blocks.length;
  }
  const done = blocks.filter((b) => b.exc !== null);
  if (done.length === 0) return null;
  // chains: runs of blocks joined by "The above exception..." separators, each printed cause-first
  const chains: PyBlock[][] = [];
  for (const b of done) {
    const last = chains[chains.length - 1];
    if (b.linked && last) last.push(b);
    else chains.push([b]);
  }
  const mainAt = boundaryAt < 0 ? chains.length - 1 : chainIndexOf(chains, blocks[boundaryAt - 1]);
  const main = (chains[mainAt] ?? []).slice().reverse();
  const members = boundaryAt < 0 ? [] : chains.slice(mainAt + 1).flatMap((c) => c.slice().reverse());
  const ordered = [...main, ...members];
  const firstMember = chains[mainAt + 1];
  const rootIndex = members.length > 0 && firstMember ? main.length + firstMember.length - 1 : main.length - 1;
  const exceptions = ordered.map((b) => withContinuation(b.exc as ExceptionLine, b.more));
  const frames = capFrames(main[0]?.frames ?? []);
  return { language: 'python', exceptions, rootIndex, frames, causeFrames: capFrames(main[1]?.frames ?? []) };
}

export function chainIndexOf(chains: PyBlock[][], block: PyBlock | undefined): number {
  const i = chains.findIndex((c) => block !== undefined && c.includes(block));
  return i < 0 ? chains.length - 1 : i;
}
