import { type ExceptionLine, MAX_FRAMES, NODE_CODE, NODE_EXC, type StackInfo, capFrames, exceptionLine, withContinuation } from './common.js';

/** Node.js error stacks with [cause] chains and error codes. */

export function isNodeLocation(loc: string, strict: boolean): boolean {
  // a file:line:col with a path or extension ("    at 10:30:00" is prose)
  if (!/\s/.test(loc) && /:\d+:\d+$/.test(loc) && /[/.]/.test(loc)) return true;
  return !strict && (loc === 'native' || loc === '<anonymous>' || /^index \d+$/.test(loc) || /^node:\S+$/.test(loc));
}

/** "    at fn (loc)" or "    at loc"; a line without indentation only with a file:line:col. */
export function nodeFrameParts(line: string): { fn: string; loc: string } | null {
  const t = line.trimStart();
  if (!t.startsWith('at ')) return null;
  const strict = t.length === line.length;
  const body = t.slice(3).trimEnd().replace(/ \{$/, ''); // " {" opens the error's property block
  const open = body.endsWith(')') ? body.lastIndexOf(' (') : -1;
  const [fn, loc] = open > 0 ? [body.slice(0, open), body.slice(open + 2, -1)] : ['', body];
  return isNodeLocation(loc, strict) ? { fn, loc } : null;
}

export const NODE_ROOTS = /^\/(?:app|workspace|srv|usr\/src\/app|home\/[^/]+)\//;

/** "Module._load (node:internal/modules/cjs/loader:1023:12)" -> "node:internal/modules/cjs/loader:Module._load" */
export function nodeFrameName(fn: string, loc: string): string {
  let file = /^index \d+$/.test(loc) ? '<native>' : loc.replace(/:\d+(?::\d+)?$/, '').replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  file = nm >= 0 ? file.slice(nm + 13) : file.replace(NODE_ROOTS, '').replace(/^\//, '');
  file = file.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, '');
  const name = fn.replace(/ \[as [^\]]{0,200}\]$/, '').replace(/^(?:async |new )/, '');
  return `${file}:${name || '<anonymous>'}`;
}

export interface NodeState {
  excs: ExceptionLine[];
  indents: number[];
  more: string[][];
  frames: string[];
  collecting: boolean;
  /** inside an AggregateError's `[errors]: [` list, whose errors are its causes */
  inErrors: boolean;
}

const ERRORS_LIST = /^\s+\[errors\]: \[$/;

export function nodeStep(s: NodeState, line: string): void {
  const f = nodeFrameParts(line);
  if (f) {
    if (s.excs.length === 1) s.frames.push(nodeFrameName(f.fn, f.loc));
    s.collecting = false;
    return;
  }
  if (s.excs.length > 0 && ERRORS_LIST.test(line)) {
    s.inErrors = true;
    s.collecting = false;
    return;
  }
  const m = NODE_EXC.exec(line);
  const type = m?.[3] ?? '';
  // Node 20 connects to every address of a name and throws an AggregateError listing each
  // refusal ("connect ECONNREFUSED ::1:5432"): those say where, so they are its causes.
  const chained = m?.[2] === '[cause]: ' || (s.inErrors && m?.[1] !== '');
  if (m && /(?:Error|Exception|Rejection)$/.test(type) && (chained ? s.excs.length > 0 : s.frames.length === 0 && m[1] === '')) {
    const e = exceptionLine(type, m[5] ?? '', line.trim().replace(/^(?:\[cause\]: |Uncaught )/, ''), m[4]);
    if (!chained) [s.excs, s.indents, s.more] = [[], [], []];
    s.excs.push(e);
    s.indents.push(m[1]?.length ?? 0);
    s.more.push([]);
    s.collecting = true;
    return;
  }
  const c = NODE_CODE.exec(line);
  // a property block belongs to the exception printed two spaces less indented
  const owner = c ? s.indents.lastIndexOf((c[1]?.length ?? 0) - 2) : -1;
  const e = s.excs[owner];
  if (c && e && e.code === undefined) s.excs[owner] = { ...e, code: c[2] as string };
  else if (s.collecting && line.trim() !== '') s.more[s.more.length - 1]?.push(line);
  // A blank line inside the message does not end it: Prisma prints "Invalid `prisma.user.findMany()`
  // invocation:", two blank lines, then what failed, before the frames.
  else if (!s.collecting || line.trim() !== '') s.collecting = false;
}

export function parseNode(lines: string[]): StackInfo | null {
  const s: NodeState = { excs: [], indents: [], more: [], frames: [], collecting: false, inErrors: false };
  for (const line of lines) nodeStep(s, line);
  if (s.excs.length === 0 || s.frames.length === 0) return null;
  const exceptions = s.excs.map((e, i) => withContinuation(e, s.more[i] ?? []));
  const frames = capFrames(s.frames.slice(0, MAX_FRAMES).reverse());
  return { language: 'node', exceptions, rootIndex: exceptions.length - 1, frames };
}
