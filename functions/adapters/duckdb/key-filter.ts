/**
 * A Bloom filter over the keys a table holds: "certainly absent" for almost every new key, so
 * a write needs to ask the table itself only about the few keys it flags. Layered so that it
 * grows with the table: when a layer is full a larger one is added (each with half the false
 * positive rate of the one before, so the sum stays under twice the first's).
 */
interface Layer {
  bits: Uint32Array;
  /** number of bits */
  size: number;
  probes: number;
  capacity: number;
  count: number;
}

const LN2 = Math.log(2);

function layer(capacity: number, falsePositiveRate: number): Layer {
  const size = Math.max(64, Math.ceil((-capacity * Math.log(falsePositiveRate)) / (LN2 * LN2)));
  const probes = Math.max(1, Math.round((size / capacity) * LN2));
  return { bits: new Uint32Array(Math.ceil(size / 32)), size, probes, capacity, count: 0 };
}

/** FNV-1a over UTF-16 units with a chosen basis: two of them give the double hashing below. */
function fnv1a(key: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class KeyFilter {
  private readonly layers: Layer[] = [];
  private rate: number;

  constructor(
    private nextCapacity = 1 << 20,
    falsePositiveRate = 1e-5,
  ) {
    this.rate = falsePositiveRate;
  }

  /** false: the key was never added; true: it may have been */
  mightContain(key: string): boolean {
    if (this.layers.length === 0) return false;
    const h1 = fnv1a(key, 0x811c9dc5);
    const h2 = fnv1a(key, 0x6a09e667) | 1;
    return this.layers.some((l) => probe(l, h1, h2, false));
  }

  add(key: string): void {
    let top = this.layers.at(-1);
    if (!top || top.count >= top.capacity) {
      top = layer(this.nextCapacity, this.rate);
      this.layers.push(top);
      this.nextCapacity *= 2;
      this.rate /= 2;
    }
    probe(top, fnv1a(key, 0x811c9dc5), fnv1a(key, 0x6a09e667) | 1, true);
    top.count += 1;
  }

  /** bytes held by the bit arrays */
  get bytes(): number {
    return this.layers.reduce((n, l) => n + l.bits.byteLength, 0);
  }
}

/** Tests (or sets) the layer's bits of one key; true when all were set before. */
function probe(l: Layer, h1: number, h2: number, set: boolean): boolean {
  let all = true;
  for (let i = 0; i < l.probes; i++) {
    const bit = (h1 + Math.imul(i, h2)) >>> 0;
    const at = bit % l.size;
    const word = at >>> 5;
    const mask = 1 << (at & 31);
    if (((l.bits[word] as number) & mask) === 0) {
      if (!set) return false;
      all = false;
      l.bits[word] = (l.bits[word] as number) | mask;
    }
  }
  return all;
}
