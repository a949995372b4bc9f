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
  /** the first workload the text was finished for, kept inline: most texts have one */
  readonly scope: string;
  readonly inline: Pair<O>;
  /** every other workload's; started over past SLOT_SCOPES of them */
  more: Map<string, Pair<O>> | null;
  /** outcomes held in `more` */
  kept: number;
}

/**
 * What a record takes from its text (`T`, read once per text) and what that becomes in one
 * workload at one kind of severity (`O`, finished per workload, failure severity or not), kept
 * in one memo looked up by the text alone. See messageOutcome in entry.ts.
 */
export class OutcomeMemo<T, O> {
  private extras = 0;
  private readonly memo = new MessageMemo<Slot<T, O>>((slot) => {
    this.extras -= slot.kept;
  });

  constructor(private readonly budget = EXTRA_OUTCOMES) {}

  get(text: EntryText, scope: string, failing: boolean, read: () => T, finish: (t: T) => O): O {
    const slot = this.memo.get(text, () => ({ text: read(), scope, inline: [undefined, undefined], more: null, kept: 0 }));
    const kind = failing ? 1 : 0;
    if (slot.scope === scope) return (slot.inline[kind] ??= finish(slot.text));
    let pair = slot.more?.get(scope);
    const known = pair?.[kind];
    if (known !== undefined) return known;
    const outcome = finish(slot.text);
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
