import { type ExceptionLine, JAVA_EXC, JAVA_FRAME, JAVA_MORE, MAX_FRAMES, type StackInfo, capFrames, exceptionLine, withContinuation } from './common.js';

/** Java/Kotlin traces with their Caused-by chains. */

/** "java.base/java.lang.Thread.run", "app//com.x.Foo$$SpringCGLIB$$0.run" -> stable class.method */
export function javaFrameName(name: string): string {
  let n = name.replace(/\/0x[0-9a-fA-F]+/g, ''); // hidden-class address of a lambda
  n = n.slice(n.lastIndexOf('/') + 1); // module prefix
  return n.replace(/\$\d+/g, '$').replace(/(Accessor|Proxy)\d+/g, '$1');
}

export function parseJavaException(t: string): ExceptionLine | null {
  const m = JAVA_EXC.exec(t);
  const type = m?.[1] ?? '';
  // a qualified class name: a package, then a capitalised class
  if (!m || !/\.[A-Z][\w$]*$/.test(type)) return null;
  const text = t.replace(/^Exception in thread "[^"]{0,200}" /, '');
  return exceptionLine(type, m[2] ?? '', text);
}

export interface JavaState {
  excs: ExceptionLine[];
  more: string[][];
  frames: string[];
  collecting: boolean;
  suppressed: boolean;
  framed: boolean;
}

export function javaStep(s: JavaState, line: string): void {
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

export function parseJava(lines: string[]): StackInfo | null {
  return parseJavaLines(isIndentedThrowable(lines) ? lines.map((l, i) => (i === 0 ? l : l.slice(1))) : lines);
}

/**
 * Tomcat's JULI formatter, as the Ops Agent collects it, prints a throwable one tab in under its
 * record (`Failed to initialize component …`, then `\torg.apache…LifecycleException`, `\t\tat …`,
 * `\tCaused by: java.net.BindException`): read as is, its causes look like suppressed ones.
 * Every line after the first is so indented, frames by two tabs and never by one, which a
 * trace at column 0 (frames `\tat`, `\tSuppressed:` blocks) never is.
 */
function isIndentedThrowable(lines: string[]): boolean {
  // the throwable itself comes right under the record (a stackless exception's Suppressed block does not)
  const first = lines[1];
  if (lines.length < 3 || first === undefined || !first.startsWith('\t') || /^\t(?:Suppressed|Caused by): /.test(first) || parseJavaException(first.slice(1)) === null) return false;
  let framed = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    if (!line.startsWith('\t') || line.startsWith('\tat ') || line.startsWith('\t... ')) return false;
    framed ||= line.startsWith('\t\tat ');
  }
  return framed;
}

function parseJavaLines(lines: string[]): StackInfo | null {
  const s: JavaState = { excs: [], more: [], frames: [], collecting: false, suppressed: false, framed: false };
  for (const line of lines) javaStep(s, line);
  if (!s.framed || s.excs.length === 0) return null;
  const exceptions = s.excs.map((e, i) => withContinuation(e, s.more[i] ?? []));
  const frames = capFrames(s.frames.slice(0, MAX_FRAMES).reverse());
  return { language: 'java', exceptions, rootIndex: exceptions.length - 1, frames };
}
