import type { EntryText } from './message.js';
import { MessageMemo } from './message-memo.js';

/**
 * Workloads, past the first, whose outcomes a text keeps: a text that more workloads log (a
 * probe, a platform's OOM line) has theirs made again now and then (an id lookup and a small
 * object).
 */
export const SLOT_SCOPES = 8;
/**
 * Outcomes kept past each text's first workload, over all texts: about 3 MiB. Without it a memo
 * of 8192 texts, each logged by many workloads, would keep 18 outcomes a text (50 MiB); the
 * texts many workloads share are a fleet's few platform lines, which this leaves room for.
 */
export const EXTRA_OUTCOMES = 16_384;

type Pair<O> = [O | undefined, O | undefined];

interface Slot<T, O> {
  readonly text: T;
  /** the first workload the text was finished for (null until then), kept inline: most texts have one */
  scope: string | null;
  readonly inline: Pair<O>;
  /** every other workload's; started over past SLOT_SCOPES of them */
  more: Map<string, Pair<O>> | null;
  /** outcomes held in `more` */
  kept: number;
}

/**
 * What a record takes from its text (`T`, read once per text by `read`) and what that becomes
 * in one workload at one kind of severity (`O`, made by `finish`), kept in one memo looked up
 * by the text alone. See messageOutcome in entry.ts. Both functions are given once, so a
 * lookup allocates nothing.
 */
export class OutcomeMemo<T, O> {
  private extras = 0;
  private readonly memo = new MessageMemo<Slot<T, O>>((slot) => {
    this.extras -= slot.kept;
  });
  private readonly newSlot: (text: EntryText) => Slot<T, O>;

  /** `finish` must depend on the severity only through whether it is a failure severity (`failing`). */
  constructor(
    read: (text: EntryText) => T,
    private readonly finish: (t: T, scope: string, severity: string) => O,
    private readonly budget = EXTRA_OUTCOMES,
  ) {
    this.newSlot = (text) => ({ text: read(text), scope: null, inline: [undefined, undefined], more: null, kept: 0 });
  }

  get(text: EntryText, scope: string, severity: string, failing: boolean): O {
    const slot = this.memo.get(text, this.newSlot);
    const kind = failing ? 1 : 0;
    slot.scope ??= scope;
    if (slot.scope === scope) return (slot.inline[kind] ??= this.finish(slot.text, scope, severity));
    let pair = slot.more?.get(scope);
    const known = pair?.[kind];
    if (known !== undefined) return known;
    const outcome = this.finish(slot.text, scope, severity);
    if (this.extras >= this.budget) return outcome;
    if (pair === undefined) {
      if (slot.more === null || slot.more.size >= SLOT_SCOPES) {
        this.extras -= slot.kept;
        slot.more = new Map();
        slot.kept = 0;
      }
      slot.more.set(scope, (pair = [undefined, undefined]));
    }
    pair[kind] = outcome;
    slot.kept += 1;
    this.extras += 1;
    return outcome;
  }

  /** Outcomes kept past their texts' first workloads (for tests of the bound). */
  get extraOutcomes(): number {
    return this.extras;
  }
}
