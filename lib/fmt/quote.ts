/**
 * Go's `strconv` quoting (`Quote`, `QuoteToASCII`, `QuoteRune`,
 * `CanBackquote`) and the UTF-8 view Go takes of strings and byte slices.
 *
 * @module
 */

import { FLIP_COUNT, FLIPS } from "./unicode_table.ts";

/** A code point, or -1 - byte for a byte that is not valid UTF-8. */
export type Rune = number;

// The code points where printability flips, decoded from FLIPS on first use.
let flips: Int32Array | undefined;

function decodeFlips(): Int32Array {
  const out = new Int32Array(FLIP_COUNT);
  let n = 0;
  let more = 0;
  let prev = -1;
  for (let i = 0; i < FLIPS.length; i++) {
    const c = FLIPS.charCodeAt(i);
    // See unicode_table.ts: base-34 digits from "]", a last base-57 from "#".
    if (c >= 0x5d) {
      more = more * 34 + c - 0x5d;
    } else {
      prev += more * 57 + c - 0x23 + 1;
      out[n++] = prev;
      more = 0;
    }
  }
  return out;
}

/**
 * Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and
 * the ASCII space, by Go's tables (unicode_table.ts), not the engine's.
 */
export function isPrint(r: number): boolean {
  // Latin-1 as Go's own fast path: all but controls, NBSP and soft hyphen.
  if (r <= 0xff) return (r >= 0x20 && r < 0x7f) || (r >= 0xa1 && r !== 0xad);
  const f = flips ??= decodeFlips();
  // The number of flips at or below r: odd means inside a printable run.
  let lo = 0;
  let hi = f.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f[mid] <= r) lo = mid + 1;
    else hi = mid;
  }
  return (lo & 1) === 1;
}

/** Counts code points, as Go counts runes for width and precision. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c < 0xe000 && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p < 0xdc00) n--;
    }
  }
  return n;
}

/** The runes Go sees in a JS string; a lone surrogate is 3 invalid bytes. */
export function stringRunes(s: string): Rune[] {
  const out: Rune[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (c >= 0xd800 && c < 0xe000) {
      out.push(-1 - (0xe0 | (c >> 12)), -1 - (0x80 | ((c >> 6) & 0x3f)));
      out.push(-1 - (0x80 | (c & 0x3f)));
    } else {
      out.push(c);
    }
  }
  return out;
}

/** Decodes UTF-8 as Go's `utf8.DecodeRune` does: one error per bad byte. */
export function byteRunes(b: Uint8Array): Rune[] {
  const out: Rune[] = [];
  for (let i = 0; i < b.length;) {
    const [r, n] = decodeRune(b, i);
    out.push(r);
    i += n;
  }
  return out;
}

function decodeRune(b: Uint8Array, i: number): [Rune, number] {
  const c0 = b[i];
  if (c0 < 0x80) return [c0, 1];
  const n = c0 >= 0xf0 ? 4 : c0 >= 0xe0 ? 3 : c0 >= 0xc2 ? 2 : 0;
  if (n === 0 || c0 > 0xf4 || i + n > b.length) return [-1 - c0, 1];
  let r = c0 & (0x7f >> n);
  for (let k = 1; k < n; k++) {
    const c = b[i + k];
    if ((c & 0xc0) !== 0x80) return [-1 - c0, 1];
    r = (r << 6) | (c & 0x3f);
  }
  const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
  if (r < min || r > 0x10ffff || (r >= 0xd800 && r < 0xe000)) {
    return [-1 - c0, 1];
  }
  return [r, n];
}

/** Turns runes back into a JS string; a bad byte becomes U+FFFD, as Go writes it. */
export function runesToString(runes: readonly Rune[]): string {
  let s = "";
  for (const r of runes) s += r < 0 ? "\ufffd" : String.fromCodePoint(r);
  return s;
}

/** The UTF-8 bytes Go holds for a JS string (a lone surrogate as WTF-8). */
export function stringBytes(s: string): number[] {
  const out: number[] = [];
  for (const r of stringRunes(s)) {
    if (r < 0) out.push(-1 - r);
    else if (r < 0x80) out.push(r);
    else if (r < 0x800) out.push(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
    else if (r < 0x10000) {
      out.push(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
    } else {
      out.push(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f));
      out.push(0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
    }
  }
  return out;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

const ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
};

function escapeRune(r: number, quote: number, ascii: boolean): string {
  if (r === quote || r === 92) return "\\" + String.fromCharCode(r);
  if (ascii ? r < 0x80 && isPrint(r) : isPrint(r)) {
    return String.fromCodePoint(r);
  }
  const esc = ESCAPES[r];
  if (esc) return esc;
  if (r < 0x20 || r === 0x7f) return "\\x" + hex(r, 2);
  if (r > 0x10ffff || (r >= 0xd800 && r < 0xe000)) r = 0xfffd;
  return r < 0x10000 ? "\\u" + hex(r, 4) : "\\U" + hex(r, 8);
}

/** Go's `strconv.Quote` (or `QuoteToASCII` when `ascii`). */
export function quote(runes: readonly Rune[], ascii: boolean): string {
  let s = '"';
  for (const r of runes) {
    s += r < 0 ? "\\x" + hex(-1 - r, 2) : escapeRune(r, 34, ascii);
  }
  return s + '"';
}

/**
 * Go's `strconv.Quote` (or `QuoteToASCII` when `ascii`) of a JS string,
 * without building its runes: runs of characters that print as themselves
 * are copied as slices. Gives exactly `quote(stringRunes(s), ascii)`.
 */
export function quoteString(s: string, ascii: boolean): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) continue;
    if (c < 0xd800 || c >= 0xe000) {
      // A BMP character: kept in the run when it prints as itself.
      if (!ascii && c >= 0xa1 && isPrint(c)) continue;
      out += s.slice(start, i) + escapeRune(c, 34, ascii);
      start = i + 1;
      continue;
    }
    out += s.slice(start, i);
    const r = s.codePointAt(i)!;
    if (r > 0xffff) {
      // A valid surrogate pair: one rune.
      out += escapeRune(r, 34, ascii);
      i++;
    } else {
      // A lone surrogate: the three bytes of its WTF-8 form, each invalid.
      out += "\\x" + hex(0xe0 | (r >> 12), 2) + "\\x" +
        hex(0x80 | ((r >> 6) & 0x3f), 2) + "\\x" + hex(0x80 | (r & 0x3f), 2);
    }
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** Go's `strconv.QuoteRune` (or `QuoteRuneToASCII` when `ascii`). */
export function quoteRune(r: number, ascii: boolean): string {
  if (r > 0x10ffff || (r >= 0xd800 && r < 0xe000)) r = 0xfffd;
  return "'" + escapeRune(r, 39, ascii) + "'";
}

/** Go's `strconv.CanBackquote`. */
export function canBackquote(runes: readonly Rune[]): boolean {
  for (const r of runes) {
    if (r < 0 || r === 0xfeff || r === 0x60 || r === 0x7f) return false;
    if (r < 0x20 && r !== 9) return false;
  }
  return true;
}
