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

/** One generation of remembered values: (scope, severity, text) in nested maps. */
class Generation<V> {
  readonly plain = new Map<string, BySeverity<V>>();
  readonly composite = new Map<string, BySeverity<V>>();
  size = 0;

  find(isPlain: boolean, scope: string, severity: string, key: string): V | undefined {
    return (isPlain ? this.plain : this.composite).get(scope)?.get(severity)?.get(key);
  }

  add(isPlain: boolean, scope: string, severity: string, key: string, value: V): void {
    const top = isPlain ? this.plain : this.composite;
    let bySeverity = top.get(scope);
    if (bySeverity === undefined) top.set(scope, (bySeverity = new Map()));
    let byText = bySeverity.get(severity);
    if (byText === undefined) bySeverity.set(severity, (byText = new Map()));
    byText.set(key, value);
    this.size += 1;
  }
}

/**
 * What was made from a message before, by (workload scope, severity, text). Nested maps rather
 * than one joined key: the common entry (a message with no stack or detail) is then looked up
 * by strings it already has, with no key to build and hash.
 *
 * Bounded by two generations: new values go to the young one; when it is full it becomes the
 * old one and the former old one is dropped. A value found only in the old generation moves
 * back to the young one, so the lines a fleet repeats survive a flood of one-off lines (request
 * ids, order numbers), which used to empty the whole memo every MEMO_MAX_ENTRIES of them.
 */
export class MessageMemo<V> {
  private young = new Generation<V>();
  private old = new Generation<V>();

  /** The remembered value, or `compute()` remembered; texts over MEMO_MAX_CHARS are not kept. */
  get(text: EntryText, scope: string, severity: string, compute: () => V): V {
    const size = (text.message?.length ?? 0) + (text.stack?.length ?? 0) + (text.detail?.length ?? 0);
    if (size > MEMO_MAX_CHARS) return compute();
    const isPlain = text.stack === null && text.detail === null && text.message !== null;
    const key = isPlain ? (text.message as string) : compositeKey(text);
    const hit = this.young.find(isPlain, scope, severity, key);
    if (hit !== undefined) return hit;
    const value = this.old.find(isPlain, scope, severity, key) ?? compute();
    if (this.young.size >= MEMO_MAX_ENTRIES / 2) {
      this.old = this.young;
      this.young = new Generation<V>();
    }
    this.young.add(isPlain, scope, severity, key, value);
    return value;
  }
}
