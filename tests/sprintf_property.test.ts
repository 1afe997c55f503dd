// Random formats and hostile arguments: sprintf never throws and always ends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatter, iec, metric, sprintf } from "../mod.ts";
import { propertyRuns, Random } from "./support/random.ts";

const RUNS = propertyRuns(100_000);
const PIECES = [
  "%",
  "%%",
  "d",
  "v",
  "s",
  "q",
  "x",
  "X",
  "f",
  "e",
  "g",
  "G",
  "c",
  "U",
  "t",
  "b",
  "o",
  "O",
  "F",
  "E",
  "z",
  "!",
  "+",
  "-",
  "#",
  " ",
  "0",
  "*",
  ".",
  "[",
  "]",
  "[1]",
  "[2]",
  "[0]",
  "[9]",
  "[x]",
  "1",
  "12",
  "999999",
  "10000000",
  "99999999",
  "é",
  "😀",
  "\u{d800}",
  "\n",
  "abc",
];

function cyclicArray(): unknown[] {
  const a: unknown[] = [1, "two"];
  a.push(a, [a]);
  return a;
}

function cyclicObject(): Record<string, unknown> {
  const o: Record<string, unknown> = { name: "o" };
  o.self = o;
  return o;
}

const throwing = {
  toString(): string {
    throw new Error("toString exploded");
  },
};

const ARGS: (() => unknown)[] = [
  () => 42,
  () => -7,
  () => 2.5,
  () => NaN,
  () => Infinity,
  () => -0,
  () => 2 ** 60,
  () => 12345678901234567890n,
  () => -(2n ** 63n),
  () => 2n ** 200n,
  () => "héllo 😀",
  () => "",
  () => true,
  () => null,
  () => undefined,
  () => Symbol("sym"),
  () => function named() {},
  () => () => 1,
  cyclicArray,
  cyclicObject,
  () => [, , 3], // sparse
  () => new Array(5),
  () => new Uint8Array([0, 255, 16]),
  () => new Float64Array([1.5, NaN]),
  () => new Map<unknown, unknown>([[2, "b"], ["a", 1]]),
  () => new Set([1, "x"]),
  () => new Date(0),
  () => new Error("boom"),
  () => throwing,
  () => ({ [formatter]: () => "custom" }),
  () => ({
    [formatter]: () => {
      throw new RangeError("formatter exploded");
    },
  }),
  () => ({
    get bad(): never {
      throw new Error("getter exploded");
    },
  }),
  () =>
    new Proxy({}, {
      ownKeys() {
        throw new Error("proxy exploded");
      },
      get() {
        throw new Error("proxy get exploded");
      },
    }),
  () => iec(123456789),
  () => metric(-0.0015, "s"),
  () => Object.create(null),
];

function randomFormat(r: Random): string {
  let s = "";
  const n = 1 + r.int(6);
  for (let i = 0; i < n; i++) s += r.pick(PIECES);
  return r.int(4) === 0 ? s + "%" : s;
}

test(`sprintf never throws on ${RUNS} random formats and argument lists`, () => {
  const r = new Random(0x5eed);
  let chars = 0;
  for (let i = 0; i < RUNS; i++) {
    const format = randomFormat(r);
    const args = Array.from({ length: r.int(5) }, () => r.pick(ARGS)());
    const out = sprintf(format, ...args);
    assert.equal(typeof out, "string", `sprintf(${JSON.stringify(format)})`);
    chars += out.length;
  }
  assert.ok(chars > RUNS, "the outputs are not empty");
});

test("cyclic values print a marker instead of recursing", () => {
  assert.equal(sprintf("%v", cyclicArray()), "[1 two <cycle> [<cycle>]]");
  assert.equal(sprintf("%v", cyclicObject()), "map[name:o self:<cycle>]");
});

test("throwing methods print Go's PANIC form", () => {
  assert.equal(
    sprintf("%s", throwing),
    "%!s(PANIC=String method: toString exploded)",
  );
  const f = {
    [formatter]: () => {
      throw new RangeError("no");
    },
  };
  assert.equal(sprintf("%d", f), "%!d(PANIC=Format method: no)");
});

test("symbols, functions, sparse arrays and huge widths print without throwing", () => {
  assert.equal(sprintf("%v", Symbol("s")), "Symbol(s)");
  assert.equal(sprintf("%s", function named() {}), "func named");
  assert.equal(sprintf("%v", [, 1]), "[<nil> 1]");
  assert.equal(sprintf("%1000000d|", 1).length, 1_000_001);
  assert.equal(sprintf("%99999999d", 1), "%!(NOVERB)%!(EXTRA int=1)");
  assert.equal(sprintf("%*d", "w", 5), "%!(BADWIDTH)5");
});

test("a non-string format is printed as its string form", () => {
  assert.equal(sprintf(42 as unknown as string), "42");
});
