/**
 * One figure of the log text: `%.1f` of `iec(bytes, "B")` through the
 * grouping printer, without the printer or the general `iec` formatter, so
 * a bundle that needs only `LiveMemUse` stays small.
 *
 * @module
 */

import { fixedFast } from "./fmt/float.ts";

const SUFFIXES = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
const TOP = SUFFIXES.length - 1;

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
  if (bytes !== bytes) return "NaNB";
  let neg = bytes < 0;
  const abs = neg ? -bytes : bytes;
  if (abs === Infinity) return neg ? "-InfB" : "+InfB";
  let k = 0;
  while (k < TOP && abs >= 1024 ** (k + 1)) k++;
  let m = abs / 1024 ** k;
  let text = fixedFast(m, 1);
  // Only a mantissa of at least 1023.95 can print as 1024.0.
  if (k < TOP && m >= 1023.9 && Number(text) >= 1024) {
    m = abs / 1024 ** ++k;
    text = fixedFast(m, 1);
  }
  if (neg && text === "0.0") neg = false;
  // Grouping, as the printer does: only 1,000-1,023.9 and beyond Yi need it.
  if (m >= 999.95) text = text.replace(/\B(?=(\d{3})+\.)/g, ",");
  return (neg ? "-" : "") + text + SUFFIXES[k];
}
