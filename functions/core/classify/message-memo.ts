import type { EntryText } from './message.js';

/** Only short messages are remembered: they are the ones that repeat (lifecycle lines, probes). */
export const MEMO_MAX_CHARS = 1024;
const MEMO_MAX_ENTRIES = 8192;

const DOOR_SLOTS = 1 << 17;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return Math.imul(h ^ 0xff, FNV_PRIME);
}

const lengthOf = (part: string | null): number => (part === null ? -1 : part.length);

/** Unambiguous whatever the parts hold: their lengths lead, then the parts themselves. */
function compositeKey(text: EntryText): string {
  const fields = text.fields ?? null;
  return `${lengthOf(text.message)},${lengthOf(text.stack)},${lengthOf(text.detail)},${lengthOf(fields)}:${text.message ?? ''}${text.stack ?? ''}${text.detail ?? ''}${fields ?? ''}`;
}

/** One generation of remembered values, by text. */
class Generation<V> {
  readonly plain = new Map<string, V>();
  readonly composite = new Map<string, V>();
  size = 0;

  find(isPlain: boolean, key: string): V | undefined {
    return (isPlain ? this.plain : this.composite).get(key);
  }

  add(isPlain: boolean, key: string, value: V): void {
    (isPlain ? this.plain : this.composite).set(key, value);
    this.size += 1;
  }

  /** Calls `dropped` for each value here that `younger` does not hold under the same key. */
  forEachDropped(younger: Generation<V>, dropped: (value: V) => void): void {
    for (const [key, value] of this.plain) if (younger.find(true, key) !== value) dropped(value);
    for (const [key, value] of this.composite) if (younger.find(false, key) !== value) dropped(value);
  }
}

/**
 * What was made from a message before, by its text. The common entry (a message with no stack
 * or detail) is looked up by the string it already has, with no key to build and hash.
 *
 * Bounded by two generations: new values go to the young one; when it is full it becomes the
 * old one and the former old one is dropped. A value found only in the old generation moves
 * back to the young one, so the lines a fleet repeats survive a flood of one-off lines (request
 * ids, order numbers), which used to empty the whole memo every MEMO_MAX_ENTRIES of them.
 */
export class MessageMemo<V> {
  private young = new Generation<V>();
  private old = new Generation<V>();
  private readonly door = new Uint8Array(DOOR_SLOTS);
  private doorOpened = 0;

  /** `onDrop` hears of each value the memo lets go of when a generation is dropped (not of values it never kept). */
  constructor(private readonly onDrop: ((value: V) => void) | null = null) {}

  /**
   * Whether the text is new to the door: then it is only marked, not kept. Most
   * one-off lines are never asked about again, and keeping their values only made work for
   * the garbage collector; a line that comes back is kept from its second time on. A hash
   * collision only keeps a line early. The door starts over after DOOR_SLOTS / 8 marks, so
   * at most an eighth of it is ever marked.
   */
  private firstSighting(key: string): boolean {
    const slot = (fnv1a(key, FNV_OFFSET) >>> 0) % DOOR_SLOTS;
    if (this.door[slot] === 1) return false;
    if (++this.doorOpened > DOOR_SLOTS / 8) {
      this.door.fill(0);
      this.doorOpened = 1;
    }
    this.door[slot] = 1;
    return true;
  }

  /**
   * The remembered value, or `compute(text)` remembered; texts over MEMO_MAX_CHARS are not kept.
   * `compute` takes the text rather than closing over it, so a caller can pass one function
   * made once instead of a closure allocated per entry.
   */
  get(text: EntryText, compute: (text: EntryText) => V): V {
    const size = (text.message?.length ?? 0) + (text.stack?.length ?? 0) + (text.detail?.length ?? 0) + (text.fields?.length ?? 0);
    if (size > MEMO_MAX_CHARS) return compute(text);
    const isPlain = text.stack === null && text.detail === null && text.message !== null && !text.fields;
    const key = isPlain ? (text.message as string) : compositeKey(text);
    const hit = this.young.find(isPlain, key);
    if (hit !== undefined) return hit;
    const old = this.old.find(isPlain, key);
    const value = old ?? compute(text);
    if (old === undefined && this.firstSighting(key)) return value;
    if (this.young.size >= MEMO_MAX_ENTRIES / 2) {
      const dropped = this.old;
      this.old = this.young;
      this.young = new Generation<V>();
      // a value moved back to the young generation is in the dropped one too, and still kept
      if (this.onDrop !== null) dropped.forEachDropped(this.old, this.onDrop);
    }
    this.young.add(isPlain, key, value);
    return value;
  }
}
