/**
 * The state of one verb and the primitive formatters that honour it: a port
 * of Go's `fmt.fmt` (padding, integers, floats, strings, runes).
 *
 * @module
 */

import type { FormatState } from "./protocol.ts";
import { formatFloat } from "./float.ts";
import { groupDigits, groupFloat, sharpFloat } from "../number_text.ts";
import {
  canBackquote,
  isPrint,
  quote,
  quoteRune,
  quoteString,
  type Rune,
  runeCount,
  stringBytes,
  stringRunes,
} from "./quote.ts";

const MAX_RUNE = 0x10ffff;

/** Flags, width and precision of the verb being printed (Go's `fmtFlags`). */
export class Fmt implements FormatState {
  widPresent = false;
  precPresent = false;
  wid = 0;
  prec = 0;
  fMinus = false;
  fPlus = false;
  fSharp = false;
  fSpace = false;
  fZero = false;
  plusV = false;
  sharpV = false;
  grouping = false;

  get width(): number | undefined {
    return this.widPresent ? this.wid : undefined;
  }
  get precision(): number | undefined {
    return this.precPresent ? this.prec : undefined;
  }
  get plus(): boolean {
    return this.fPlus || this.plusV;
  }
  get minus(): boolean {
    return this.fMinus;
  }
  get sharp(): boolean {
    return this.fSharp || this.sharpV;
  }
  get space(): boolean {
    return this.fSpace;
  }
  get zero(): boolean {
    return this.fZero;
  }

  clearFlags(): void {
    this.widPresent = this.precPresent = false;
    this.wid = this.prec = 0;
    this.fMinus =
      this.fPlus =
      this.fSharp =
      this.fSpace =
      this.fZero =
        false;
    this.plusV = this.sharpV = false;
  }

  padding(n: number): string {
    return n > 0 ? (this.fZero ? "0" : " ").repeat(n) : "";
  }

  /** Pads `s` to the width; `n` is its length in runes when already known. */
  pad(s: string, n?: number): string {
    if (!this.widPresent || this.wid === 0) return s;
    const fill = this.padding(this.wid - (n ?? runeCount(s)));
    return this.fMinus ? s + fill : fill + s;
  }

  /** Pads with spaces even when the `0` flag is set. */
  padSpaces(s: string, n?: number): string {
    const zero = this.fZero;
    this.fZero = false;
    const out = this.pad(s, n);
    this.fZero = zero;
    return out;
  }

  fmtBoolean(v: boolean): string {
    return this.pad(v ? "true" : "false", v ? 4 : 5);
  }

  /** Go's `fmtInteger` for a magnitude `u` and its sign. */
  fmtInteger(
    neg: boolean,
    u: number | bigint,
    base: number,
    verb: string,
    upper: boolean,
  ): string {
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u == 0) return this.padSpaces("", 0);
    } else if (this.fZero && this.widPresent) {
      prec = this.wid;
      if (neg || this.fPlus || this.fSpace) prec--;
    }
    let s = u.toString(base);
    if (upper) s = s.toUpperCase();
    if (this.grouping && base === 10) s = groupDigits(s);
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    if (this.fSharp) {
      if (base === 2) s = "0b" + s;
      else if (base === 8 && s[0] !== "0") s = "0" + s;
      else if (base === 16) s = (upper ? "0X" : "0x") + s;
    }
    if (verb === "O") s = "0o" + s;
    if (neg) s = "-" + s;
    else if (this.fPlus) s = "+" + s;
    else if (this.fSpace) s = " " + s;
    return this.padSpaces(s, s.length);
  }

  /** `%c`: `u` is the value as Go's uint64 (negative numbers wrap). */
  fmtC(u: number | bigint): string {
    const r = u > MAX_RUNE || u < 0 ? 0xfffd : Number(u);
    const valid = r < 0xd800 || r >= 0xe000;
    return this.pad(String.fromCodePoint(valid ? r : 0xfffd), 1);
  }

  fmtQc(u: number | bigint): string {
    const r = u > MAX_RUNE || u < 0 ? 0xfffd : Number(u);
    return this.pad(quoteRune(r, this.fPlus));
  }

  /** `%U`: `u` is the value as Go's uint64. */
  fmtUnicode(u: bigint | number): string {
    let s = "";
    const n = Number(u);
    if (this.fSharp && u >= 0 && u <= MAX_RUNE && isPrint(n)) {
      s = " '" + String.fromCodePoint(n) + "'";
    }
    let digits = u.toString(16).toUpperCase();
    const prec = this.precPresent && this.prec > 4 ? this.prec : 4;
    if (digits.length < prec) {
      digits = "0".repeat(prec - digits.length) + digits;
    }
    return this.padSpaces("U+" + digits + s);
  }

  /** Go's `fmt.fmtFloat`: `prec` is the default when none was given. */
  fmtFloat(v: number, verb: string, prec: number): string {
    if (this.precPresent) prec = this.prec;
    if (v - v === 0) return this.fmtFinite(v, verb, prec);
    const num = formatFloat(v, verb, prec);
    let sign = num[0];
    let body = num;
    if (sign === "-" || sign === "+") body = num.slice(1);
    else sign = "+";
    if (this.fSpace && sign === "+" && !this.fPlus) sign = " ";
    if (body[0] === "I" || body[0] === "N") {
      const keepSign = body[0] === "I" || this.fSpace || this.fPlus;
      return this.padSpaces(keepSign ? sign + body : body);
    }
    if (this.fSharp && verb !== "b") body = sharpFloat(body, verb, prec);
    if (this.grouping && "fFgG".includes(verb)) body = groupFloat(body);
    if (this.fPlus || sign !== "+") {
      const len = body.length + 1;
      if (this.fZero && this.widPresent && this.wid > len) {
        return sign + "0".repeat(this.wid - len) + body;
      }
      return this.pad(sign + body, len);
    }
    return this.pad(body, body.length);
  }

  /**
   * `fmtFloat` of a finite number. The sign comes from the number, not from
   * the text, so the digits are never read back (reading a character of a
   * freshly concatenated string makes the engine flatten it).
   */
  fmtFinite(v: number, verb: string, prec: number): string {
    const neg = v < 0 || (v === 0 && 1 / v < 0);
    let body = formatFloat(neg ? -v : v, verb, prec);
    if (this.fSharp && verb !== "b") body = sharpFloat(body, verb, prec);
    if (this.grouping && "fFgG".includes(verb)) body = groupFloat(body);
    const sign = neg ? "-" : this.fPlus ? "+" : this.fSpace ? " " : "";
    if (sign === "") return this.pad(body, body.length);
    const len = body.length + 1;
    if (this.fZero && this.widPresent && this.wid > len) {
      return sign + "0".repeat(this.wid - len) + body;
    }
    return this.pad(sign + body, len);
  }

  /** Truncates to the precision, counted in runes. */
  truncate(s: string): string {
    if (!this.precPresent) return s;
    let n = this.prec;
    for (let i = 0; i < s.length; i++) {
      if (n-- <= 0) return s.slice(0, i);
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00) i++;
    }
    return s;
  }

  fmtS(s: string): string {
    return this.pad(this.truncate(s));
  }

  /** `%x`/`%X` of a string or byte slice, as Go's `fmtSbx`. */
  fmtSbx(bytes: ArrayLike<number>, upper: boolean): string {
    let length = bytes.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width <= 0) return this.widPresent ? this.padding(this.wid) : "";
    if (this.fSpace) {
      if (this.fSharp) width *= 2;
      width += length - 1;
    } else if (this.fSharp) {
      width += 2;
    }
    const x = upper ? "0X" : "0x";
    let s = this.fSharp ? x : "";
    for (let i = 0; i < length; i++) {
      if (this.fSpace && i > 0) s += this.fSharp ? " " + x : " ";
      const h = bytes[i].toString(16);
      s += (h.length < 2 ? "0" : "") + (upper ? h.toUpperCase() : h);
    }
    if (!this.widPresent || this.wid <= width) return s;
    const fill = this.padding(this.wid - width);
    return this.fMinus ? s + fill : fill + s;
  }

  fmtSx(s: string, upper: boolean): string {
    return this.fmtSbx(stringBytes(s), upper);
  }

  /** `%q` of runes (a string, or the runes of a byte slice). */
  fmtQ(runes: Rune[]): string {
    if (this.precPresent && this.prec < runes.length) {
      runes = runes.slice(0, this.prec);
    }
    if (this.fSharp && canBackquote(runes)) {
      return this.pad("`" + String.fromCodePoint(...runes) + "`");
    }
    return this.pad(quote(runes, this.fPlus));
  }

  fmtQString(s: string): string {
    if (!this.fSharp && !this.precPresent) {
      return this.pad(quoteString(s, this.fPlus));
    }
    return this.fmtQ(stringRunes(s));
  }
}
