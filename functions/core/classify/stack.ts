/**
 * Stack traces (Python, Java, Node, Go): which exceptions end a trace, and the normalised frames
 * that identify it, as Sentry and Error Reporting group them. Also recognises the one-line
 * fragments a platform leaves when it splits a trace into one entry per line.
 *
 * Frames are ordered outermost call first (Python's order) for every language; line numbers,
 * install prefixes and generated-class numbers are dropped so a rebuild keeps the fingerprint.
 * Parsing is line by line with anchored, non-nested regexes over a bounded head and tail.
 */
import { CARET, type FragmentKind, GO_FILE, JAVA_FRAME, JAVA_FRAME_BARE, JAVA_MORE, MAX_FRAGMENT_CHARS, PY_FRAME, PY_HEADER, PY_SEPARATORS, type StackInfo, boundedText, linesOf } from './stack/common.js';
import { PY_GROUP_HEADER, isGroupBoundary, parsePython, stripGroupRail } from './stack/python.js';
import { parseJava } from './stack/java.js';
import { nodeFrameParts, parseNode } from './stack/node.js';
import { goFunction, isGoroutine, parseGo } from './stack/go.js';
import { moreFragment } from './stack/more-fragments.js';
export type { ExceptionLine, FragmentKind, StackInfo, StackLanguage } from './stack/common.js';
export { pythonModule } from './stack/python.js';
export { javaFrameName } from './stack/java.js';


/** The stack trace in a multi-line text, or null when there is none. */
export function parseStack(text: string): StackInfo | null {
  if (typeof text !== 'string' || !text.includes('\n')) return null;
  try {
    // the needles hold no line break, so the text has them where its lines do
    const bounded = boundedText(text);
    const lines = linesOf(bounded);
    const python = bounded.includes(PY_HEADER) ? parsePython(lines, bounded.includes(PY_GROUP_HEADER)) : null;
    const go = python === null && bounded.includes('goroutine ') ? parseGo(lines) : null;
    return python ?? go ?? parseJava(lines) ?? parseNode(lines);
  } catch {
    // a parser bug must degrade to "no stack", never stop classification
    return null;
  }
}

/** Indented (4+ spaces) Python source: a statement keyword, a call, a subscript or an assignment. */
const SOURCE_STATEMENT = /^ {4,}(?:(?:raise|return|await|yield|assert|async|del|lambda|def|class|elif|except|nonlocal)\b|from [\w.]+ import |import [\w.]+(?:,|$| as )|(?:if|for|while|with) .*:$)/;
const SOURCE_EXPR = /^ {4,}[A-Za-z_][\w.]*(?:\(|\[| ?[-+*/|&%]?= )/;
// tuple unpacking: `    tr, pr = await connector` (asyncpg's connect_utils.py)
const SOURCE_UNPACK = /^ {4,}[A-Za-z_][\w.]*(?:, ?[A-Za-z_][\w.]*)+ ?= \S/;
const SOURCE_CLOSE = /^ {4,}[)\]}]+[,:]?$/;

function looksLikeSource(line: string): boolean {
  return SOURCE_STATEMENT.test(line) || SOURCE_EXPR.test(line) || SOURCE_UNPACK.test(line) || SOURCE_CLOSE.test(line);
}

/** Lines at column 0: a trimmed frame, a goroutine header or a Go function line. */
function unindentedFragment(line: string, t: string): FragmentKind | null {
  if (t.startsWith('File "')) return PY_FRAME.test(line) ? 'frame' : null;
  if (t.startsWith('at ')) return JAVA_FRAME_BARE.test(line) ? 'java_frame' : nodeFrameParts(line) ? 'node_frame' : null;
  if (isGoroutine(t)) return 'go_goroutine';
  if (t.startsWith('created by ')) return / in goroutine \d+$/.test(t) ? 'go_frame' : null;
  return goFunction(line) !== null ? 'go_frame' : null;
}

// The `code` property of a Node error object as util.inspect prints it under the stack. Asked
// before the rules: `code: 'ECONNREFUSED'` repeats the error line above it, and as a line of
// its own it would take that failure's category under a signature of its own.
const NODE_CODE_PROPERTY = /^ {2}code: '[A-Z0-9_]{2,64}',?$/;

function indentedFragment(line: string, t: string): FragmentKind | null {
  if (NODE_CODE_PROPERTY.test(line)) return 'node_detail';
  const railed = t.startsWith('|') || t.startsWith('+');
  if (railed && isGroupBoundary(stripGroupRail(t))) return 'chain_separator';
  const py = railed ? stripGroupRail(line) : line;
  if (PY_FRAME.test(py)) return 'frame';
  if (t.startsWith('at ')) return JAVA_FRAME.test(line) ? 'java_frame' : nodeFrameParts(line) ? 'node_frame' : null;
  if (JAVA_MORE.test(line)) return 'java_more';
  if (GO_FILE.test(line)) return 'go_frame';
  if (CARET.test(py)) return 'caret';
  return looksLikeSource(py) ? 'source' : null;
}

function traceFragment(line: string, t: string): FragmentKind | null {
  if (t.endsWith(PY_HEADER)) return 'traceback_header';
  if (PY_SEPARATORS.has(t)) return 'chain_separator';
  const c = line.charCodeAt(0);
  return c === 32 || c === 9 ? indentedFragment(line, t) : unindentedFragment(line, t);
}

/** The line without its line break, and trimmed; null when it is no single line to judge. */
function oneLine(line: string): { l: string; t: string } | null {
  if (typeof line !== 'string' || line.length > MAX_FRAGMENT_CHARS) return null;
  const l = line.replace(/\r?\n$/, '');
  const t = l.trim();
  return t === '' || l.includes('\n') ? null : { l, t };
}

/**
 * For a one-line entry: which part of a split traceback it is, or null. Exception lines are not
 * fragments (they are classified); neither are ordinary log lines, so an indented line counts as
 * source only when it reads as code (see SOURCE_*), never as prose like "    Uvicorn running on".
 */
export function fragmentKind(line: string): FragmentKind | null {
  const one = oneLine(line);
  return one ? traceFragment(one.l, one.t) : null;
}

/**
 * The lines printed around traces (stack/more-fragments.ts), asked only about a line no rule
 * matched: what a rule classified before they were known keeps its classification.
 */
export function unmatchedFragmentKind(line: string): FragmentKind | null {
  const one = oneLine(line);
  return one ? moreFragment(one.l, one.t) : null;
}

/** Exception types of the chain plus the frames of the reported one, as Sentry groups them. */
export function stackFingerprintInput(info: StackInfo): string {
  const types = info.exceptions.map((e) => (e.code ? `${e.type}[${e.code}]` : e.type)).join('<');
  // recursion depth varies between crashes; collapse repeated frames
  const frames = info.frames.filter((f, i) => f !== info.frames[i - 1]);
  return `${info.language}|${types}|${frames.join('>')}`;
}
