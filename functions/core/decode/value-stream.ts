/**
 * Cuts a JSON array (or a stream of concatenated JSON values, as `jq .` prints) into its
 * top-level elements without parsing them: it tracks depth, strings and escapes only, so a
 * broken element is still one record and fails JSON.parse downstream on its own.
 *
 * Resynchronisation after a broken element relies on what every pretty-printer does: a raw
 * newline cannot occur inside a JSON string, and an element's lines are indented deeper than
 * its first line. So a newline ends any open string, and a line that starts with `{` or `[` at
 * or left of the current element's first column (or a `]` left of it) starts a new element or
 * closes the array, however unbalanced the current element was. Elements that do not begin a
 * line (compact arrays) have no column and are cut by depth alone.
 */

type State = 'outside' | 'between' | 'element';
type Kind = 'container' | 'string' | 'bare';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

export class ValueStreamSplitter {
  private state: State = 'outside';
  private kind: Kind = 'container';
  private inArray = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private atLineStart = true;
  private column = 0;
  private startColumn = -1;
  private buffer = '';
  private overflow = false;
  private chunk = '';
  private elementStart = -1;
  private out: string[] = [];

  constructor(private readonly maxRecordLength: number) {}

  push(chunk: string): string[] {
    this.chunk = chunk;
    this.elementStart = this.state === 'element' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) this.step(chunk.charCodeAt(i), i);
    if (this.state === 'element') this.keep(chunk.slice(this.elementStart));
    return this.take();
  }

  /** A truncated file's last element is still a record: it is rejected downstream, not lost. */
  end(): string[] {
    if (this.state === 'element') this.emit(this.buffer);
    this.chunk = '';
    this.state = 'outside';
    this.inArray = false;
    this.atLineStart = true;
    this.column = 0;
    return this.take();
  }

  private take(): string[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private step(c: number, i: number): void {
    if (this.state === 'element' && this.inString) return this.stepInString(c, i);
    if (c === NEWLINE) {
      this.atLineStart = true;
      this.column = 0;
      if (this.state === 'element' && this.kind === 'bare') this.finish(i);
      return;
    }
    if (isBlank(c)) {
      if (this.atLineStart) this.column++;
      else if (this.state === 'element' && this.kind === 'bare') this.finish(i);
      return;
    }
    const lineStart = this.atLineStart;
    this.atLineStart = false;
    if (this.state === 'element' && lineStart) this.resync(c, i);
    if (this.state === 'element') return this.stepInElement(c, i);
    this.stepBetween(c, i, lineStart);
  }

  private stepInString(c: number, i: number): void {
    if (this.escaped) {
      this.escaped = false;
    } else if (c === BACKSLASH) {
      this.escaped = true;
    } else if (c === QUOTE) {
      this.inString = false;
      if (this.kind === 'string') this.finish(i + 1);
    } else if (c === NEWLINE) {
      // a raw newline is never inside a valid string: the string was broken, resume scanning
      this.inString = false;
      if (this.kind === 'string') this.finish(i);
      this.atLineStart = true;
      this.column = 0;
    }
  }

  private resync(c: number, i: number): void {
    if (this.kind !== 'container' || this.startColumn < 0 || this.depth === 0) return;
    const opens = (c === OPEN_BRACE || c === OPEN_BRACKET) && this.column <= this.startColumn;
    const closesArray = c === CLOSE_BRACKET && this.column < this.startColumn;
    if (opens || closesArray) this.finish(i);
  }

  private stepInElement(c: number, i: number): void {
    if (this.kind === 'bare') {
      if (c !== COMMA && c !== CLOSE_BRACKET) return;
      this.finish(i);
      return this.stepBetween(c, i, false);
    }
    if (c === QUOTE) {
      this.inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      this.depth--;
      if (this.depth === 0) this.finish(i + 1);
    }
  }

  /** Separators are not validated: a missing or doubled comma costs nothing, a bad element is its own record. */
  private stepBetween(c: number, i: number, lineStart: boolean): void {
    if (c === COMMA) return;
    if (c === OPEN_BRACKET && this.state === 'outside') {
      this.state = 'between';
      this.inArray = true;
      return;
    }
    if (c === CLOSE_BRACKET && this.state === 'between') {
      this.state = 'outside';
      this.inArray = false;
      return;
    }
    this.start(c, i, lineStart ? this.column : -1);
  }

  private start(c: number, i: number, column: number): void {
    this.state = 'element';
    this.elementStart = i;
    this.startColumn = column;
    this.buffer = '';
    this.overflow = false;
    this.inString = c === QUOTE;
    this.escaped = false;
    this.kind = c === QUOTE ? 'string' : c === OPEN_BRACE || c === OPEN_BRACKET ? 'container' : 'bare';
    this.depth = this.kind === 'container' ? 1 : 0;
  }

  private finish(end: number): void {
    this.keep(this.chunk.slice(this.elementStart, end));
    this.emit(this.buffer);
    this.state = this.inArray ? 'between' : 'outside';
    this.inString = false;
    this.buffer = '';
  }

  private emit(text: string): void {
    // a cut element drags the next line's indentation along; an overflowing one keeps its length
    this.out.push(this.overflow ? text : text.trimEnd());
  }

  /** Memory stays bounded by the largest record: beyond the cap, text is dropped, not kept. */
  private keep(part: string): void {
    if (this.overflow) return;
    const room = this.maxRecordLength - this.buffer.length;
    if (part.length > room) {
      this.buffer += part.slice(0, room);
      this.overflow = true;
    } else {
      this.buffer += part;
    }
  }
}
