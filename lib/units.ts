/**
 * Quantities with binary (IEC) or decimal (SI) prefixes, as values that
 * format themselves through the Formatter protocol: `iec(123456789, "B")`
 * prints `117.738MiB` under `%v` and `117.7MiB` under `%.1f`.
 *
 * @module
 */

import { formatFloat } from "./fmt/float.ts";
import {
  fixedFast,
  fixedTrimmed,
  groupDigits,
  groupFloat,
  POW10,
  roundScaled,
  scaledText,
  sharpFloat,
  trimZeros,
} from "./number_text.ts";
import { runeCount } from "./fmt/quote.ts";
import { type FormatState, type Formatter, formatter } from "./fmt/protocol.ts";
import { optionError } from "./options.ts";

/** A prefix system: its base and its prefixes above (and below) 1. */
interface System {
  readonly name: string;
  readonly base: number;
  readonly up: readonly string[];
  readonly down: readonly string[];
  /** `base ** k` for each prefix of `up`, computed as `chooseExponent` does. */
  readonly pow: readonly number[];
  /** The suffixes of the last unit formatted (see {@link suffixes}). */
  last?: Suffixes;
  /** The suffixes of recent units. */
  byUnit?: Map<string, Suffixes>;
}

/** The texts that follow the mantissa's integer digits, for one unit. */
interface Suffixes {
  readonly unit: string;
  /** `prefix + unit`, by exponent. */
  readonly plain: readonly string[];
  /** `"." + digit + prefix + unit`, at `exponent * 10 + digit` (for `%.1f`). */
  readonly dot1: readonly string[];
}

// Longer units are not cached: each costs (prefixes × 11) strings.
const MAX_CACHED_UNIT = 16;
const MAX_CACHED_UNITS = 64;

/**
 * The suffixes of `unit` in `sys`, built on first use and cached, so the fast
 * path builds its text with one concatenation: `117` + `.7MiB`.
 */
function suffixes(sys: System, unit: string): Suffixes {
  const last = sys.last;
  if (last !== undefined && last.unit === unit) return last;
  const byUnit = sys.byUnit ??= new Map();
  let s = byUnit.get(unit);
  if (s === undefined) {
    if (byUnit.size >= MAX_CACHED_UNITS) byUnit.clear();
    const plain = sys.up.map((p) => p + unit);
    const dot1: string[] = [];
    for (const p of plain) for (let d = 0; d < 10; d++) dot1.push("." + d + p);
    s = { unit, plain, dot1 };
    byUnit.set(unit, s);
  }
  sys.last = s;
  return s;
}

function system(
  name: string,
  base: number,
  up: readonly string[],
  down: readonly string[],
): System {
  return { name, base, up, down, pow: up.map((_, k) => base ** k) };
}

const IEC: System = /* @__PURE__ */ system(
  "iec",
  1024,
  ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"],
  [""],
);

const METRIC: System = /* @__PURE__ */ system(
  "metric",
  1000,
  ["", "k", "M", "G", "T", "P", "E", "Z", "Y", "R", "Q"],
  ["", "m", "μ", "n", "p", "f", "a", "z", "y", "r", "q"],
);

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

// 1e{3k}, as literals: `1000 ** k` need not round to the same double.
const MILLI_POWERS = [
  1,
  1e3,
  1e6,
  1e9,
  1e12,
  1e15,
  1e18,
  1e21,
  1e24,
  1e27,
  1e30,
];

/** `value / base^k` as a number; below 1 (metric only) `value * 1e{-3k}`. */
function scale(sys: System, value: number | bigint, k: number): number {
  if (k === 0) return Number(value);
  if (k > 0) return Number(value) / sys.base ** k;
  return Number(value) * MILLI_POWERS[-k];
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
    while (k < sys.pow.length - 1 && abs >= sys.pow[k + 1]) k++;
  } else if (abs > 0) {
    // The first prefix down whose product |v|·1e{3k}, in doubles, is >= 1
    // (1e-21 takes y, not z: 1e-21 * 1e21 is 0.9999999999999999).
    while (k > 1 - sys.down.length && abs * MILLI_POWERS[-k] < 1) k--;
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

/** NaN and ±Inf under the sign flags, as Go's `%f` prints them. */
function nonFinite(value: number, st: FormatState | undefined): string {
  if (value !== value) return st?.plus ? "+NaN" : st?.space ? " NaN" : "NaN";
  if (value < 0) return "-Inf";
  return st?.space && !st.plus ? " Inf" : "+Inf";
}

/**
 * The fast path of `%v`, `%s`, `%d` and `%f` for a finite number (below 1 in
 * magnitude only without down-prefixes) with no width, sign flag or `#`:
 * the mantissa in fixed notation with `prec` decimals (trailing zeros
 * trimmed for `%v`), grouped if asked, then the prefix. Gives exactly what
 * `render` gives for those cases; returns undefined for anything else, which
 * `render` then handles.
 */
function fastText(
  sys: System,
  value: number,
  prec: number,
  trim: boolean,
  grouping: boolean,
  unit: string,
): string | undefined {
  let neg = value < 0;
  const abs = neg ? -value : value;
  // NaN, ±Inf and precisions toFixed cannot give take the general path; so
  // do magnitudes in (0, 1) where there are down-prefixes (metric).
  if (!(abs < Infinity) || prec > 100) return undefined;
  if (abs < 1 && abs > 0 && sys.down.length > 1) return undefined;
  const pow = sys.pow;
  const top = pow.length - 1;
  let k = 0;
  while (k < top && abs >= pow[k + 1]) k++;
  if (prec <= 8) {
    // The mantissa times 10^prec, rounded: one multiplication, no parsing.
    const scale = POW10[prec];
    let n = roundScaled(abs / pow[k], scale);
    // Rounding up to the base moves to the next prefix (1023.96 → 1.0Ki).
    if (n >= 0 && k < top && n >= sys.base * scale) {
      k++;
      n = roundScaled(abs / pow[k], scale);
    }
    if (n >= 0) {
      // A mantissa that rounds to zero prints without a minus (-0.04 → 0.0).
      const sign = n === 0 || !neg ? "" : "-";
      const sfx = unit.length <= MAX_CACHED_UNIT
        ? suffixes(sys, unit)
        : undefined;
      if (prec === 1 && !trim && sfx !== undefined) {
        // `%.1f`, the log text's verb: integer digits + a cached ".7MiB".
        const frac = (n % 10) | 0;
        let int = (n - frac) / 10;
        // Small integers as int32: engines turn those into text fastest.
        if (int <= 0x7fffffff) int |= 0;
        const head = grouping && int >= 1000 ? groupDigits("" + int) : int;
        return sign + head + sfx.dot1[k * 10 + frac];
      }
      let text = scaledText(n, prec, trim);
      if (grouping && n >= 1000 * scale) text = groupFloat(text);
      return sign + text +
        (sfx !== undefined ? sfx.plain[k] : sys.up[k] + unit);
    }
  }
  // Ties, huge mantissas (Yi and beyond) and long precisions.
  let m = abs / pow[k];
  if (m >= 1e21) return undefined;
  let text = trim ? fixedTrimmed(m, prec) : fixedFast(m, prec);
  if (k < top && m + 0.5 >= sys.base && Number(text) >= sys.base) {
    k++;
    m = abs / pow[k];
    text = trim ? fixedTrimmed(m, prec) : fixedFast(m, prec);
  }
  if (neg && abs < 1 && Number(text) === 0) neg = false;
  if (grouping && m >= 999) text = groupFloat(text);
  return (neg ? "-" + text : text) + sys.up[k] + unit;
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
    // pad() zero-fills only a mantissa with digits: NaN and ±Inf get spaces.
    const text = nonFinite(value, st);
    return st ? pad(text, q.unit, st) : text + q.unit;
  }
  const [text, pre] = body(sys, value, verb, st);
  const mantissa = decorate(text, verb, st);
  return st ? pad(mantissa, pre + q.unit, st) : mantissa + pre + q.unit;
}

// The Formatter method's key is a symbol, and a computed class key is code a
// bundler must keep at the top level; built inside a pure-annotated function,
// the class exists only in bundles that use iec or metric.
const UnitValue = /* @__PURE__ */ (() =>
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
      const value = this.value;
      if (
        typeof value === "number" && st.width === undefined && !st.plus &&
        !st.space && !st.sharp
      ) {
        const prec = verb === "f" || verb === "F"
          ? st.precision ?? 6
          : verb === "v" || verb === "s"
          ? 3
          : verb === "d"
          ? 0
          : -1;
        if (prec >= 0) {
          const text = fastText(
            this.#sys,
            value,
            prec,
            verb === "v" || verb === "s",
            st.grouping,
            this.unit,
          );
          if (text !== undefined) return text;
        }
      }
      if (
        verb === "v" || verb === "s" || verb === "d" ||
        FLOAT_VERBS.includes(verb)
      ) {
        return render(this.#sys, this, verb, st);
      }
      return "%!" + verb + "(" + this.#sys.name + "=" + this.toString() + ")";
    }

    toString(): string {
      const value = this.value;
      if (typeof value === "number") {
        const text = fastText(this.#sys, value, 3, true, false, this.unit);
        if (text !== undefined) return text;
      }
      return render(this.#sys, this, "v", undefined);
    }
  })();

function check(fn: string, value: unknown, unit: unknown): void {
  if (typeof value !== "number" && typeof value !== "bigint") {
    throw optionError(`${fn}: value`, "a number or bigint", value);
  }
  if (typeof unit !== "string") {
    throw optionError(`${fn}: option "unit"`, "a string", unit);
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
