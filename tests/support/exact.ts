// Exact rational arithmetic over bigints, for checking printed quantities
// against the true value of a double without any rounding of our own.

/** A rational number `n / d`, with `d > 0`. */
export interface Ratio {
  n: bigint;
  d: bigint;
}

/** The exact value of a finite double or of a bigint. */
export function exact(v: number | bigint): Ratio {
  if (typeof v === "bigint") return { n: v, d: 1n };
  if (!Number.isFinite(v)) throw new RangeError(`not finite: ${v}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let e: number;
  if (biased === 0) e = -1074; // subnormal (or zero)
  else {
    mantissa |= 1n << 52n;
    e = biased - 1075;
  }
  const n = negative ? -mantissa : mantissa;
  return e >= 0 ? { n: n << BigInt(e), d: 1n } : { n, d: 1n << BigInt(-e) };
}

/** `base ** k` as a ratio, for any integer `k`. */
export function power(base: number, k: number): Ratio {
  const b = BigInt(base);
  return k >= 0 ? { n: b ** BigInt(k), d: 1n } : { n: 1n, d: b ** BigInt(-k) };
}

export const mul = (a: Ratio, b: Ratio): Ratio => ({
  n: a.n * b.n,
  d: a.d * b.d,
});
export const add = (a: Ratio, b: Ratio): Ratio => ({
  n: a.n * b.d + b.n * a.d,
  d: a.d * b.d,
});
export const neg = (a: Ratio): Ratio => ({ n: -a.n, d: a.d });
export const abs = (a: Ratio): Ratio => ({ n: a.n < 0n ? -a.n : a.n, d: a.d });

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function cmp(a: Ratio, b: Ratio): number {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
}

/** A ratio from a decimal text such as `-1,234.56` (commas ignored). */
export function decimal(text: string): Ratio {
  const m = /^([-+]?)([\d,]*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] + (m[3] ?? "")).replaceAll(",", "") === "") {
    throw new SyntaxError(`not a decimal: ${JSON.stringify(text)}`);
  }
  const frac = m[3] ?? "";
  const digits = BigInt((m[2].replaceAll(",", "") || "0") + frac);
  return {
    n: m[1] === "-" ? -digits : digits,
    d: 10n ** BigInt(frac.length),
  };
}

/** A readable form of a ratio, for assertion messages. */
export function show(a: Ratio): string {
  return `${a.n}/${a.d} (≈${Number(a.n) / Number(a.d)})`;
}
