import type { EntryText } from './message.js';

/** Only short messages are remembered: they are the ones that repeat (lifecycle lines, probes). */
export const MEMO_MAX_CHARS = 1024;
const MEMO_MAX_ENTRIES = 8192;

type ByText<V> = Map<string, V>;
type BySeverity<V> = Map<string, ByText<V>>;

const lengthOf = (part: string | null): number => (part === null ? -1 : part.length);

/** Unambiguous whatever the parts hold: their lengths lead, then the parts themselves. */
function compositeKey(text: EntryText): string {
  return `${lengthOf(text.message)},${lengthOf(text.stack)},${lengthOf(text.detail)}:${text.message ?? ''}${text.stack ?? ''}${text.detail ?? ''}`;
}

/**
 * What was made from a message before, by (workload scope, severity, text). Nested maps rather
 * than one joined key: the common entry (a message with no stack or detail) is then looked up
 * by strings it already has, with no key to build and hash. Bounded: dropped when full.
 */
export class MessageMemo<V> {
  private readonly plain = new Map<string, BySeverity<V>>();
  private readonly composite = new Map<string, BySeverity<V>>();
  private size = 0;

  /** The remembered value, or `compute()` remembered; texts over MEMO_MAX_CHARS are not kept. */
  get(text: EntryText, scope: string, severity: string, compute: () => V): V {
    const size = (text.message?.length ?? 0) + (text.stack?.length ?? 0) + (text.detail?.length ?? 0);
    if (size > MEMO_MAX_CHARS) return compute();
    const isPlain = text.stack === null && text.detail === null && text.message !== null;
    const key = isPlain ? (text.message as string) : compositeKey(text);
    const top = isPlain ? this.plain : this.composite;
    let byText = this.slot(top, scope, severity);
    const hit = byText.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (this.size >= MEMO_MAX_ENTRIES) {
      this.clear();
      byText = this.slot(top, scope, severity);
    }
    byText.set(key, value);
    this.size += 1;
    return value;
  }

  private slot(top: Map<string, BySeverity<V>>, scope: string, severity: string): ByText<V> {
    let bySeverity = top.get(scope);
    if (bySeverity === undefined) top.set(scope, (bySeverity = new Map()));
    let byText = bySeverity.get(severity);
    if (byText === undefined) bySeverity.set(severity, (byText = new Map()));
    return byText;
  }

  private clear(): void {
    this.plain.clear();
    this.composite.clear();
    this.size = 0;
  }
}
