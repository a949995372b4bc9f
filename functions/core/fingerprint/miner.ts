/**
 * Batch template mining over masked tokens, in the Drain family (He et al., 2017) but order-free:
 * lines are grouped by token count, then each group is split top-down, IPLoM-style, on the
 * position with the fewest distinct constant values until every position that still varies holds
 * a variable (see positions.ts). Identical masked lines are mined once, with a count, so the cost
 * follows the number of distinct templates rather than of lines. The same multiset of lines always
 * gives the same templates and ids, whatever their order.
 */
import { maskMessage, templateId } from './mask.js';
import { leafTemplate, splitByPositions } from './split.js';
import { collapseRepeats, dropRestatements, joinQuoted } from './template.js';

export interface MinedCluster {
  /** templateId(template): stable across runs and processes for the same template */
  id: string;
  template: string;
  /** number of input lines in the cluster */
  size: number;
}

export interface MineResult {
  /** in order of first appearance in the input */
  clusters: MinedCluster[];
  /** for each input line, in input order, the index of its cluster in `clusters` */
  assignment: Int32Array;
}

/** Accumulates lines (masking and de-duplicating as it goes), then mines them all at once. */
export class TemplateMiner {
  /**
   * masked line, and collapsed masked line, -> row: a line seen before is neither split nor
   * collapsed again (collapsing is idempotent, so both kinds of key can share one map)
   */
  private readonly index = new Map<string, number>();
  /** interned token ids of each distinct (collapsed) masked line */
  private readonly rows: Int32Array[] = [];
  private readonly tokenIds = new Map<string, number>();
  private readonly text: string[] = [];
  private lineGroups = new Int32Array(1024);
  private lines = 0;

  get lineCount(): number {
    return this.lines;
  }

  add(text: string): void {
    this.addTemplate(maskMessage(text));
  }

  /** For a line already masked by maskMessage: it is only split and collapsed here. */
  addTemplate(masked: string): void {
    let g = this.index.get(masked);
    if (g === undefined) {
      const tokens = masked === '' ? [] : joinQuoted(masked.split(' '));
      const collapsed = normalised(tokens);
      g = collapsed === tokens ? this.newRow(tokens) : this.rowOf(collapsed);
      this.index.set(masked, g);
    }
    if (this.lines === this.lineGroups.length) {
      const grown = new Int32Array(this.lineGroups.length * 2);
      grown.set(this.lineGroups);
      this.lineGroups = grown;
    }
    this.lineGroups[this.lines++] = g;
  }

  private rowOf(tokens: string[]): number {
    return this.index.get(tokens.join(' ')) ?? this.newRow(tokens);
  }

  private newRow(tokens: string[]): number {
    const g = this.rows.length;
    this.index.set(tokens.join(' '), g);
    this.rows.push(Int32Array.from(tokens, (tok) => this.intern(tok)));
    return g;
  }

  private intern(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) {
      id = this.text.length;
      this.tokenIds.set(token, id);
      this.text.push(token);
    }
    return id;
  }

  finish(): MineResult {
    const byLength = new Map<number, number[]>();
    this.rows.forEach((row, i) => {
      const list = byLength.get(row.length);
      if (list) list.push(i);
      else byLength.set(row.length, [i]);
    });
    const rows = { rows: this.rows, text: this.text };
    const groupTemplate: string[] = new Array<string>(this.rows.length);
    for (const [length, members] of byLength) {
      for (const leaf of splitByPositions(members, rows, length)) {
        const template = leafTemplate(leaf, rows, length);
        for (const m of leaf) groupTemplate[m] = template;
      }
    }
    return this.assign(groupTemplate);
  }

  /** Numbers clusters by first appearance; leaves that came out with the same template are one. */
  private assign(groupTemplate: readonly string[]): MineResult {
    const clusterOf = new Map<string, number>();
    const clusters: MinedCluster[] = [];
    const assignment = new Int32Array(this.lines);
    for (let i = 0; i < this.lines; i++) {
      const template = groupTemplate[this.lineGroups[i]!]!;
      let c = clusterOf.get(template);
      if (c === undefined) {
        c = clusters.length;
        clusterOf.set(template, c);
        clusters.push({ id: templateId(template), template, size: 0 });
      }
      clusters[c]!.size++;
      assignment[i] = c;
    }
    return { clusters, assignment };
  }
}

/**
 * Restatements dropped and repeats collapsed, to a fixpoint: each step only shortens the
 * line, and a line that comes out of it is its own result, as the shared index needs. A
 * shortened line is read again as the index will read its text (split, quoted values joined):
 * collapsing can bring a quote's end within reach of its start.
 */
function normalised(tokens: string[]): string[] {
  let cur = tokens;
  for (;;) {
    const next = collapseRepeats(dropRestatements(cur));
    if (next === cur) return cur;
    cur = joinQuoted(next.join(' ').split(' '));
  }
}

/** Mines a batch of lines in one call. */
export function mineTemplates(lines: Iterable<string>): MineResult {
  const miner = new TemplateMiner();
  for (const line of lines) miner.add(line);
  return miner.finish();
}
