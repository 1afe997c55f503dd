/** A small seeded PRNG (mulberry32), so every runtime sees the same cases. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A double drawn from all bit patterns, so every exponent shows up. */
  double(): number {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, this.int(2 ** 32));
    view.setUint32(4, this.int(2 ** 32));
    return view.getFloat64(0);
  }
}

/** How many runs a property test makes: `LIVEMEM_PROPERTY_RUNS` or `fallback`. */
export function propertyRuns(fallback: number): number {
  const env =
    (globalThis as { process?: { env?: Record<string, string | undefined> } })
      .process?.env;
  const n = Number(env?.LIVEMEM_PROPERTY_RUNS);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}
