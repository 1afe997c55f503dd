/**
 * Go's `fmt.Sprintf` for JS values, and the textui-style grouping printer.
 *
 * @module
 */

import { Fmt } from "./fmt_state.ts";
import { cachedParse, type Directive } from "./parse.ts";
import { type Formatter, formatter } from "./protocol.ts";
import { byteRunes, runesToString } from "./quote.ts";
import { fitsInt64, isGoInt, type Kind, kindOf, typeName } from "./values.ts";
import { formatBigInt } from "./big_int.ts";
import { optionError } from "../options.ts";

/** Options of a {@linkcode Printer}. */
export interface PrinterOptions {
  /**
   * Group the integer digits of decimal output with `,` (`1,234,567`), as
   * Go's textui printer does.
   *
   * @default {false}
   */
  grouping?: boolean;
}

const MAX_DEPTH = 64;
const MAX_ELEMENTS = 100_000;
const TOO_LARGE = 1e6;

/** The state of one `sprintf` call (Go's `pp`). */
class Run {
  readonly f = new Fmt();
  args: readonly unknown[] = [];
  argNum = 0;
  reordered = false;
  goodArgNum = true;
  seen: unknown[] = [];

  constructor(grouping: boolean) {
    this.f.grouping = grouping;
  }

  /** Applies an explicit `[n]` index. */
  applyIndex(index: Directive["index1"]): void {
    if (index === undefined) return;
    this.reordered = true;
    if (index.ok && index.index >= 0 && index.index < this.args.length) {
      this.argNum = index.index;
    } else {
      this.goodArgNum = false;
    }
  }

  /** Go's `intFromArg`: [value, ok]. */
  intFromArg(): [number, boolean] {
    if (this.argNum >= this.args.length) return [0, false];
    const a = this.args[this.argNum++];
    let n = 0;
    let ok = false;
    if (typeof a === "number" && isGoInt(a)) [n, ok] = [a, true];
    else if (typeof a === "bigint" && fitsInt64(a)) {
      [n, ok] = [Number(a), true];
    }
    if (n > TOO_LARGE || n < -TOO_LARGE) return [0, false];
    return [n, ok];
  }

  directive(d: Directive): string {
    const f = this.f;
    f.clearFlags();
    f.fPlus = d.plus;
    f.fMinus = d.minus;
    f.fSharp = d.sharp;
    f.fSpace = d.space;
    f.fZero = d.zero;
    if (!d.simple) return this.indexedDirective(d);
    // No `*` and no `[n]`: width and precision are in the directive.
    this.goodArgNum = true;
    if (d.width !== undefined) {
      f.wid = d.width;
      f.widPresent = true;
    }
    if (d.hasPrec) {
      f.prec = d.prec;
      f.precPresent = true;
    }
    return this.verb(d.verb, "");
  }

  /** A directive with `*` or `[n]`: arguments set width, precision, order. */
  indexedDirective(d: Directive): string {
    const f = this.f;
    this.goodArgNum = !d.badIndex;
    let out = "";
    this.applyIndex(d.index1);
    if (d.widthStar) {
      const [w, ok] = this.intFromArg();
      f.wid = w;
      f.widPresent = ok;
      if (!ok) out += "%!(BADWIDTH)";
      if (w < 0) {
        f.wid = -w;
        f.fMinus = true;
        f.fZero = false;
      }
    } else if (d.width !== undefined) {
      f.wid = d.width;
      f.widPresent = true;
    }
    if (d.hasPrec) {
      this.applyIndex(d.index2);
      if (d.precStar) {
        const [p, ok] = this.intFromArg();
        f.prec = p;
        f.precPresent = ok;
        if (p < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) out += "%!(BADPREC)";
      } else {
        f.prec = d.prec;
        f.precPresent = true;
      }
    }
    this.applyIndex(d.index3);
    return this.verb(d.verb, out);
  }

  /** Prints the next argument for `verb`, after the error text `out`. */
  verb(verb: string, out: string): string {
    const f = this.f;
    if (verb === "") return out + "%!(NOVERB)";
    if (verb === "%") return out + "%";
    if (!this.goodArgNum) return out + "%!" + verb + "(BADINDEX)";
    if (this.argNum >= this.args.length) return out + "%!" + verb + "(MISSING)";
    if (verb === "v") {
      f.sharpV = f.fSharp;
      f.fSharp = false;
      f.plusV = f.fPlus;
      f.fPlus = false;
    }
    return out + this.printValue(this.args[this.argNum++], verb, 0);
  }

  extra(): string {
    this.f.clearFlags();
    let s = "%!(EXTRA ";
    for (let i = this.argNum; i < this.args.length; i++) {
      if (i > this.argNum) s += ", ";
      const a = this.args[i];
      const kind = safeKind(a);
      s += kind === "nil"
        ? "<nil>"
        : typeName(a, kind) + "=" + this.printValue(a, "v", 0);
    }
    return s + ")";
  }

  /** Go's `printArg`/`printValue`; depth > 0 for elements of slices and maps. */
  printValue(v: unknown, verb: string, depth: number): string {
    let kind: Kind;
    try {
      kind = kindOf(v);
    } catch (e) {
      return this.panic(verb, "Kind", e);
    }
    const f = this.f;
    switch (kind) {
      case "nil":
        if (depth > 0) return f.sharpV ? "interface {}(nil)" : "<nil>";
        return verb === "v" ? f.pad("<nil>", 5) : this.badVerb(v, kind, verb);
      case "bool":
        return verb === "t" || verb === "v"
          ? f.fmtBoolean(v as boolean)
          : this.badVerb(v, kind, verb);
      case "int":
        if ("eEfFgG".includes(verb)) return this.fmtFloat(v as number, verb);
        return this.fmtInteger(v as number, true, verb, kind);
      case "int64":
        return this.fmtInteger(v as bigint, true, verb, kind);
      case "float":
        return this.fmtFloat(v as number, verb);
      case "bigint":
        return formatBigInt(f, verb, v as bigint);
      case "string":
        return this.fmtString(v as string, verb);
      case "bytes":
        return this.fmtBytes(
          v as Uint8Array,
          verb,
          depth === 0 ? "[]byte" : "[]uint8",
        );
      case "formatter":
        return this.callFormatter(v as Formatter, verb);
      case "error":
      case "stringer":
        return this.fmtStringer(v, kind, verb);
    }
    // Go's handleMethods: %w outside Errorf rejects a composite value whole.
    if (verb === "w" && depth === 0) return this.badVerb(v, kind, verb);
    return this.nested(v as object, kind, verb, depth);
  }

  /** Slices and maps: guarded against cycles and runaway depth. */
  nested(v: object, kind: Kind, verb: string, depth: number): string {
    if (this.seen.includes(v)) return "<cycle>";
    if (depth >= MAX_DEPTH) return "<max depth>";
    this.seen.push(v);
    try {
      return kind === "slice"
        ? this.fmtSlice(v, verb, depth)
        : this.fmtMap(v, kind, verb, depth);
    } catch (e) {
      return this.panic(verb, "Get", e);
    } finally {
      this.seen.pop();
    }
  }

  badVerb(v: unknown, kind: Kind, verb: string): string {
    if (kind === "nil") return "%!" + verb + "(<nil>)";
    return "%!" + verb + "(" + typeName(v, kind) + "=" +
      this.printValue(v, "v", 0) + ")";
  }

  panic(verb: string, method: string, e: unknown): string {
    const saved = snapshot(this.f);
    this.f.clearFlags();
    let msg: string;
    try {
      msg = this.printValue(e, "v", 0);
    } catch {
      msg = "?";
    }
    restore(this.f, saved);
    return "%!" + verb + "(PANIC=" + method + " method: " + msg + ")";
  }

  fmtInteger(
    v: number | bigint,
    signed: boolean,
    verb: string,
    kind: Kind,
  ): string {
    const f = this.f;
    const neg = v < 0;
    const abs = neg ? -v : v;
    switch (verb) {
      case "v":
        if (f.sharpV && !signed) {
          f.fSharp = true;
          const s = f.fmtInteger(false, abs, 16, "v", false);
          f.fSharp = false;
          return s;
        }
        return f.fmtInteger(neg, abs, 10, verb, false);
      case "d":
        return f.fmtInteger(neg, abs, 10, verb, false);
      case "b":
        return f.fmtInteger(neg, abs, 2, verb, false);
      case "o":
      case "O":
        return f.fmtInteger(neg, abs, 8, verb, false);
      case "x":
        return f.fmtInteger(neg, abs, 16, verb, false);
      case "X":
        return f.fmtInteger(neg, abs, 16, verb, true);
      case "c":
        return f.fmtC(v);
      case "q":
        return f.fmtQc(v);
      case "U":
        return f.fmtUnicode(neg ? BigInt.asUintN(64, BigInt(v)) : v);
    }
    return this.badVerb(v, kind, verb);
  }

  fmtFloat(v: number, verb: string): string {
    const f = this.f;
    switch (verb) {
      case "v":
        return f.fmtFloat(v, "g", -1);
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        return f.fmtFloat(v, verb, -1);
      case "f":
      case "e":
      case "E":
      case "F":
        return f.fmtFloat(v, verb === "F" ? "f" : verb, 6);
    }
    return this.badVerb(v, "float", verb);
  }

  fmtString(s: string, verb: string): string {
    const f = this.f;
    switch (verb) {
      case "v":
        return f.sharpV ? f.fmtQString(s) : f.fmtS(s);
      case "s":
        return f.fmtS(s);
      case "x":
      case "X":
        return f.fmtSx(s, verb === "X");
      case "q":
        return f.fmtQString(s);
    }
    return this.badVerb(s, "string", verb);
  }

  fmtBytes(b: Uint8Array, verb: string, type: string): string {
    const f = this.f;
    switch (verb) {
      case "v":
      case "d": {
        if (f.sharpV) {
          const parts: string[] = [];
          for (const c of b) {
            parts.push(this.fmtInteger(c, false, "v", "uint8"));
          }
          return type + "{" + parts.join(", ") + "}";
        }
        let s = "[";
        for (let i = 0; i < b.length; i++) {
          s += (i > 0 ? " " : "") + f.fmtInteger(false, b[i], 10, verb, false);
        }
        return s + "]";
      }
      case "s":
        return f.fmtS(runesToString(byteRunes(b)));
      case "x":
      case "X":
        return f.fmtSbx(b, verb === "X");
      case "q":
        return f.fmtQ(byteRunes(b));
    }
    return this.fmtSlice(b, verb, 0);
  }

  fmtSlice(v: object, verb: string, depth: number): string {
    const items = v instanceof Set ? [...v] : (v as ArrayLike<unknown>);
    const n = typeof items.length === "number" ? items.length : 0;
    const shown = Math.min(n, MAX_ELEMENTS);
    const sharpV = this.f.sharpV;
    const bytes = v instanceof Uint8Array;
    let s = sharpV ? typeName(v, "slice") + "{" : "[";
    for (let i = 0; i < shown; i++) {
      if (i > 0) s += sharpV ? ", " : " ";
      s += bytes
        ? this.fmtInteger(items[i] as number, false, verb, "uint8")
        : this.printElement(items[i], verb, depth);
    }
    if (shown < n) s += " …(" + (n - shown) + " more)";
    return s + (sharpV ? "}" : "]");
  }

  /** An element of a slice or map: a Go `interface {}` holding the value. */
  printElement(v: unknown, verb: string, depth: number): string {
    return this.printValue(v, verb, depth + 1);
  }

  fmtMap(v: object, kind: Kind, verb: string, depth: number): string {
    const entries = kind === "entries"
      ? [...(v as Map<unknown, unknown>)]
      : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]);
    entries.sort((a, b) => compareKeys(a[0], b[0]));
    const sharpV = this.f.sharpV;
    let s = sharpV ? typeName(v, kind) + "{" : "map[";
    const shown = Math.min(entries.length, MAX_ELEMENTS);
    for (let i = 0; i < shown; i++) {
      if (i > 0) s += sharpV ? ", " : " ";
      s += this.printElement(entries[i][0], verb, depth) + ":";
      s += this.printElement(entries[i][1], verb, depth);
    }
    if (shown < entries.length) {
      s += " …(" + (entries.length - shown) + " more)";
    }
    return s + (sharpV ? "}" : "]");
  }

  callFormatter(v: Formatter, verb: string): string {
    try {
      const s = v[formatter](this.f, verb);
      return typeof s === "string" ? s : String(s);
    } catch (e) {
      return this.panic(verb, "Format", e);
    }
  }

  fmtStringer(v: unknown, kind: Kind, verb: string): string {
    const f = this.f;
    if (f.sharpV || !"vsxXq".includes(verb)) {
      return "%!" + verb + "(" + typeName(v, kind) + "=" +
        this.stringerText(v, kind, verb) + ")";
    }
    return this.fmtString(this.stringerText(v, kind, verb), verb);
  }

  stringerText(v: unknown, kind: Kind, verb: string): string {
    try {
      if (kind === "error") {
        const m = (v as Error).message;
        return typeof m === "string" ? m : String(m);
      }
      if (typeof v === "function") return "func " + (v.name || "(anonymous)");
      if (typeof v === "symbol") return v.toString();
      return String((v as { toString(): unknown }).toString());
    } catch (e) {
      return this.panic(verb, kind === "error" ? "Error" : "String", e);
    }
  }
}

/** Go's fmtsort order for the keys we can meet: numbers, then strings. */
function compareKeys(a: unknown, b: unknown): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (ta === "number" || ta === "bigint") {
    return (a as number) < (b as number)
      ? -1
      : (a as number) > (b as number)
      ? 1
      : 0;
  }
  if (ta !== "string") return 0;
  return compareCodePoints(a as string, b as string);
}

/** Byte order of the UTF-8 encodings, which is code point order. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function safeKind(v: unknown): Kind {
  try {
    return kindOf(v);
  } catch {
    return "map";
  }
}

type Snapshot = [boolean, boolean, number, number, boolean[]];

function snapshot(f: Fmt): Snapshot {
  return [f.widPresent, f.precPresent, f.wid, f.prec, [
    f.fMinus,
    f.fPlus,
    f.fSharp,
    f.fSpace,
    f.fZero,
    f.plusV,
    f.sharpV,
  ]];
}

function restore(f: Fmt, s: Snapshot): void {
  [f.widPresent, f.precPresent, f.wid, f.prec] = [s[0], s[1], s[2], s[3]];
  [f.fMinus, f.fPlus, f.fSharp, f.fSpace, f.fZero, f.plusV, f.sharpV] = s[4];
}

/**
 * A Go-style printer. `new Printer()` formats exactly as Go's `fmt.Sprintf`;
 * `new Printer({ grouping: true })` also groups decimal digits, as Go's
 * textui printer does.
 *
 * @example Grouped and plain printers
 * ```ts
 * import { Printer } from "./printer.ts";
 *
 * const grouped = new Printer({ grouping: true });
 * if (grouped.sprintf("%d", 1234567) !== "1,234,567") throw new Error();
 * if (new Printer().sprintf("%d", 1234567) !== "1234567") throw new Error();
 * ```
 */
export class Printer {
  readonly #grouping: boolean;
  #spare: Run | undefined;

  /**
   * Creates a printer; without options it formats exactly as Go's `fmt`.
   *
   * @param options Printer options.
   * @throws {TypeError} If `options` is not an object or `grouping` is not
   * a boolean.
   */
  constructor(options?: PrinterOptions) {
    if (
      options !== undefined && (options === null || typeof options !== "object")
    ) {
      throw optionError("Printer: options", "an object", options);
    }
    const grouping = options?.grouping === undefined ? false : options.grouping;
    if (typeof grouping !== "boolean") {
      throw optionError('Printer: option "grouping"', "a boolean", grouping);
    }
    this.#grouping = grouping;
  }

  /** Whether this printer groups decimal digits. */
  get grouping(): boolean {
    return this.#grouping;
  }

  /**
   * Formats like Go's `fmt.Sprintf`. It never throws: a bad format or a
   * throwing argument prints Go's `%!` forms.
   */
  sprintf(format: string, ...args: unknown[]): string {
    const run = this.#spare ?? new Run(this.#grouping);
    // A Formatter may call back into this printer: it gets a fresh Run.
    this.#spare = undefined;
    const out = execute(run, format, args);
    this.#spare = run;
    return out;
  }
}

const NO_ARGS: readonly unknown[] = [];

/** One `sprintf` on `run`; leaves `run` ready for reuse. Never throws. */
function execute(
  run: Run,
  format: string,
  args: readonly unknown[],
): string {
  let out = "";
  try {
    const parsed = cachedParse(
      typeof format === "string" ? format : String(format),
    );
    run.args = args;
    run.argNum = 0;
    run.reordered = false;
    const ds = parsed.directives;
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i];
      out += d.text;
      out += run.directive(d);
    }
    out += parsed.tail;
    if (!run.reordered && run.argNum < args.length) out += run.extra();
  } catch (e) {
    out += "%!(PANIC=" + describe(e) + ")";
  }
  run.args = NO_ARGS;
  if (run.seen.length !== 0) run.seen.length = 0;
  return out;
}

function describe(v: unknown): string {
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  } catch {
    return typeof v;
  }
}

// The spare state of the plain printer behind `sprintf`.
let plainSpare: Run | undefined;

/**
 * Formats like Go's `fmt.Sprintf`: verbs `v s q d b o O x X c U e E f F g G t %`,
 * flags `+ - # space 0`, width, precision, `*` and `[n]` indexes, and Go's
 * `%!` error forms. It never throws.
 *
 * @example Go's verbs and rounding
 * ```ts
 * import { sprintf } from "./printer.ts";
 *
 * if (sprintf("%5.2f|%-4d|%q", 0.125, 7, "hi") !== " 0.12|7   |\"hi\"") {
 *   throw new Error("unexpected");
 * }
 * ```
 */
export function sprintf(format: string, ...args: unknown[]): string {
  const run = plainSpare ?? new Run(false);
  // A Formatter may call back into sprintf: it gets a fresh Run.
  plainSpare = undefined;
  const out = execute(run, format, args);
  plainSpare = run;
  return out;
}
