// Bad options everywhere: every constructor and function option rejects a
// wrong type with a TypeError and a wrong value with a RangeError, and the
// message names the option and the value it got. Rejection happens at
// construction, never later on the logging path.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  iec,
  LiveMemUse,
  metric,
  Printer,
  rateLimit,
  type Sampler,
} from "../mod.ts";

type ErrorType = TypeErrorConstructor | RangeErrorConstructor;
/** A call, the error it must throw, and a pattern its message must match. */
type Case = [label: string, call: () => unknown, type: ErrorType, re: RegExp];

function checkCases(cases: Case[]): void {
  for (const [label, call, type, re] of cases) {
    assert.throws(
      call,
      (e: unknown) => {
        assert.ok(e instanceof type, `${label}: ${e} is not a ${type.name}`);
        assert.match(e.message, re, label);
        return true;
      },
      label,
    );
  }
}

const sampler: Sampler = { runtime: "node", sample: () => undefined };
const sym = Symbol("s");

test("LiveMemUse options: interval, sampler, now, headroom and the object itself", () => {
  const make = (opts: unknown) => () => new LiveMemUse(opts as never);
  checkCases([
    // interval: a finite number >= 0
    ["interval -1", make({ interval: -1 }), RangeError, /\binterval\b.*-1\b/],
    ["interval -0.5", make({ interval: -0.5 }), RangeError, /interval.*-0\.5/],
    ["interval NaN", make({ interval: NaN }), RangeError, /interval.*NaN/],
    [
      "interval Infinity",
      make({ interval: Infinity }),
      RangeError,
      /interval.*Infinity/,
    ],
    [
      "interval -Infinity",
      make({ interval: -Infinity }),
      RangeError,
      /interval.*-Infinity/,
    ],
    [
      "interval '1000'",
      make({ interval: "1000" }),
      TypeError,
      /interval.*"1000"/,
    ],
    ["interval ''", make({ interval: "" }), TypeError, /interval.*""/],
    ["interval 1000n", make({ interval: 1000n }), TypeError, /interval.*1000n/],
    ["interval null", make({ interval: null }), TypeError, /interval.*null/],
    ["interval true", make({ interval: true }), TypeError, /interval.*true/],
    [
      "interval new Number(5)",
      make({ interval: new Number(5) }),
      TypeError,
      /interval.*object/,
    ],
    // sampler: an object with a sample() method
    ["sampler null", make({ sampler: null }), TypeError, /sampler.*null/],
    ["sampler 42", make({ sampler: 42 }), TypeError, /sampler.*42/],
    ["sampler 'node'", make({ sampler: "node" }), TypeError, /sampler.*"node"/],
    [
      "sampler {}",
      make({ sampler: {} }),
      TypeError,
      /sampler.*sample.*undefined/,
    ],
    [
      "sampler { sample: 42 }",
      make({ sampler: { runtime: "node", sample: 42 } }),
      TypeError,
      /sampler.*sample.*42/,
    ],
    [
      "sampler a function",
      make({ sampler: () => ({}) }),
      TypeError,
      /sampler.*function/,
    ],
    // now: a function
    ["now 42", make({ now: 42 }), TypeError, /\bnow\b.*42/],
    ["now null", make({ now: null }), TypeError, /\bnow\b.*null/],
    ["now 'clock'", make({ now: "clock" }), TypeError, /\bnow\b.*"clock"/],
    ["now {}", make({ now: {} }), TypeError, /\bnow\b.*object/],
    // headroom: a boolean
    ["headroom 'yes'", make({ headroom: "yes" }), TypeError, /headroom.*"yes"/],
    ["headroom 1", make({ headroom: 1 }), TypeError, /headroom.*1/],
    // the options object
    ["options 5", make(5), TypeError, /options.*5/],
    ["options null", make(null), TypeError, /options.*null/],
    ["options 'fast'", make("fast"), TypeError, /options.*"fast"/],
    ["options true", make(true), TypeError, /options.*true/],
    ["options a function", make(() => {}), TypeError, /options.*function/],
  ]);
  // The good values are accepted, and undefined means the default.
  for (
    const opts of [
      undefined,
      {},
      { interval: undefined, sampler: undefined, now: undefined },
      { interval: 0 },
      { interval: -0 },
      { interval: 0.5 },
      { interval: Number.MAX_VALUE },
      { sampler, now: () => 0, headroom: false },
    ]
  ) {
    assert.doesNotThrow(() => new LiveMemUse(opts), JSON.stringify(opts));
  }
});

test("LiveMemUse.updateInterval: a bad value is rejected and the old one kept", () => {
  const saved = LiveMemUse.updateInterval;
  const set = (v: unknown) => () => {
    LiveMemUse.updateInterval = v as number;
  };
  try {
    LiveMemUse.updateInterval = 250;
    checkCases([
      ["-1", set(-1), RangeError, /LiveMemUse\.updateInterval.*-1/],
      ["NaN", set(NaN), RangeError, /LiveMemUse\.updateInterval.*NaN/],
      [
        "Infinity",
        set(Infinity),
        RangeError,
        /LiveMemUse\.updateInterval.*Infinity/,
      ],
      ["'5'", set("5"), TypeError, /LiveMemUse\.updateInterval.*"5"/],
      [
        "undefined",
        set(undefined),
        TypeError,
        /LiveMemUse\.updateInterval.*undefined/,
      ],
      ["null", set(null), TypeError, /LiveMemUse\.updateInterval.*null/],
      ["5n", set(5n), TypeError, /LiveMemUse\.updateInterval.*5n/],
    ]);
    assert.equal(LiveMemUse.updateInterval, 250, "the old value is kept");
    LiveMemUse.updateInterval = 0;
    assert.equal(LiveMemUse.updateInterval, 0);
  } finally {
    LiveMemUse.updateInterval = saved;
  }
});

test("rateLimit: fn, the options object, interval and now", () => {
  const fn = () => 1;
  const limit = (f: unknown, opts: unknown) => () =>
    rateLimit(f as () => number, opts as never);
  checkCases([
    [
      "fn undefined",
      limit(undefined, { interval: 1 }),
      TypeError,
      /fn.*undefined/,
    ],
    ["fn 42", limit(42, { interval: 1 }), TypeError, /fn.*42/],
    ["fn 'f'", limit("f", { interval: 1 }), TypeError, /fn.*"f"/],
    ["fn {}", limit({}, { interval: 1 }), TypeError, /fn.*object/],
    [
      "options undefined",
      limit(fn, undefined),
      TypeError,
      /options.*undefined/,
    ],
    ["options null", limit(fn, null), TypeError, /options.*null/],
    ["options 1000", limit(fn, 1000), TypeError, /options.*1000/],
    ["interval missing", limit(fn, {}), TypeError, /interval.*undefined/],
    ["interval -1", limit(fn, { interval: -1 }), RangeError, /interval.*-1/],
    ["interval NaN", limit(fn, { interval: NaN }), RangeError, /interval.*NaN/],
    [
      "interval Infinity",
      limit(fn, { interval: Infinity }),
      RangeError,
      /interval.*Infinity/,
    ],
    [
      "interval '1s'",
      limit(fn, { interval: "1s" }),
      TypeError,
      /interval.*"1s"/,
    ],
    ["now 0", limit(fn, { interval: 1, now: 0 }), TypeError, /\bnow\b.*0/],
    [
      "now 'performance'",
      limit(fn, { interval: 1, now: "performance" }),
      TypeError,
      /\bnow\b.*"performance"/,
    ],
  ]);
  const read = rateLimit(fn, { interval: 0, now: undefined });
  assert.equal(read(), 1, "good options work");
});

test("Printer: the options object and grouping", () => {
  const make = (opts: unknown) => () => new Printer(opts as never);
  checkCases([
    ["options 5", make(5), TypeError, /Printer: options.*5/],
    ["options null", make(null), TypeError, /Printer: options.*null/],
    ["options 'grouping'", make("grouping"), TypeError, /options.*"grouping"/],
    ["options true", make(true), TypeError, /options.*true/],
    [
      "grouping 'yes'",
      make({ grouping: "yes" }),
      TypeError,
      /"grouping".*"yes"/,
    ],
    ["grouping 1", make({ grouping: 1 }), TypeError, /"grouping".*1/],
    ["grouping 0", make({ grouping: 0 }), TypeError, /"grouping".*0/],
    ["grouping {}", make({ grouping: {} }), TypeError, /"grouping".*object/i],
  ]);
  assert.equal(new Printer(undefined).grouping, false);
  assert.equal(new Printer({}).grouping, false);
  assert.equal(new Printer({ grouping: true }).sprintf("%d", 1234), "1,234");
});

test("iec and metric: the value and the unit (TypeError naming the option and the value)", () => {
  for (const [name, make] of [["iec", iec], ["metric", metric]] as const) {
    const q = (v: unknown, unit?: unknown) => () =>
      make(v as number, unit as string);
    checkCases([
      [
        `${name}("12")`,
        q("12"),
        TypeError,
        new RegExp(`${name}: value.*"12"`),
      ],
      [`${name}(null)`, q(null), TypeError, /value.*(object|null)/],
      [`${name}(undefined)`, q(undefined), TypeError, /value.*undefined/],
      [`${name}({})`, q({}), TypeError, /value.*object/],
      [`${name}(true)`, q(true), TypeError, /value.*true/],
      [`${name}(symbol)`, q(sym), TypeError, /value.*symbol/i],
      [`${name}(new Number(1))`, q(new Number(1)), TypeError, /value.*object/],
      [`${name}(1, 5)`, q(1, 5), TypeError, /"unit".*5/],
      [
        `${name}(1, null)`,
        q(1, null),
        TypeError,
        /"unit".*null|"unit".*object/,
      ],
      [`${name}(1, {})`, q(1, {}), TypeError, /"unit".*object/],
    ]);
    // NaN and ±Inf are values, not errors: they print NaN, +Inf, -Inf.
    assert.equal(String(make(NaN, "B")), "NaN" + "B");
    assert.equal(String(make(-Infinity, "")), "-Inf");
    assert.equal(String(make(1n, "x")), "1x");
  }
});

// Every option error names the value it got, not only its type, and only
// undefined means "the default".
test(
  "Printer: only undefined means the default; null is no boolean",
  () => {
    assert.throws(
      () => new Printer({ grouping: null } as never),
      (e: unknown) =>
        e instanceof TypeError && /"grouping".*null/.test(e.message),
    );
  },
);
