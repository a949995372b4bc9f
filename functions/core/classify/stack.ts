/**
 * Stack traces (Python, Java, Node, Go): which exceptions end a trace, and the normalised frames
 * that identify it, as Sentry and Error Reporting group them. Also recognises the one-line
 * fragments a platform leaves when it splits a trace into one entry per line.
 *
 * Frames are ordered outermost call first (Python's order) for every language; line numbers,
 * install prefixes and generated-class numbers are dropped so a rebuild keeps the fingerprint.
 * Parsing is line by line with anchored, non-nested regexes over a bounded head and tail.
 */
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
  | 'go_frame';

/** A trace's head names the failure and its tail ends it; the middle is frames we can lose. */
const HEAD_CHARS = 16 * 1024;
const TAIL_CHARS = 48 * 1024;
const MAX_FRAMES = 200;
const MAX_FRAGMENT_CHARS = 4096;

const PY_HEADER = 'Traceback (most recent call last):';
const PY_SEPARATORS = new Set([
  'The above exception was the direct cause of the following exception:',
  'During handling of the above exception, another exception occurred:',
]);
const PY_FRAME = /^\s*File "([^"]{1,1024})", line \d+(?:, in (.+))?$/;
const PY_EXC = /^([A-Za-z_][\w.]*)(?:: ?(.*))?$/;
// the next log record after a trace: uvicorn, gunicorn and logging-module prefixes
const LOG_RECORD = /^(?:(?:INFO|WARNING|WARN|ERROR|DEBUG|CRITICAL): |\[\d{4}-\d\d-\d\d|\d{4}-\d\d-\d\d[ T]\d\d:)/;
const CARET = /^[ \t]+[~^][~^ \t]*$/;
const JAVA_FRAME = /^\s+at ([^\s(]{1,1000})\([^)]{0,1000}\)(?: ~?\[[^\]]{0,300}\])?\s*$/;
// a frame the platform stripped of its indentation: only with a real Java location
const JAVA_FRAME_BARE = /^at [^\s(]{1,1000}\((?:[\w$.-]{1,200}\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/;
const JAVA_MORE = /^\s+\.\.\. \d+ (?:more|common frames omitted)\s*$/;
const JAVA_EXC = /^(?:Exception in thread "[^"]{0,200}" )?([A-Za-z_$][\w$.]*)(?:: ?(.*))?$/;
const NODE_EXC = /^(\s*)(\[cause\]: |Uncaught )?([A-Z][\w$]*)(?: \[([A-Z0-9_]{1,100})\])?(?:: ?(.*))?$/;
const NODE_CODE = /^(\s*)code: '([\w-]{1,100})',?$/;
const GO_PANIC = /^\s*(panic|fatal error): (.*)$/;
const GO_FILE = /^\s+\S+\.(?:go|s):\d+(?: \+0x[0-9a-f]+)?$/;
const GO_NAME = /^[\w./*()[\]$~-]+$/;
const GO_ARGS = /^[0-9a-fx{}, .?]*$/;

function boundedLines(text: string): string[] {
  let s = text;
  if (s.length > HEAD_CHARS + TAIL_CHARS) {
    const head = s.slice(0, HEAD_CHARS);
    const tail = s.slice(s.length - TAIL_CHARS);
    s = head.slice(0, head.lastIndexOf('\n') + 1) + tail.slice(tail.indexOf('\n') + 1);
  }
  return s.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function exceptionLine(type: string, message: string, text: string, code?: string): ExceptionLine {
  return code === undefined ? { type, message, text } : { type, message, text, code };
}

function withContinuation(e: ExceptionLine, more: string[]): ExceptionLine {
  while (more.length > 0 && (more[more.length - 1] ?? '').trim() === '') more.pop();
  return more.length === 0 ? e : { ...e, message: [e.message, ...more].join('\n') };
}

/** Innermost frames matter most: a 1000-deep recursion keeps its last MAX_FRAMES. */
function capFrames(frames: string[]): string[] {
  return frames.length > MAX_FRAMES ? frames.slice(frames.length - MAX_FRAMES) : frames;
}

// ---------- Python ----------

/** Exception-group members are printed behind "  | " and "+-+---- 1 ----" rails. */
function stripGroupRail(line: string): string {
  let i = 0;
  let cut = -1;
  while (i < line.length && ' \t|+'.includes(line[i] as string)) {
    if (line[i] === '|' || line[i] === '+') cut = i + 1;
    i++;
  }
  if (cut < 0) return line;
  return line.slice(line[cut] === ' ' ? cut + 1 : cut);
}

const isGroupBoundary = (t: string): boolean => t.startsWith('--') || t.startsWith('-+');

const PY_ROOTS = /^\/(?:app|workspace|srv|code|opt\/app|usr\/src\/app|usr\/local\/bin|usr\/bin|home\/[^/]+)\//;

/** "/usr/local/lib/python3.11/site-packages/uvicorn/main.py" -> "uvicorn.main" */
export function pythonModule(file: string): string {
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

interface PyBlock {
  exc: ExceptionLine | null;
  more: string[];
  frames: string[];
  linked: boolean;
}

function parsePythonException(t: string): ExceptionLine {
  const m = PY_EXC.exec(t);
  if (m) return exceptionLine(m[1] as string, m[2] ?? '', t);
  const colon = t.indexOf(':');
  return exceptionLine(colon < 0 ? t : t.slice(0, colon), colon < 0 ? '' : t.slice(colon + 1).trim(), t);
}

type PyState = 'idle' | 'frames' | 'message' | 'linked' | 'boundary';

/** One line of a Python trace; returns the new state. */
function pythonStep(blocks: PyBlock[], state: PyState, raw: string, group: boolean): PyState {
  const line = group ? stripGroupRail(raw) : raw;
  const t = line.trim();
  const block = blocks[blocks.length - 1];
  if (t.endsWith(PY_HEADER)) {
    blocks.push({ exc: null, more: [], frames: [], linked: state === 'linked' });
    return 'frames';
  }
  if (PY_SEPARATORS.has(t)) return 'linked';
  if (group && isGroupBoundary(t)) return 'boundary';
  if (!block || (state !== 'frames' && state !== 'message')) return state;
  if (state === 'message') {
    if (LOG_RECORD.test(line)) return 'idle';
    block.more.push(line);
    return state;
  }
  const f = PY_FRAME.exec(line);
  if (f) block.frames.push(`${pythonModule(f[1] as string)}:${f[2] ?? '?'}`);
  else if (t !== '' && line === line.trimStart()) {
    block.exc = parsePythonException(t);
    return 'message';
  }
  return state;
}

function parsePython(lines: string[]): StackInfo | null {
  const group = lines.some((l) => l.includes('Exception Group Traceback'));
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
  return { language: 'python', exceptions, rootIndex, frames: capFrames(main[0]?.frames ?? []) };
}

function chainIndexOf(chains: PyBlock[][], block: PyBlock | undefined): number {
  const i = chains.findIndex((c) => block !== undefined && c.includes(block));
  return i < 0 ? chains.length - 1 : i;
}

// ---------- Java ----------

/** "java.base/java.lang.Thread.run", "app//com.x.Foo$$SpringCGLIB$$0.run" -> stable class.method */
export function javaFrameName(name: string): string {
  let n = name.replace(/\/0x[0-9a-fA-F]+/g, ''); // hidden-class address of a lambda
  n = n.slice(n.lastIndexOf('/') + 1); // module prefix
  return n.replace(/\$\d+/g, '$').replace(/(Accessor|Proxy)\d+/g, '$1');
}

function parseJavaException(t: string): ExceptionLine | null {
  const m = JAVA_EXC.exec(t);
  const type = m?.[1] ?? '';
  // a qualified class name: a package, then a capitalised class
  if (!m || !/\.[A-Z][\w$]*$/.test(type)) return null;
  const text = t.replace(/^Exception in thread "[^"]{0,200}" /, '');
  return exceptionLine(type, m[2] ?? '', text);
}

interface JavaState {
  excs: ExceptionLine[];
  more: string[][];
  frames: string[];
  collecting: boolean;
  suppressed: boolean;
  framed: boolean;
}

function javaStep(s: JavaState, line: string): void {
  const f = JAVA_FRAME.exec(line);
  if (f || JAVA_MORE.test(line)) {
    if (f && !s.suppressed && s.excs.length === 1) s.frames.push(javaFrameName(f[1] as string));
    s.framed = s.framed || f !== null;
    s.collecting = false;
    return;
  }
  // a text that starts at a "Caused by:" (the head was logged separately) starts with it
  if (line.startsWith('Caused by: ')) {
    const e = parseJavaException(line.slice(11).trim());
    if (e) {
      s.excs.push(e);
      s.more.push([]);
    }
    s.collecting = e !== null;
    s.suppressed = false;
    return;
  }
  if (/^\s+(?:Suppressed|Caused by): /.test(line)) {
    s.suppressed = true;
    s.collecting = false;
    return;
  }
  const top = s.framed ? null : parseJavaException(line.trim());
  if (top) {
    s.excs = [top];
    s.more = [[]];
    s.collecting = true;
  } else if (s.collecting) s.more[s.more.length - 1]?.push(line);
}

function parseJava(lines: string[]): StackInfo | null {
  const s: JavaState = { excs: [], more: [], frames: [], collecting: false, suppressed: false, framed: false };
  for (const line of lines) javaStep(s, line);
  if (!s.framed || s.excs.length === 0) return null;
  const exceptions = s.excs.map((e, i) => withContinuation(e, s.more[i] ?? []));
  const frames = capFrames(s.frames.slice(0, MAX_FRAMES).reverse());
  return { language: 'java', exceptions, rootIndex: exceptions.length - 1, frames };
}

// ---------- Node ----------

function isNodeLocation(loc: string, strict: boolean): boolean {
  // a file:line:col with a path or extension ("    at 10:30:00" is prose)
  if (!/\s/.test(loc) && /:\d+:\d+$/.test(loc) && /[/.]/.test(loc)) return true;
  return !strict && (loc === 'native' || loc === '<anonymous>' || /^index \d+$/.test(loc) || /^node:\S+$/.test(loc));
}

/** "    at fn (loc)" or "    at loc"; a line without indentation only with a file:line:col. */
function nodeFrameParts(line: string): { fn: string; loc: string } | null {
  const t = line.trimStart();
  if (!t.startsWith('at ')) return null;
  const strict = t.length === line.length;
  const body = t.slice(3).trimEnd().replace(/ \{$/, ''); // " {" opens the error's property block
  const open = body.endsWith(')') ? body.lastIndexOf(' (') : -1;
  const [fn, loc] = open > 0 ? [body.slice(0, open), body.slice(open + 2, -1)] : ['', body];
  return isNodeLocation(loc, strict) ? { fn, loc } : null;
}

const NODE_ROOTS = /^\/(?:app|workspace|srv|usr\/src\/app|home\/[^/]+)\//;

/** "Module._load (node:internal/modules/cjs/loader:1023:12)" -> "node:internal/modules/cjs/loader:Module._load" */
function nodeFrameName(fn: string, loc: string): string {
  let file = /^index \d+$/.test(loc) ? '<native>' : loc.replace(/:\d+(?::\d+)?$/, '').replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('node_modules/');
  file = nm >= 0 ? file.slice(nm + 13) : file.replace(NODE_ROOTS, '').replace(/^\//, '');
  file = file.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, '');
  const name = fn.replace(/ \[as [^\]]{0,200}\]$/, '').replace(/^(?:async |new )/, '');
  return `${file}:${name || '<anonymous>'}`;
}

interface NodeState {
  excs: ExceptionLine[];
  indents: number[];
  more: string[][];
  frames: string[];
  collecting: boolean;
}

function nodeStep(s: NodeState, line: string): void {
  const f = nodeFrameParts(line);
  if (f) {
    if (s.excs.length === 1) s.frames.push(nodeFrameName(f.fn, f.loc));
    s.collecting = false;
    return;
  }
  const m = NODE_EXC.exec(line);
  const type = m?.[3] ?? '';
  if (m && /(?:Error|Exception|Rejection)$/.test(type) && (m[2] === '[cause]: ' ? s.excs.length > 0 : s.frames.length === 0 && m[1] === '')) {
    const e = exceptionLine(type, m[5] ?? '', line.trim().replace(/^(?:\[cause\]: |Uncaught )/, ''), m[4]);
    if (m[2] !== '[cause]: ') [s.excs, s.indents, s.more] = [[], [], []];
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
  else s.collecting = false;
}

function parseNode(lines: string[]): StackInfo | null {
  const s: NodeState = { excs: [], indents: [], more: [], frames: [], collecting: false };
  for (const line of lines) nodeStep(s, line);
  if (s.excs.length === 0 || s.frames.length === 0) return null;
  const exceptions = s.excs.map((e, i) => withContinuation(e, s.more[i] ?? []));
  const frames = capFrames(s.frames.slice(0, MAX_FRAMES).reverse());
  return { language: 'node', exceptions, rootIndex: exceptions.length - 1, frames };
}

// ---------- Go ----------

const isGoroutine = (t: string): boolean => t.startsWith('goroutine ') && t.endsWith(']:') && /^goroutine \d+ /.test(t);

/** "github.com/jackc/pgx/v5/pgxpool.(*Pool).Acquire(0xc000010000, {0x9a8b40, 0xc0})" -> name, or null */
function goFunction(line: string): string | null {
  if (line !== line.trimStart() || !line.endsWith(')')) return null;
  const open = line.lastIndexOf('(', line.length - 2);
  const name = line.slice(0, open);
  const args = line.slice(open + 1, -1);
  const ok = open > 0 && name.includes('.') && GO_NAME.test(name) && (args === '...' || GO_ARGS.test(args));
  return ok ? name : null;
}

function parseGo(lines: string[]): StackInfo | null {
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
    } else if (phase === 'panic' && panics.length > 0 && line.trim() !== '') more[more.length - 1]?.push(line.trim());
  }
  if (panics.length === 0 || phase === 'panic') return null;
  const exceptions = panics.map((e, i) => withContinuation(e, more[i] ?? [])).reverse();
  return { language: 'go', exceptions, rootIndex: exceptions.length - 1, frames: capFrames(frames.slice(0, MAX_FRAMES).reverse()) };
}

// ---------- API ----------

/** The stack trace in a multi-line text, or null when there is none. */
export function parseStack(text: string): StackInfo | null {
  if (typeof text !== 'string' || !text.includes('\n')) return null;
  try {
    const lines = boundedLines(text);
    const joined = lines.join('\n');
    const python = joined.includes(PY_HEADER) ? parsePython(lines) : null;
    const go = python === null && joined.includes('goroutine ') ? parseGo(lines) : null;
    return python ?? go ?? parseJava(lines) ?? parseNode(lines);
  } catch {
    // a parser bug must degrade to "no stack", never stop classification
    return null;
  }
}

/** Indented (4+ spaces) Python source: a statement keyword, a call, a subscript or an assignment. */
const SOURCE_STATEMENT = /^ {4,}(?:(?:raise|return|await|yield|assert|async|del|lambda|def|class|elif|except|nonlocal)\b|from [\w.]+ import |import [\w.]+(?:,|$| as )|(?:if|for|while|with) .*:$)/;
const SOURCE_EXPR = /^ {4,}[A-Za-z_][\w.]*(?:\(|\[| ?[-+*/|&%]?= )/;
const SOURCE_CLOSE = /^ {4,}[)\]}]+[,:]?$/;

function looksLikeSource(line: string): boolean {
  return SOURCE_STATEMENT.test(line) || SOURCE_EXPR.test(line) || SOURCE_CLOSE.test(line);
}

/** Lines at column 0: a trimmed frame, a goroutine header or a Go function line. */
function unindentedFragment(line: string, t: string): FragmentKind | null {
  if (t.startsWith('File "')) return PY_FRAME.test(line) ? 'frame' : null;
  if (t.startsWith('at ')) return JAVA_FRAME_BARE.test(line) ? 'java_frame' : nodeFrameParts(line) ? 'node_frame' : null;
  if (isGoroutine(t)) return 'go_goroutine';
  if (t.startsWith('created by ')) return / in goroutine \d+$/.test(t) ? 'go_frame' : null;
  return goFunction(line) !== null ? 'go_frame' : null;
}

function indentedFragment(line: string, t: string): FragmentKind | null {
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

/**
 * For a one-line entry: which part of a split traceback it is, or null. Exception lines are not
 * fragments (they are classified); neither are ordinary log lines, so an indented line counts as
 * source only when it reads as code (see SOURCE_*), never as prose like "    Uvicorn running on".
 */
export function fragmentKind(line: string): FragmentKind | null {
  if (typeof line !== 'string' || line.length > MAX_FRAGMENT_CHARS) return null;
  const l = line.replace(/\r?\n$/, '');
  const t = l.trim();
  if (t === '' || l.includes('\n')) return null;
  return traceFragment(l, t);
}

/** Exception types of the chain plus the frames of the reported one, as Sentry groups them. */
export function stackFingerprintInput(info: StackInfo): string {
  const types = info.exceptions.map((e) => (e.code ? `${e.type}[${e.code}]` : e.type)).join('<');
  // recursion depth varies between crashes; collapse repeated frames
  const frames = info.frames.filter((f, i) => f !== info.frames[i - 1]);
  return `${info.language}|${types}|${frames.join('>')}`;
}
