/**
 * Parses a Go format string once into directives, so repeated formats reuse
 * the parsed form. The parse follows Go's `doPrintf`; everything that depends
 * on the arguments is left for the printer.
 *
 * @module
 */

/** An explicit argument index `[n]`: absent, unparsable, or 0-based. */
export type ArgIndex = { ok: boolean; index: number } | undefined;

/** One `%` directive and the literal text before it. */
export interface Directive {
  text: string;
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  index1: ArgIndex;
  widthStar: boolean;
  width: number | undefined;
  hasPrec: boolean;
  index2: ArgIndex;
  precStar: boolean;
  prec: number;
  index3: ArgIndex;
  /** Go sets `goodArgNum = false` for `%[1]2d` and `%[1].2d`. */
  badIndex: boolean;
  /** The verb, or "" when the format ends first (`%!(NOVERB)`). */
  verb: string;
  /**
   * No `*` and no `[n]` anywhere: width and precision come from the format
   * alone, so the printer can take its fast path.
   */
  simple: boolean;
}

/** A parsed format: directives, then trailing literal text. */
export interface ParsedFormat {
  directives: Directive[];
  tail: string;
}

const TOO_LARGE = 1e6;

/** Go's `parsenum`: [value or undefined, next index]. */
function parseNum(
  s: string,
  i: number,
  end: number,
): [number | undefined, number] {
  let num = 0;
  let found = false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (num > TOO_LARGE) return [undefined, end];
    num = num * 10 + c - 48;
    found = true;
  }
  return [found ? num : undefined, i];
}

/** Go's `argNumber` parse half: [index, next position]. */
function parseIndex(s: string, i: number): [ArgIndex, number] {
  if (i >= s.length || s[i] !== "[") return [undefined, i];
  if (s.length - i < 3) return [{ ok: false, index: 0 }, i + 1];
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] !== "]") continue;
    const [n, next] = parseNum(s, i + 1, j);
    if (n === undefined || next !== j) return [{ ok: false, index: 0 }, j + 1];
    return [{ ok: true, index: n - 1 }, j + 1];
  }
  return [{ ok: false, index: 0 }, i + 1];
}

/** Parses one directive starting just after its `%`. */
function parseDirective(
  s: string,
  i: number,
  text: string,
): [Directive, number] {
  const d: Directive = {
    text,
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    index1: undefined,
    widthStar: false,
    width: undefined,
    hasPrec: false,
    index2: undefined,
    precStar: false,
    prec: 0,
    index3: undefined,
    badIndex: false,
    verb: "",
    simple: false,
  };
  const end = s.length;
  flags: for (; i < end; i++) {
    switch (s[i]) {
      case "#":
        d.sharp = true;
        break;
      case "0":
        d.zero = !d.minus;
        break;
      case "+":
        d.plus = true;
        break;
      case "-":
        d.minus = true;
        d.zero = false;
        break;
      case " ":
        d.space = true;
        break;
      default:
        break flags;
    }
  }
  [d.index1, i] = parseIndex(s, i);
  let afterIndex = d.index1?.ok ?? false;
  if (i < end && s[i] === "*") {
    i++;
    d.widthStar = true;
    afterIndex = false;
  } else {
    [d.width, i] = parseNum(s, i, end);
    if (afterIndex && d.width !== undefined) d.badIndex = true;
  }
  if (i + 1 < end && s[i] === ".") {
    i++;
    d.hasPrec = true;
    if (afterIndex) d.badIndex = true;
    [d.index2, i] = parseIndex(s, i);
    afterIndex = d.index2?.ok ?? false;
    if (i < end && s[i] === "*") {
      i++;
      d.precStar = true;
      afterIndex = false;
    } else {
      let p: number | undefined;
      [p, i] = parseNum(s, i, end);
      d.prec = p ?? 0;
    }
  }
  if (!afterIndex) [d.index3, i] = parseIndex(s, i);
  if (i < end) {
    const c = s.codePointAt(i)!;
    d.verb = String.fromCodePoint(c);
    i += d.verb.length;
  }
  d.simple = !d.widthStar && !d.precStar && d.index1 === undefined &&
    d.index2 === undefined && d.index3 === undefined && !d.badIndex;
  return [d, i];
}

/** Parses a whole format string. */
export function parseFormat(s: string): ParsedFormat {
  const directives: Directive[] = [];
  let i = 0;
  while (i < s.length) {
    const pct = s.indexOf("%", i);
    if (pct < 0) break;
    const [d, next] = parseDirective(s, pct + 1, s.slice(i, pct));
    directives.push(d);
    i = next;
    if (d.verb === "") return { directives, tail: "" };
  }
  return { directives, tail: s.slice(i) };
}

const MAX_CACHED = 512;
const MAX_CACHED_LENGTH = 256;
let cache: Map<string, ParsedFormat> | undefined;
// The last format looked up: a loop formatting one format skips the Map.
let lastFormat: string | undefined;
let lastParsed: ParsedFormat | undefined;

/** The parsed form of `s`, from a bounded cache when `s` is short. */
export function cachedParse(s: string): ParsedFormat {
  if (s === lastFormat) return lastParsed!;
  if (s.length > MAX_CACHED_LENGTH) return parseFormat(s);
  cache ??= new Map();
  let parsed = cache.get(s);
  if (parsed === undefined) {
    // Dropping everything keeps memory bounded against endless new formats.
    if (cache.size >= MAX_CACHED) cache.clear();
    parsed = parseFormat(s);
    cache.set(s, parsed);
  }
  lastFormat = s;
  lastParsed = parsed;
  return parsed;
}
