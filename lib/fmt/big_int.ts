/**
 * Integers beyond Go's int64 print as Go's `*big.Int`, which formats itself
 * (its `Format` method) rather than through the printer's integer path.
 *
 * @module
 */

import type { Fmt } from "./fmt_state.ts";
import { groupDigits } from "../number_text.ts";

const BASES: Record<string, number> = {
  b: 2,
  o: 8,
  O: 8,
  d: 10,
  s: 10,
  v: 10,
  x: 16,
  X: 16,
};

const PREFIXES: Record<string, string> = { b: "0b", o: "0", x: "0x", X: "0X" };

/** Go's `(*big.Int).Format` for verb `verb` under the state `f`. */
export function formatBigInt(f: Fmt, verb: string, x: bigint): string {
  const base = BASES[verb];
  if (base === undefined) return "%!" + verb + "(big.Int=" + x + ")";
  const neg = x < 0n;
  let digits = (neg ? -x : x).toString(base);
  if (verb === "X") digits = digits.toUpperCase();
  else if (base === 10 && f.grouping) digits = groupDigits(digits);
  const sign = neg ? "-" : f.plus ? "+" : f.space ? " " : "";
  let prefix = f.sharp ? PREFIXES[verb] ?? "" : "";
  if (verb === "O") prefix = "0o";
  let zeros = 0;
  if (f.precPresent) {
    if (digits.length < f.prec) zeros = f.prec - digits.length;
    else if (digits === "0" && f.prec === 0) return "";
  }
  const length = sign.length + prefix.length + zeros + digits.length;
  let left = 0;
  let right = 0;
  if (f.widPresent && length < f.wid) {
    const d = f.wid - length;
    if (f.minus) right = d;
    else if (f.zero && !f.precPresent) zeros = d;
    else left = d;
  }
  return " ".repeat(left) + sign + prefix + "0".repeat(zeros) + digits +
    " ".repeat(right);
}
