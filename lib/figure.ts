/**
 * One figure of the log text: `%.1f` of `iec(bytes, "B")` through the
 * grouping printer, without the printer, the general `iec` formatter or the
 * other precisions of `fixedFast`.
 *
 * Why this file exists: bundle size. `LiveMemUse` bundled alone (esbuild,
 * minified, gzip -9) is 3,047 B with this file (the JSR layout, by
 * scripts/size.mjs) and was 13,308 B when each figure was
 * `new Printer({ grouping: true }).sprintf("%.1f", iec(bytes, "B"))`, which
 * brings in the whole printer, the general `iec` formatter and Go's Unicode
 * tables (measured when the tables were added). The tests check that both
 * print the same text.
 *
 * @module
 */

// The IEC prefixes from Ki (k = 1) to Yi (k = 8), one letter each: a
// string is smaller in a bundle than a list of the nine units.
const PREFIXES = "KMGTPEZY";
// The index of Yi, as a literal: `PREFIXES.length` is a property read
// a bundler cannot prove pure.
const TOP = 8;

/**
 * `m.toFixed(1)` with Go's ties to even (m >= 0), fast below 1024 (every
 * prefix but YiB).
 */
function tenths(m: number): string {
  // m·10 rounded to an integer by float arithmetic, as number_text.ts's
  // roundScaled does it (see there why it is exact): written out here for
  // the one scale and range needed, because roundScaled would add its bytes
  // to a bundle of LiveMemUse alone. Below 1024, m·10 < 2^14, so the
  // product's fraction is off by far less than its distance to one half,
  // unless it is one half exactly (a tie, or a near-tie): then the slow
  // path decides.
  const hi = m * 10;
  const n = Math.round(hi);
  if (m < 1024 && n - hi !== 0.5) {
    // Small integers as int32: engines turn those into text fastest.
    return (n / 10 | 0) + "." + (n % 10 | 0);
  }
  // From 1e21 (YiB only) toFixed turns exponential, and such a double is
  // an integer: its exact digits are BigInt's.
  if (m >= 1e21) return BigInt(m) + ".0";
  // toFixed rounds the exact value, but a tie up. The ties are x.25 and
  // x.75 (4m odd): Go rounds them to even, which differs for x.25 only.
  const text = m.toFixed(1);
  return m * 4 % 4 === 1 ? text.slice(0, -1) + "2" : text;
}

/**
 * `%.1f` of `iec(bytes, "B")` through `new Printer({ grouping: true })`:
 * `63.8MiB`, `1,023.0B`, `-2.1MiB`, `1.0MiB` for 1048575 (a mantissa that
 * rounds up to 1024 moves to the next prefix), `0.0B` for -0.04.
 *
 * @param bytes A size in bytes, possibly negative (a derived part).
 * @returns The figure.
 *
 * @example Figures
 * ```ts
 * import { figure } from "./figure.ts";
 * if (figure(123456789) !== "117.7MiB" || figure(1023) !== "1,023.0B") throw new Error();
 * ```
 */
export function figure(bytes: number): string {
  let neg = bytes < 0;
  const abs = neg ? -bytes : bytes;
  // NaN and the infinities, as the printer prints them.
  if (!(abs < Infinity)) return abs !== abs ? "NaNB" : neg ? "-InfB" : "+InfB";
  // The mantissa m = abs / 1024^k: dividing by 1024 is exact.
  let m = abs;
  let k = 0;
  while (k < TOP && m >= 1024) {
    m /= 1024;
    k++;
  }
  let text = tenths(m);
  // Only a mantissa of at least 1023.95 can print as 1024.0.
  if (k < TOP && m >= 1023.9 && Number(text) >= 1024) {
    m /= 1024;
    k++;
    text = tenths(m);
  }
  if (neg && text === "0.0") neg = false;
  // Grouping, as the printer does: only 1,000-1,023.9 and beyond Yi need it.
  if (m >= 999.95) text = text.replace(/\B(?=(\d{3})+\.)/g, ",");
  return (neg ? "-" : "") + text + (k > 0 ? PREFIXES[k - 1] + "iB" : "B");
}

/**
 * {@link figure} with a sign always: `+1.2MiB`, `-512.0KiB`, `+0.0B`, for
 * differences and rates.
 *
 * @param bytes A difference in bytes.
 * @returns The signed figure.
 *
 * @example Signed figures
 * ```ts
 * import { signedFigure } from "./figure.ts";
 * if (signedFigure(1536) !== "+1.5KiB" || signedFigure(-1536) !== "-1.5KiB") throw new Error();
 * ```
 */
export function signedFigure(bytes: number): string {
  const text = figure(bytes);
  return text[0] === "-" ? text : "+" + text;
}
