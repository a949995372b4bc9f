import { MAX_RECORD_BYTES } from './result.js';
import { ValueStreamSplitter } from './value-stream.js';

/**
 * `ndjson`: one record per line (LogEntries or Pub/Sub messages), blank lines skipped, CRLF
 * accepted. `json-array`: the elements of a JSON array, as `gcloud logging read --format=json`
 * prints it, or of a stream of concatenated JSON values. `auto`: decided once per stream.
 */
export type SplitMode = 'auto' | 'ndjson' | 'json-array';

export interface SplitterOptions {
  /**
   * Longer records are cut to this many characters and the rest dropped, so a file with no
   * newline cannot fill memory. The default is one above MAX_RECORD_BYTES, which makes
   * decodeRecord reject a cut record as INPUT.TOO_LARGE rather than as bad JSON.
   */
  maxRecordLength?: number;
}

interface Splitter {
  push(chunk: string): string[];
  end(): string[];
}

/**
 * Pure and incremental: chunks may be cut anywhere (inside strings, escapes, CRLF) and the
 * records come out identical, in input order, one per input record.
 */
export class RecordSplitter {
  private inner: Splitter | null = null;
  private head = '';
  private atStreamStart = true;
  private readonly maxRecordLength: number;

  constructor(mode: SplitMode = 'auto', options: SplitterOptions = {}) {
    this.maxRecordLength = Math.max(1, options.maxRecordLength ?? MAX_RECORD_BYTES + 1);
    if (mode === 'ndjson' || mode === 'json-array') this.inner = this.create(mode);
  }

  push(chunk: string): string[] {
    if (this.atStreamStart && chunk.length > 0) {
      this.atStreamStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (this.inner !== null) return this.inner.push(chunk);
    this.head += chunk;
    const mode = decideMode(this.head, this.maxRecordLength);
    return mode === null ? [] : this.flushHead(mode);
  }

  end(): string[] {
    const out = this.inner === null ? this.flushHead('ndjson') : [];
    return [...out, ...(this.inner?.end() ?? [])];
  }

  private flushHead(mode: Exclude<SplitMode, 'auto'>): string[] {
    this.inner = this.create(mode);
    const head = this.head;
    this.head = '';
    return this.inner.push(head);
  }

  private create(mode: Exclude<SplitMode, 'auto'>): Splitter {
    return mode === 'ndjson' ? new NdjsonSplitter(this.maxRecordLength) : new ValueStreamSplitter(this.maxRecordLength);
  }
}

/**
 * `[` first means an array. `{` alone on the first line means pretty-printed values (`jq .`, an
 * entry copied from Logs Explorer), which NDJSON would shred into one bad record per line.
 * Anything else is NDJSON. null: not enough text yet to tell.
 */
export function decideMode(head: string, limit: number): Exclude<SplitMode, 'auto'> | null {
  const first = /[^ \t\r\n]/.exec(head);
  if (first === null) return head.length > limit ? 'ndjson' : null;
  if (first[0] === '[') return 'json-array';
  if (first[0] !== '{') return 'ndjson';
  const rest = head.slice(first.index + 1);
  const newline = rest.indexOf('\n');
  const line = newline === -1 ? rest : rest.slice(0, newline);
  if (line.trim() !== '') return 'ndjson';
  if (newline !== -1) return 'json-array';
  return head.length > limit ? 'ndjson' : null;
}

class NdjsonSplitter implements Splitter {
  private line = '';
  private overflow = false;
  private out: string[] = [];

  constructor(private readonly maxRecordLength: number) {}

  push(chunk: string): string[] {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.keep(chunk.slice(start, nl));
      this.flush();
      start = nl + 1;
    }
    this.keep(chunk.slice(start));
    return this.take();
  }

  /** A last line without its newline is still a record. */
  end(): string[] {
    this.flush();
    return this.take();
  }

  private flush(): void {
    const text = !this.overflow && this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    if (this.overflow || text.trim() !== '') this.out.push(text);
    this.line = '';
    this.overflow = false;
  }

  private take(): string[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private keep(part: string): void {
    if (this.overflow) return;
    const room = this.maxRecordLength - this.line.length;
    if (part.length > room) {
      this.line += part.slice(0, room);
      this.overflow = true;
    } else {
      this.line += part;
    }
  }
}

/** For callers that already hold the whole text (tests, small uploads). */
export function splitRecords(text: string, mode: SplitMode = 'auto', options: SplitterOptions = {}): string[] {
  const splitter = new RecordSplitter(mode, options);
  return [...splitter.push(text), ...splitter.end()];
}
