/** Types, bounds and line helpers shared by the stack trace parsers. */
export type StackLanguage = 'python' | 'java' | 'node' | 'go';

export interface ExceptionLine {
  type: string;
  /** the message, with the lines that continue it (psycopg2 hints, Node's "Require stack:") */
  message: string;
  /** the exception line without structural prefixes ("Caused by: ", "[cause]: ") */
  text: string;
  /** Node's error code (`ERR_MODULE_NOT_FOUND`, `ECONNREFUSED`), when printed */
  code?: string;
}

export interface StackInfo {
  language: StackLanguage;
  /**
   * [0] is the exception the trace reports: Python's last printed, Java's and Node's top-level,
   * Go's last panic; then its causes, nearest first (Python exception-group members follow).
   */
  exceptions: ExceptionLine[];
  /** index in `exceptions` of the innermost, original cause (Java's last "Caused by:") */
  rootIndex: number;
  /** normalised frames of exceptions[0], outermost call first */
  frames: string[];
  /** Python: the frames of exceptions[1], the nearest cause, when it was printed with some */
  causeFrames?: string[];
}

export type FragmentKind =
  | 'traceback_header'
  | 'frame'
  | 'source'
  | 'caret'
  | 'chain_separator'
  | 'java_frame'
  | 'java_more'
  | 'node_frame'
  | 'go_goroutine'
  | 'go_frame'
  | 'ruby_frame'
  | 'dotnet_frame'
  | 'node_detail'
  | 'trailer'
  | 'record_header'
  | 'report_detail';

/** A trace's head names the failure and its tail ends it; the middle is frames we can lose. */
export const HEAD_CHARS = 16 * 1024;
export const TAIL_CHARS = 48 * 1024;
export const MAX_FRAMES = 200;
export const MAX_FRAGMENT_CHARS = 4096;

export const PY_HEADER = 'Traceback (most recent call last):';
export const PY_SEPARATORS = new Set([
  'The above exception was the direct cause of the following exception:',
  'During handling of the above exception, another exception occurred:',
]);
export const PY_FRAME = /^\s*File "([^"]{1,1024})", line \d+(?:, in (.+))?$/;
export const PY_EXC = /^([A-Za-z_][\w.]*)(?:: ?(.*))?$/;
// the next log record after a trace: uvicorn, gunicorn and logging-module prefixes
export const LOG_RECORD = /^(?:(?:INFO|WARNING|WARN|ERROR|DEBUG|CRITICAL): |\[\d{4}-\d\d-\d\d|\d{4}-\d\d-\d\d[ T]\d\d:)/;
export const CARET = /^[ \t]+[~^][~^ \t]*$/;
export const JAVA_FRAME = /^\s+at ([^\s(]{1,1000})\([^)]{0,1000}\)(?: ~?\[[^\]]{0,300}\])?\s*$/;
// a frame the platform stripped of its indentation: only with a real Java location
export const JAVA_FRAME_BARE = /^at [^\s(]{1,1000}\((?:[\w$.-]{1,200}\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/;
export const JAVA_MORE = /^\s+\.\.\. \d+ (?:more|common frames omitted)\s*$/;
export const JAVA_EXC = /^(?:Exception in thread "[^"]{0,200}" )?([A-Za-z_$][\w$.]*)(?:: ?(.*))?$/;
export const NODE_EXC = /^(\s*)(\[cause\]: |Uncaught )?([A-Z][\w$]*)(?: \[([A-Z0-9_]{1,100})\])?(?:: ?(.*))?$/;
export const NODE_CODE = /^(\s*)code: '([\w-]{1,100})',?$/;
export const GO_PANIC = /^\s*(panic|fatal error): (.*)$/;
export const GO_FILE = /^\s+\S+\.(?:go|s):\d+(?: \+0x[0-9a-f]+)?$/;
export const GO_NAME = /^[\w./*()[\]$~-]+$/;
export const GO_ARGS = /^[0-9a-fx{}, .?]*$/;

/** The text a trace is parsed from: a huge one keeps its head and tail, cut at line breaks. */
export function boundedText(text: string): string {
  if (text.length <= HEAD_CHARS + TAIL_CHARS) return text;
  const head = text.slice(0, HEAD_CHARS);
  const tail = text.slice(text.length - TAIL_CHARS);
  return head.slice(0, head.lastIndexOf('\n') + 1) + tail.slice(tail.indexOf('\n') + 1);
}

/** The lines of a bounded text, without their CRs. */
export function linesOf(bounded: string): string[] {
  const lines = bounded.split('\n');
  return bounded.includes('\r') ? lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)) : lines;
}

export function exceptionLine(type: string, message: string, text: string, code?: string): ExceptionLine {
  return code === undefined ? { type, message, text } : { type, message, text, code };
}

export function withContinuation(e: ExceptionLine, more: string[]): ExceptionLine {
  while (more.length > 0 && (more[more.length - 1] ?? '').trim() === '') more.pop();
  return more.length === 0 ? e : { ...e, message: [e.message, ...more].join('\n') };
}

/** Innermost frames matter most: a 1000-deep recursion keeps its last MAX_FRAMES. */
export function capFrames(frames: string[]): string[] {
  return frames.length > MAX_FRAMES ? frames.slice(frames.length - MAX_FRAMES) : frames;
}
