/**
 * Quantities with binary (IEC) or decimal (SI) prefixes, as values that
 * format themselves through the Formatter protocol: `iec(123456789, "B")`
 * prints `117.738MiB` under `%v` and `117.7MiB` under `%.1f`.
 *
 * @module
 */

import { formatFloat } from "./fmt/float.ts";
import { groupFloat, runeCount, sharpFloat } from "./fmt/fmt_state.ts";
import { type FormatState, type Formatter, formatter } from "./fmt/protocol.ts";

/** A prefix system: its base and its prefixes above (and below) 1. */
interface System {
  readonly name: string;
  readonly base: number;
  readonly up: readonly string[];
  readonly down: readonly string[];
}

const IEC: System = {
  name: "iec",
  base: 1024,
  up: ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"],
  down: [""],
};

const METRIC: System = {
  name: "metric",
  base: 1000,
  up: ["", "k", "M", "G", "T", "P", "E", "Z", "Y", "R", "Q"],
  down: ["", "m", "μ", "n", "p", "f", "a", "z", "y", "r", "q"],
};

const FLOAT_VERBS = "fFeEgG";

/** A number with a unit, printed with the largest prefix that keeps it >= 1. */
export interface Quantity extends Formatter {
  /** The value, in units. */
  readonly value: number | bigint;
  /** The unit after the prefix (`"B"` gives `KiB`, `MiB`, …). */
  readonly unit: string;
  /** The `%v` form: at most three decimals, trailing zeros dropped. */
  toString(): string;
}

/** `value / base^k` as a number, exactly chosen for bigints. */
function scale(sys: System, value: number | bigint, k: number): number {
  if (k === 0) return Number(value);
  if (k > 0) return Number(value) / sys.base ** k;
  return Number(value) * sys.base ** -k;
}

/** The exponent of the largest prefix whose mantissa is >= 1 in magnitude. */
function chooseExponent(sys: System, value: number | bigint): number {
  if (typeof value === "bigint") {
    const abs = value < 0n ? -value : value;
    const base = BigInt(sys.base);
    let k = 0;
    for (let p = base; k < sys.up.length - 1 && abs >= p; p *= base) k++;
    return abs === 0n || k > 0 ? k : chooseExponent(sys, Number(value));
  }
  const abs = value < 0 ? -value : value;
  let k = 0;
  if (abs >= 1) {
    while (k < sys.up.length - 1 && abs >= sys.base ** (k + 1)) k++;
  } else if (abs > 0) {
    while (k > 1 - sys.down.length && abs < sys.base ** k) k--;
  }
  return k;
}

function prefix(sys: System, k: number): string {
  return k >= 0 ? sys.up[k] : sys.down[-k];
}

/** The mantissa's text for a verb, before padding; sign included. */
function mantissaText(
  m: number,
  verb: string,
  st: FormatState | undefined,
): string {
  if (verb === "v" || verb === "s") return trimZeros(formatFloat(m, "f", 3));
  if (verb === "d") return formatFloat(m, "f", 0);
  const v = verb === "F" ? "f" : verb;
  const defaultPrec = v === "g" || v === "G" ? -1 : 6;
  const prec = st?.precision ?? defaultPrec;
  let s = formatFloat(m, v, prec);
  if (st?.sharp) {
    const neg = s[0] === "-";
    s = (neg ? "-" : "") + sharpFloat(neg ? s.slice(1) : s, v, prec);
  }
  return s;
}

function trimZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** Formats the mantissa and prefix, moving up a prefix when rounding reaches the base. */
function body(
  sys: System,
  value: number | bigint,
  verb: string,
  st: FormatState | undefined,
): [string, string] {
  let k = chooseExponent(sys, value);
  let text = mantissaText(scale(sys, value, k), verb, st);
  const top = sys.up.length - 1;
  // Only fixed notation can round up to the base; %e and %g show it as is.
  if (k < top && !"eEgG".includes(verb) && Math.abs(Number(text)) >= sys.base) {
    k++;
    text = mantissaText(scale(sys, value, k), verb, st);
  }
  return [text, prefix(sys, k)];
}

/** Sign flags, zero mantissas without a minus, digit grouping. */
function decorate(
  text: string,
  verb: string,
  st: FormatState | undefined,
): string {
  let neg = text[0] === "-";
  let digits = neg ? text.slice(1) : text;
  if (neg && !/[1-9]/.test(digits.replace(/e.*$/i, ""))) neg = false;
  if (st?.grouping && verb !== "e" && verb !== "E") digits = groupFloat(digits);
  const sign = neg ? "-" : st?.plus ? "+" : st?.space ? " " : "";
  return sign + digits;
}

/** Zero-pads the mantissa after its sign, then pads the whole text. */
function pad(mantissa: string, suffix: string, st: FormatState): string {
  const width = st.width ?? 0;
  const len = runeCount(mantissa) + runeCount(suffix);
  if (width <= len) return mantissa + suffix;
  if (st.zero && !st.minus && /\d/.test(mantissa)) {
    const signLen = /^[-+ ]/.test(mantissa) ? 1 : 0;
    const zeros = "0".repeat(width - len);
    return mantissa.slice(0, signLen) + zeros + mantissa.slice(signLen) +
      suffix;
  }
  const fill = " ".repeat(width - len);
  return st.minus ? mantissa + suffix + fill : fill + mantissa + suffix;
}

function nonFinite(value: number): string {
  return value !== value ? "NaN" : value > 0 ? "+Inf" : "-Inf";
}

/** The text of `q` for `verb` under `st` (undefined: plain `%v`). */
function render(
  sys: System,
  q: Quantity,
  verb: string,
  st: FormatState | undefined,
): string {
  const value = q.value;
  if (typeof value === "number" && !Number.isFinite(value)) {
    const text = nonFinite(value) + q.unit;
    return st ? pad(text, "", { ...stateView(st), zero: false }) : text;
  }
  const [text, pre] = body(sys, value, verb, st);
  const mantissa = decorate(text, verb, st);
  return st ? pad(mantissa, pre + q.unit, st) : mantissa + pre + q.unit;
}

function stateView(st: FormatState): FormatState {
  return {
    width: st.width,
    precision: st.precision,
    plus: st.plus,
    minus: st.minus,
    sharp: st.sharp,
    space: st.space,
    zero: st.zero,
    grouping: st.grouping,
  };
}

class UnitValue implements Quantity {
  readonly value: number | bigint;
  readonly unit: string;
  readonly #sys: System;

  constructor(sys: System, value: number | bigint, unit: string) {
    this.#sys = sys;
    this.value = value;
    this.unit = unit;
  }

  [formatter](st: FormatState, verb: string): string {
    if (
      verb === "v" || verb === "s" || verb === "d" || FLOAT_VERBS.includes(verb)
    ) {
      return render(this.#sys, this, verb, st);
    }
    return "%!" + verb + "(" + this.#sys.name + "=" + this.toString() + ")";
  }

  toString(): string {
    return render(this.#sys, this, "v", undefined);
  }
}

function check(fn: string, value: unknown, unit: unknown): void {
  if (typeof value !== "number" && typeof value !== "bigint") {
    throw new TypeError(
      `${fn}: value must be a number or bigint, got ${typeof value}`,
    );
  }
  if (typeof unit !== "string") {
    throw new TypeError(
      `${fn}: option "unit" must be a string, got ${typeof unit}`,
    );
  }
}

/**
 * A quantity with binary prefixes (`Ki Mi Gi Ti Pi Ei Zi Yi`, steps of 1024).
 *
 * @param value The quantity, in units: a number or a bigint.
 * @param unit The unit after the prefix.
 * @default unit "B"
 * @throws {TypeError} If `value` is not a number or bigint, or `unit` is not
 * a string.
 *
 * @example Memory sizes
 * ```ts
 * import { iec } from "./units.ts";
 * import { sprintf } from "./fmt/printer.ts";
 *
 * if (String(iec(123456789)) !== "117.738MiB") throw new Error();
 * if (sprintf("%.1f", iec(123456789, "B")) !== "117.7MiB") throw new Error();
 * ```
 */
export function iec(value: number | bigint, unit: string = "B"): Quantity {
  check("iec", value, unit);
  return new UnitValue(IEC, value, unit);
}

/**
 * A quantity with decimal SI prefixes (`k M G T P E Z Y R Q` up by 1000,
 * `m μ n p f a z y r q` down).
 *
 * @param value The quantity, in units: a number or a bigint.
 * @param unit The unit after the prefix.
 * @default unit ""
 * @throws {TypeError} If `value` is not a number or bigint, or `unit` is not
 * a string.
 *
 * @example Durations and rates
 * ```ts
 * import { metric } from "./units.ts";
 * import { sprintf } from "./fmt/printer.ts";
 *
 * if (sprintf("%.1f", metric(0.0015, "s")) !== "1.5ms") throw new Error();
 * if (String(metric(2500000, "Hz")) !== "2.5MHz") throw new Error();
 * ```
 */
export function metric(value: number | bigint, unit: string = ""): Quantity {
  check("metric", value, unit);
  return new UnitValue(METRIC, value, unit);
}
