/**
 * Go's `strconv.AppendFloat` for float64: the verbs `e E f g G b x X`, the
 * shortest form (precision -1) and correct rounding of the exact binary
 * value with ties to even.
 *
 * @module
 */

import { fixedFast } from "../number_text.ts";

/** Decimal digits `0.d₁d₂…dₙ × 10^dp`; `d` has no leading or trailing zeros. */
interface Digits {
  d: string;
  dp: number;
}

const ZERO: Digits = { d: "", dp: 0 };

/** Shortest digits that read back as `x` (x > 0, finite). */
function shortestDigits(x: number): Digits {
  const s = x.toExponential();
  const e = s.indexOf("e");
  const d = e === 1 ? s[0] : s[0] + s.slice(2, e);
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

/** `x = m × 2^e` exactly, with m an integer (x > 0, finite). */
export function decompose(x: number): [bigint, number] {
  let e = Math.max(Math.floor(Math.log2(x)) - 52, -1074);
  let m = x / 2 ** e;
  // log2 may be off by one near powers of two; step down until exact.
  while (!Number.isInteger(m)) m = x / 2 ** --e;
  return [BigInt(m), e];
}

/** Every decimal digit of `x` (x > 0, finite): a double is a finite decimal. */
function exactDigits(x: number): Digits {
  const [m, e] = decompose(x);
  const n = e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e);
  let d = n.toString();
  const dp = e >= 0 ? d.length : d.length + e;
  let end = d.length;
  while (end > 0 && d.charCodeAt(end - 1) === 48) end--;
  d = d.slice(0, end);
  return { d, dp };
}

/** Rounds to `nd` significant digits, half to even (Go's `decimal.Round`). */
function roundDigits(a: Digits, nd: number): Digits {
  if (nd < 0 || nd >= a.d.length) return a;
  const c = a.d.charCodeAt(nd);
  const halfway = c === 53 && nd + 1 === a.d.length;
  const up = halfway
    ? nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1
    : c >= 53;
  if (!up) {
    let end = nd;
    while (end > 0 && a.d.charCodeAt(end - 1) === 48) end--;
    return end === 0 ? ZERO : { d: a.d.slice(0, end), dp: a.dp };
  }
  for (let i = nd - 1; i >= 0; i--) {
    const ch = a.d.charCodeAt(i);
    if (ch < 57) {
      return { d: a.d.slice(0, i) + String.fromCharCode(ch + 1), dp: a.dp };
    }
  }
  return { d: "1", dp: a.dp + 1 };
}

function fmtE(neg: boolean, a: Digits, prec: number, e: string): string {
  let s = neg ? "-" : "";
  s += a.d.length ? a.d[0] : "0";
  if (prec > 0) {
    s += "." + a.d.slice(1, prec + 1);
    s += "0".repeat(Math.max(0, prec + 1 - Math.max(a.d.length, 1)));
  }
  let exp = a.d.length ? a.dp - 1 : 0;
  s += e + (exp < 0 ? "-" : "+");
  if (exp < 0) exp = -exp;
  return s + (exp < 10 ? "0" + exp : String(exp));
}

function fmtF(neg: boolean, a: Digits, prec: number): string {
  let s = neg ? "-" : "";
  if (a.dp > 0) {
    s += a.d.slice(0, a.dp);
    if (a.d.length < a.dp) s += "0".repeat(a.dp - a.d.length);
  } else {
    s += "0";
  }
  if (prec > 0) {
    let frac = "";
    for (let i = 1; i <= prec; i++) {
      const j = a.dp + i - 1;
      frac += j >= 0 && j < a.d.length ? a.d[j] : "0";
    }
    s += "." + frac;
  }
  return s;
}

function fmtG(
  neg: boolean,
  a: Digits,
  prec: number,
  shortest: boolean,
  e: string,
): string {
  let eprec = prec;
  const nd = a.d.length;
  if (eprec > nd && nd >= a.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = a.dp - 1;
  if (exp < -4 || exp >= eprec) {
    return fmtE(neg, a, (prec > nd ? nd : prec) - 1, e);
  }
  return fmtF(neg, a, Math.max((prec > a.dp ? nd : prec) - a.dp, 0));
}

/**
 * Formats `x` as Go's `strconv.FormatFloat(x, verb, prec, 64)` does
 * (prec -1: the shortest form that reads back as `x`).
 */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (x !== x) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const abs = neg ? -x : x;
  switch (verb) {
    case "f":
    case "F":
      if (prec >= 0 && prec <= 100 && abs < 1e21) {
        return (neg ? "-" : "") + fixedFast(abs, prec);
      }
      return fixed(neg, abs, prec);
    case "e":
    case "E":
      return exponent(neg, abs, prec, verb);
    case "g":
    case "G":
      return general(neg, abs, prec, verb === "g" ? "e" : "E");
    case "b":
      return binaryExponent(neg, abs);
    case "x":
    case "X":
      return hexFloat(neg, abs, prec, verb);
  }
  return "%" + verb;
}

function fixed(neg: boolean, abs: number, prec: number): string {
  if (abs === 0) return fmtF(neg, ZERO, Math.max(prec, 0));
  if (prec < 0) {
    const a = shortestDigits(abs);
    return fmtF(neg, a, Math.max(a.d.length - a.dp, 0));
  }
  const a = exactDigits(abs);
  return fmtF(neg, roundDigits(a, a.dp + prec), prec);
}

function exponent(neg: boolean, abs: number, prec: number, e: string): string {
  if (abs === 0) return fmtE(neg, ZERO, Math.max(prec, 0), e);
  if (prec < 0) {
    const a = shortestDigits(abs);
    return fmtE(neg, a, Math.max(a.d.length - 1, 0), e);
  }
  return fmtE(neg, roundDigits(exactDigits(abs), prec + 1), prec, e);
}

function general(neg: boolean, abs: number, prec: number, e: string): string {
  if (prec < 0) {
    const a = abs === 0 ? ZERO : shortestDigits(abs);
    return fmtG(neg, a, a.d.length, true, e);
  }
  if (prec === 0) prec = 1;
  const a = abs === 0 ? ZERO : roundDigits(exactDigits(abs), prec);
  return fmtG(neg, a, prec, false, e);
}

/** Go's normalized mantissa and exponent: x = mant × 2^(exp-52). */
function goMantExp(abs: number): [bigint, number] {
  if (abs === 0) return [0n, -1022];
  let [m, e] = decompose(abs);
  while (m < 1n << 52n && e > -1074) [m, e] = [m << 1n, e - 1];
  while (m >= 1n << 53n) [m, e] = [m >> 1n, e + 1];
  return [m, e + 52];
}

function binaryExponent(neg: boolean, abs: number): string {
  const [m, e] = goMantExp(abs);
  const exp = abs === 0 ? -1074 : e - 52;
  return (neg ? "-" : "") + m + "p" + (exp >= 0 ? "+" : "") + exp;
}

function hexFloat(
  neg: boolean,
  abs: number,
  prec: number,
  verb: string,
): string {
  let [mant, exp] = goMantExp(abs);
  if (mant === 0n) exp = 0;
  const bit60 = 1n << 60n;
  mant <<= 8n;
  while (mant !== 0n && (mant & bit60) === 0n) {
    [mant, exp] = [mant << 1n, exp - 1];
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (bit60 - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) [mant, exp] = [mant >> 1n, exp + 1];
  }
  const upper = verb === "X";
  let s = (neg ? "-" : "") + "0" + verb + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  const digit = (): string => {
    const h = Number((mant >> 60n) & 15n).toString(16);
    mant = (mant << 4n) & ((1n << 64n) - 1n);
    return upper ? h.toUpperCase() : h;
  };
  if (prec < 0 && mant !== 0n) {
    s += ".";
    while (mant !== 0n) s += digit();
  } else if (prec > 0) {
    s += ".";
    for (let i = 0; i < prec; i++) s += digit();
  }
  s += (upper ? "P" : "p") + (exp < 0 ? "-" : "+");
  const a = Math.abs(exp);
  return s + (a < 10 ? "0" + a : String(a));
}
