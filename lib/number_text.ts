/**
 * Number-to-text helpers shared by the printer (`fmt/`) and the quantities
 * (`units.ts`, `figure.ts`): fixed notation with Go's ties to even, the text
 * of a scaled integer, digit grouping and the `#` form of a float's text.
 * Neither side reaches into the other's internals; both use these.
 *
 * @module
 */

/** 10^p, exact, for the precisions {@link roundScaled} handles. */
export const POW10: readonly number[] = [
  1,
  10,
  100,
  1e3,
  1e4,
  1e5,
  1e6,
  1e7,
  1e8,
];
// Literals, not `2 ** 50`: a bundler keeps an exponentiation it cannot fold.
const TWO50 = 1125899906842624; // 2^50
const INT32_MAX = 2147483647; // 2^31 - 1
const DOT_DIGIT = [".0", ".1", ".2", ".3", ".4", ".5", ".6", ".7", ".8", ".9"];

/**
 * `x·scale` (x >= 0, scale = 10^p with p <= 8) rounded to an integer, ties
 * to even, by float arithmetic alone; -1 when it cannot decide (x·scale >=
 * 2^50, or the fraction of the product is exactly one half).
 *
 * Why it is exact: `hi = x·scale` is the product rounded, so the true
 * product is `hi + lo` with |lo| <= ulp(hi)/2, and ulp(hi) <= 1/8 below 2^50.
 * With `n = floor(hi)`, `f = hi - n` is exact, and `f` and 1/2 are both
 * multiples of ulp(hi): when `f ≠ 1/2` they differ by at least ulp(hi) > |lo|,
 * so comparing `f` with 1/2 rounds the true product correctly. Only `f = 1/2`
 * (a tie, or a near-tie hidden by `lo`) needs more, and is left to the caller.
 */
export function roundScaled(x: number, scale: number): number {
  const hi = x * scale;
  if (!(hi < TWO50)) return -1;
  const n = Math.floor(hi);
  const f = hi - n;
  return f > 0.5 ? n + 1 : f < 0.5 ? n : -1;
}

/**
 * The fixed-notation text of `n / 10^prec` (n an integer, 0 <= n < 2^50,
 * prec <= 8), with trailing zeros of the fraction dropped when `trim`.
 */
export function scaledText(n: number, prec: number, trim: boolean): string {
  // Integers below 2^31 are turned into int32 (`| 0`) before they become
  // text: engines convert small integers to strings much faster (a cache
  // and no float formatting) than the same values held as doubles.
  if (prec === 0) return "" + (n <= INT32_MAX ? n | 0 : n);
  const scale = POW10[prec];
  let frac = (n % scale) | 0;
  let int = (n - frac) / scale;
  if (int <= INT32_MAX) int |= 0;
  let digits = prec;
  if (trim) {
    if (frac === 0) return "" + int;
    while (frac % 10 === 0) {
      frac = (frac / 10) | 0;
      digits--;
    }
  }
  if (digits === 1) return int + DOT_DIGIT[frac];
  // 10^digits + frac has digits+1 digits: dropping the 1 zero-pads frac.
  return int + "." + ("" + ((POW10[digits] + frac) | 0)).slice(1);
}

/**
 * `x` (>= 0) in fixed notation with `prec` (<= 8) decimals, correctly
 * rounded with ties to even; undefined when {@link roundScaled} cannot decide.
 */
function fixedArith(
  x: number,
  prec: number,
  trim: boolean,
): string | undefined {
  const n = roundScaled(x, POW10[prec]);
  return n < 0 ? undefined : scaledText(n, prec, trim);
}

/**
 * `x.toFixed(prec)` with Go's ties to even, for 0 <= x < 1e21 and
 * 0 <= prec <= 100: the exact digits, never an exception.
 */
export function fixedFast(x: number, prec: number): string {
  if (prec <= 8) {
    const a = fixedArith(x, prec, false);
    if (a !== undefined) return a;
  }
  // toFixed rounds the exact binary value correctly, but a tie up.
  const s = x.toFixed(prec);
  // A tie needs x to have exactly prec+1 binary fraction digits ending in 1
  // (scaling by a power of two is exact here: x < 1e21, prec <= 100).
  const y = x * 2 ** (prec + 1);
  if (!Number.isInteger(y) || y % 2 !== 1) return s;
  // Rounded up, the last digit is the even one or one past it: an odd last
  // digit (never a 0, so no borrow) steps back to the even neighbour below.
  const last = s.charCodeAt(s.length - 1);
  if ((last - 48) % 2 === 0) return s;
  return s.slice(0, -1) + String.fromCharCode(last - 1);
}

/** Drops the trailing zeros of a fraction, and the point if nothing is left. */
export function trimZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** `trimZeros(fixedFast(x, prec))`, without building the zeros first. */
export function fixedTrimmed(x: number, prec: number): string {
  if (prec <= 8) {
    const a = fixedArith(x, prec, true);
    if (a !== undefined) return a;
  }
  return trimZeros(fixedFast(x, prec));
}

/** Inserts `,` every three digits of a run of decimal digits. */
export function groupDigits(digits: string): string {
  let i = digits.length % 3 || 3;
  let out = digits.slice(0, i);
  for (; i < digits.length; i += 3) out += "," + digits.slice(i, i + 3);
  return out;
}

/** Groups the integer digits of a fixed-notation number (no sign). */
export function groupFloat(body: string): string {
  if (body.includes("e") || body.includes("E")) return body;
  let end = 0;
  while (
    end < body.length && body.charCodeAt(end) >= 48 &&
    body.charCodeAt(end) <= 57
  ) {
    end++;
  }
  return end > 3 ? groupDigits(body.slice(0, end)) + body.slice(end) : body;
}

/**
 * The `#` flag on a float's text (no sign), as Go's `fmt` applies it: keep
 * the point, and the trailing zeros of `%g`.
 */
export function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === "v" || verb === "g" || verb === "G" || verb === "x") {
    digits = prec === -1 ? 6 : prec;
  }
  let tail = "";
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 0; i < num.length; i++) {
    const c = num[i];
    if (c === ".") {
      hasPoint = true;
    } else if (
      c === "p" || c === "P" ||
      ((c === "e" || c === "E") && verb !== "x" && verb !== "X")
    ) {
      tail = num.slice(i);
      num = num.slice(0, i);
      break;
    } else {
      if (c !== "0") sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasPoint) {
    if (num === "0") digits--;
    num += ".";
  }
  if (digits > 0) num += "0".repeat(digits);
  return num + tail;
}
