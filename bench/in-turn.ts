/**
 * Two kinds of work timed on each block of lines in turn, alternating which goes first: this
 * machine's speed swings by half within seconds, and a block's two timings then share its state.
 */

export interface InTurn {
  /** seconds of the first and of the second work, summed over the blocks */
  first: number;
  second: number;
  /** the median over blocks of first / second */
  medianRatio: number;
}

type Work = (from: number, to: number) => void;

function timed(work: Work, from: number, to: number): number {
  const t0 = process.hrtime.bigint();
  work(from, to);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export function timeInTurn(count: number, block: number, first: Work, second: Work): InTurn {
  let sumFirst = 0;
  let sumSecond = 0;
  const ratios: number[] = [];
  for (let from = 0, n = 0; from < count; from += block, n++) {
    const to = Math.min(count, from + block);
    let a: number;
    let b: number;
    if (n % 2 === 0) {
      a = timed(first, from, to);
      b = timed(second, from, to);
    } else {
      b = timed(second, from, to);
      a = timed(first, from, to);
    }
    sumFirst += a;
    sumSecond += b;
    ratios.push(a / b);
  }
  ratios.sort((x, y) => x - y);
  return { first: sumFirst, second: sumSecond, medianRatio: ratios[ratios.length >> 1] as number };
}
