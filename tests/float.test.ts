// formatFloat against an independent exact oracle: correct rounding of the
// exact binary value, ties to even, on this runtime's toFixed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatFloat } from "../lib/fmt/float.ts";
import { propertyRuns, Random } from "./support/random.ts";

/** Exact `|x|` as numerator / 2^shift, from its IEEE bits. */
function exact(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const e = Number(bits >> 52n);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = e === 0 ? frac : frac | (1n << 52n);
  const shift = BigInt(1075 - Math.max(e, 1));
  return [mant, shift];
}

/** `%.{prec}f` by exact integer arithmetic, half to even. */
function oracleFixed(x: number, prec: number): string {
  const [num, shift] = exact(x);
  const scaled = num * 10n ** BigInt(prec);
  const den = shift >= 0n ? 1n << shift : 1n;
  const n = shift >= 0n ? scaled : scaled << -shift;
  let q = n / den;
  const r2 = (n % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q++;
  const digits = q.toString().padStart(prec + 1, "0");
  const int = digits.slice(0, digits.length - prec);
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  return sign + int + (prec > 0 ? "." + digits.slice(-prec) : "");
}

test("%f rounds the exact binary value, ties to even", () => {
  assert.equal(formatFloat(0.125, "f", 2), "0.12");
  assert.equal(formatFloat(0.375, "f", 2), "0.38");
  assert.equal(formatFloat(2.5, "f", 0), "2");
  assert.equal(formatFloat(3.5, "f", 0), "4");
  assert.equal(formatFloat(-2.5, "f", 0), "-2");
  assert.equal(formatFloat(1.005, "f", 2), "1.00"); // 1.00499999…
  assert.equal(formatFloat(-0, "f", 1), "-0.0");
});

test(`%f matches the exact oracle on ${propertyRuns(20_000)} random doubles`, () => {
  const r = new Random(42);
  for (let i = 0; i < propertyRuns(20_000); i++) {
    // Mix ties (k/2^n), ordinary values and the full range of exponents.
    const kind = r.int(3);
    const x = kind === 0
      ? (r.int(2 ** 20) - 2 ** 19) / 2 ** r.int(12)
      : kind === 1
      ? (r.next() - 0.5) * 10 ** r.int(25)
      : r.double();
    if (!Number.isFinite(x) || Math.abs(x) > 1e30) continue;
    const prec = r.int(kind === 2 ? 40 : 12);
    assert.equal(
      formatFloat(x, "f", prec),
      oracleFixed(x, prec),
      `%.${prec}f of ${x}`,
    );
  }
});

test("%e, %g and the shortest form follow Go", () => {
  assert.equal(formatFloat(1234.5678, "e", 3), "1.235e+03");
  assert.equal(formatFloat(125, "e", 1), "1.2e+02");
  assert.equal(formatFloat(1e21, "g", -1), "1e+21");
  assert.equal(formatFloat(123456789, "g", -1), "1.23456789e+08");
  assert.equal(formatFloat(100000, "g", 3), "1e+05");
  assert.equal(formatFloat(5e-324, "e", -1), "5e-324");
  assert.equal(formatFloat(1, "x", -1), "0x1p+00");
  assert.equal(formatFloat(3, "b", -1), "6755399441055744p-51");
});

test("%f to precision 100: exact digits, ties to even, never a throw", () => {
  const r = new Random(7);
  for (let i = 0; i < propertyRuns(2_000); i++) {
    const prec = 90 + r.int(11);
    // An odd multiple of 2^-(prec+1) is an exact tie at prec digits.
    const tie = (2 * r.int(2 ** 20) + 1) * 2 ** -(prec + 1);
    const plain = r.double() * 1e-14;
    for (const x of [tie, -tie, plain]) {
      if (!Number.isFinite(x)) continue;
      assert.equal(
        formatFloat(x, "f", prec),
        oracleFixed(x, prec),
        `%.${prec}f of ${x}`,
      );
    }
  }
  // 2^-101 = …533203125 × 10^-101: a tie that toFixed(100) rounds up to …3.
  const half = formatFloat(2 ** -101, "f", 100);
  assert.equal(half, oracleFixed(2 ** -101, 100));
  assert.ok(half.endsWith("53320312"), half);
});
