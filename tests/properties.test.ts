// Property tests with fast-check over sprintf, iec, metric and breakdown.
//
// Every property runs from one fixed seed, printed in the test names, so a
// failure replays with the same seed on any runtime. Each property also
// hashes what it printed into a digest: with the default seed and run count
// the digest must equal GOLDEN below on Deno, Bun and Node alike, which is
// how "the same results on every runtime for the same seed" is checked
// (each runtime runs in its own process, so they cannot compare directly).
//
// LIVEMEM_PROPERTY_RUNS=N runs N cases per property instead of the defaults
// (the digests are then printed, not compared); LIVEMEM_PROPERTY_SEED=S
// replays another seed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { breakdown, formatBreakdown } from "../lib/breakdown.ts";
import type { MemorySample } from "../lib/samplers.ts";
import { formatter, iec, metric, Printer, sprintf } from "../mod.ts";
import {
  abs,
  add,
  cmp,
  decimal,
  exact,
  mul,
  neg,
  power,
  type Ratio,
  show,
} from "./support/exact.ts";
import { propertyRuns } from "./support/random.ts";

const env =
  (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process?.env ?? {};
const DEFAULT_SEED = 0x11fe3e3;
const SEED = Number.isSafeInteger(Number(env.LIVEMEM_PROPERTY_SEED)) &&
    env.LIVEMEM_PROPERTY_SEED !== undefined &&
    env.LIVEMEM_PROPERTY_SEED !== ""
  ? Number(env.LIVEMEM_PROPERTY_SEED)
  : DEFAULT_SEED;
// Bun stops a test after 5 s unless told otherwise (bunfig's timeout is not
// read by bun 1.4), and LIVEMEM_PROPERTY_RUNS can make these take minutes.
const SLOW = { timeout: 3_600_000 };
const CUSTOM = SEED !== DEFAULT_SEED ||
  (env.LIVEMEM_PROPERTY_RUNS ?? "") !== "";

// Digests of every output with the default seed and run counts. They change
// only when an output changes: if a change is intended, check that Deno, Bun
// and Node print the same new digest, then update it here.
const GOLDEN: Record<string, string> = {
  // sprintf: the grouping printer now groups bigints beyond int64 (the only
  // change in these outputs); the same digest on Deno, Bun and Node.
  sprintf: "24087135",
  integers: "d6a85649",
  "iec:accuracy": "5161e36a",
  "iec:monotone": "a93b0b62",
  "metric:accuracy": "ac8ec025",
  "metric:monotone": "204d726e",
  breakdown: "36dc298e",
};

/** FNV-1a over the UTF-16 code units of everything fed to it. */
class Digest {
  #h = 0x811c9dc5;
  count = 0;
  feed(s: string): void {
    let h = this.#h;
    for (let i = 0; i < s.length; i++) {
      h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    }
    this.#h = Math.imul(h ^ 0x1f, 0x01000193); // a separator
    this.count++;
  }
  get hex(): string {
    return (this.#h >>> 0).toString(16).padStart(8, "0");
  }
}

/**
 * Runs `property` for `runs` cases from the seed, then checks its digest
 * against GOLDEN (default seed and runs only).
 */
function check<T>(
  name: string,
  runs: number,
  arb: fc.Arbitrary<T>,
  property: (value: T, digest: Digest) => void,
): void {
  const digest = new Digest();
  // fast-check re-runs the predicate while shrinking a failure; the digest
  // only means something for a run that passed from start to end.
  fc.assert(
    fc.property(arb, (v) => property(v, digest)),
    { seed: SEED, numRuns: runs },
  );
  assert.equal(digest.count >= runs, true, "every run fed the digest");
  console.log(
    `[properties] ${name}: seed ${SEED}, ${runs} runs, digest ${digest.hex}`,
  );
  if (!CUSTOM && GOLDEN[name] !== undefined) {
    assert.equal(
      digest.hex,
      GOLDEN[name],
      `${name}: outputs differ from the golden run (seed ${SEED})`,
    );
  }
}

// ----------------------------------------------------------------- sprintf

// Pieces of format strings: every verb, flag, width, precision, index and
// error form, plus text, non-BMP characters and a lone surrogate.
const FORMAT_PIECES = [
  "%",
  "%%",
  ..."vsqdboOxXcUeEfFgGtT!z ".split(""),
  "+",
  "-",
  "#",
  " ",
  "0",
  "*",
  ".",
  ".*",
  "[",
  "]",
  "[1]",
  "[2]",
  "[3]",
  "[0]",
  "[-1]",
  "[99]",
  "[x]",
  "1",
  "9",
  "12",
  "1000001",
  "99999999999",
  "é",
  "😀",
  "\u{d800}",
  "\n",
  "abc",
];

const formatArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...FORMAT_PIECES), maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 16 }),
  fc.string({
    unit: fc.constantFrom("%", "d", "v", "[", "]", "*", "1", "."),
    maxLength: 10,
  }),
);

const throwing = (what: string) => () => {
  throw new Error(`${what} exploded`);
};
// Values no generator makes: they throw from every hook sprintf may call.
const hostileArb = fc.constantFrom<unknown>(
  { toString: throwing("toString") },
  { toString: throwing("toString"), valueOf: throwing("valueOf") },
  { [formatter]: throwing("formatter") },
  { [formatter]: () => 42 }, // a Formatter returning a non-string
  Object.assign(new Error("boom"), { message: undefined }),
  {
    get message(): string {
      throw new Error("message getter");
    },
    name: "Error",
  },
  new Proxy({}, { ownKeys: throwing("ownKeys"), get: throwing("get") }),
  new Proxy([], { get: throwing("get") }),
  Object.create(null),
  Symbol("sym"),
  function named(): void {},
  iec(NaN),
  metric(-0.0015, "s"),
);

// Plain data, the same on every runtime: fed to the digest.
const portableArb = fc.anything({
  maxDepth: 3,
  maxKeys: 4,
  withBigInt: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBoxedValues: true,
  withObjectString: true,
});
const numberArb = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.bigInt(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 63), 1e21),
);
const argsArb = fc.array(fc.oneof(numberArb, portableArb, fc.string()), {
  maxLength: 5,
});

test(
  `sprintf never throws and is deterministic (fast-check seed ${SEED}, ${
    propertyRuns(4000)
  } runs)`,
  SLOW,
  () => {
    check(
      "sprintf",
      propertyRuns(4000),
      fc.tuple(formatArb, argsArb),
      ([format, args], digest) => {
        const out = sprintf(format, ...args);
        assert.equal(typeof out, "string");
        // Reused state (the spare Run, the format cache) leaks nothing.
        assert.equal(sprintf(format, ...args), out, "a second call");
        assert.equal(new Printer().sprintf(format, ...args), out, "Printer()");
        const grouped = new Printer({ grouping: true }).sprintf(
          format,
          ...args,
        );
        assert.equal(typeof grouped, "string");
        if (!format.includes("%")) {
          assert.ok(out.startsWith(format), "literal text is kept");
          assert.equal(out === format, args.length === 0, "EXTRA iff args");
        }
        digest.feed(out);
        digest.feed(grouped);
      },
    );
  },
);

test(
  `sprintf never throws on hostile values, Dates and nested values (seed ${SEED})`,
  SLOW,
  () => {
    const anyArb = fc.anything({
      maxDepth: 4,
      withBigInt: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withObjectString: true,
      withDate: true, // Date's text depends on the runtime: not digested
    });
    const runs = propertyRuns(2000);
    let chars = 0;
    fc.assert(
      fc.property(
        formatArb,
        fc.array(fc.oneof(anyArb, hostileArb, fc.array(hostileArb)), {
          maxLength: 4,
        }),
        (format, args) => {
          const out = sprintf(format, ...args);
          assert.equal(typeof out, "string");
          chars += out.length;
        },
      ),
      { seed: SEED, numRuns: runs },
    );
    assert.ok(chars > 0);
    // Each hostile value alone under every verb.
    for (const v of fc.sample(hostileArb, { seed: SEED, numRuns: 50 })) {
      for (const verb of "vsqdxXeEfgtcUboO") {
        assert.equal(typeof sprintf(`%${verb} %+#08.3${verb}`, v, v), "string");
      }
    }
  },
);

test(
  `sprintf %d %x %X %o %b of any integer match BigInt's toString (seed ${SEED})`,
  SLOW,
  () => {
    const intArb = fc.oneof(
      fc.maxSafeInteger(),
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
      fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
    );
    check(
      "integers",
      propertyRuns(5000),
      intArb,
      (v, digest) => {
        const b = BigInt(v);
        const sign = b < 0n ? "-" : "";
        const m = b < 0n ? -b : b;
        const out = sprintf("%d %x %X %o %b", v, v, v, v, v);
        assert.equal(
          out,
          [
            sign + m.toString(10),
            sign + m.toString(16),
            sign + m.toString(16).toUpperCase(),
            sign + m.toString(8),
            sign + m.toString(2),
          ].join(" "),
        );
        // Go's grouping printer groups an int64; a *big.Int formats itself.
        if (b >= -(2n ** 63n) && b < 2n ** 63n) {
          const grouped = new Printer({ grouping: true }).sprintf("%d", v);
          assert.equal(
            grouped,
            sign + m.toString().replace(/\B(?=(\d{3})+$)/g, ","),
          );
        }
        digest.feed(out);
      },
    );
  },
);

// ---------------------------------------------------------------- iec/metric

interface System {
  name: "iec" | "metric";
  make: (v: number | bigint, unit: string) => object;
  base: number;
  unit: string;
  /** Prefixes from exponent `min` up to `max`. */
  prefixes: Map<string, number>;
  min: number;
  max: number;
}

function makeSystem(
  name: "iec" | "metric",
  base: number,
  unit: string,
  up: string[],
  down: string[],
): System {
  const prefixes = new Map<string, number>();
  up.forEach((p, k) => prefixes.set(p, k));
  down.forEach((p, k) => prefixes.set(p, -(k + 1)));
  return {
    name,
    make: name === "iec" ? iec : metric,
    base,
    unit,
    prefixes,
    min: down.length === 0 ? 0 : -down.length,
    max: up.length - 1,
  };
}

const SYSTEMS: System[] = [
  makeSystem("iec", 1024, "B", [
    "",
    "Ki",
    "Mi",
    "Gi",
    "Ti",
    "Pi",
    "Ei",
    "Zi",
    "Yi",
  ], []),
  makeSystem(
    "metric",
    1000,
    "s",
    ["", "k", "M", "G", "T", "P", "E", "Z", "Y", "R", "Q"],
    ["m", "μ", "n", "p", "f", "a", "z", "y", "r", "q"],
  ),
];

/** The fixed formats checked, with their number of decimals. */
const FORMATS: [string, number][] = [
  ["%v", 3],
  ["%s", 3],
  ["%d", 0],
  ["%.0f", 0],
  ["%.1f", 1],
  ["%.2f", 2],
  ["%.3f", 3],
  ["%f", 6],
];

interface Printed {
  text: string;
  mantissa: string;
  k: number;
  /** The printed value, exactly. */
  value: Ratio;
}

/** Splits a printed quantity into mantissa and prefix; throws on junk. */
function parse(sys: System, text: string): Printed {
  assert.ok(text.endsWith(sys.unit), `${text} ends with the unit`);
  const body = text.slice(0, text.length - sys.unit.length);
  const m = /^(-?[\d,]+(?:\.\d+)?)(\D*)$/.exec(body);
  assert.ok(m, `${JSON.stringify(text)} is mantissa+prefix+unit`);
  const k = sys.prefixes.get(m[2]);
  assert.ok(k !== undefined, `${JSON.stringify(m[2])} is a ${sys.name} prefix`);
  return {
    text,
    mantissa: m[1],
    k,
    value: mul(decimal(m[1]), power(sys.base, k)),
  };
}

/** The largest exponent in [min, max] whose power is <= |v| (exactly). */
function exactExponent(sys: System, v: Ratio): number {
  const a = abs(v);
  if (a.n === 0n) return 0;
  let k = sys.min;
  while (k < sys.max && cmp(a, power(sys.base, k + 1)) >= 0) k++;
  return k;
}

const halfUnit = (sys: System, p: number, k: number): Ratio =>
  mul({ n: 1n, d: 2n * 10n ** BigInt(p) }, power(sys.base, k));
// The mantissa is `value / base^k` in double arithmetic before it is
// rounded to p decimals: allow that one division's error (2^-50 relative,
// generous for the division and an inexact 1000^k above 10^22).
const SLACK: Ratio = { n: 1n, d: 2n ** 50n };

/** Checks one printed quantity against the exact value it stands for. */
function checkQuantity(
  sys: System,
  v: number | bigint,
  format: string,
  p: number,
  text: string,
): Printed | undefined {
  const where = `${sys.name}(${typeof v === "bigint" ? v + "n" : v}) ${format}`;
  if (typeof v === "number" && !Number.isFinite(v)) {
    const want = v !== v ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    assert.equal(text, want + sys.unit, where);
    return undefined;
  }
  const got = parse(sys, text);
  const x = exact(v);
  // Decimals: exactly p for %f, at most 3 with no trailing zero for %v/%s.
  const decimals = got.mantissa.split(".")[1] ?? "";
  if (format === "%v" || format === "%s") {
    assert.ok(decimals.length <= 3 && !decimals.endsWith("0"), where + text);
  } else assert.equal(decimals.length, p, `${where}: ${text}`);
  // The sign is kept; a mantissa that rounds to zero has none.
  const sgn = cmp(x, { n: 0n, d: 1n });
  const zero = cmp(got.value, { n: 0n, d: 1n }) === 0;
  assert.equal(text.startsWith("-"), sgn < 0 && !zero, `${where}: ${text}`);
  if (!zero) assert.equal(cmp(got.value, { n: 0n, d: 1n }), sgn, where);
  // The largest prefix whose mantissa is >= 1, or the next one when the
  // mantissa rounded up to the base.
  const k0 = exactExponent(sys, x);
  const m = abs(decimal(got.mantissa));
  const one = { n: 1n, d: 1n };
  const base = { n: BigInt(sys.base), d: 1n };
  if (got.k === k0 + 1) {
    assert.ok(k0 < sys.max, `${where}: ${text} above the top prefix`);
    // |v| / base^k0 rounded up to base: |v| >= (base - half unit) base^k0.
    const edge = mul(
      add(base, neg({ n: 1n, d: 2n * 10n ** BigInt(p) })),
      power(sys.base, k0),
    );
    assert.ok(
      cmp(mul(abs(x), add(one, SLACK)), edge) >= 0,
      `${where}: ${text} moved up a prefix without rounding to ${sys.base}`,
    );
  } else {
    assert.equal(got.k, k0, `${where}: ${text} has the wrong prefix`);
  }
  if (got.k < sys.max) {
    assert.ok(cmp(m, base) < 0, `${where}: ${text}: mantissa >= base`);
  }
  if (cmp(abs(x), power(sys.base, sys.min)) >= 0) {
    assert.ok(cmp(m, one) >= 0, `${where}: ${text}: mantissa < 1`);
  }
  // Within half a unit of the last printed place of the true value.
  const err = abs(add(got.value, neg(x)));
  const bound = add(halfUnit(sys, p, got.k), mul(abs(x), SLACK));
  assert.ok(
    cmp(err, bound) <= 0,
    `${where}: ${text} is ${show(err)} off, more than ${show(bound)}`,
  );
  return got;
}

/** Values that land on every prefix, its edges and the round-up band. */
function quantityArb(sys: System): fc.Arbitrary<number | bigint> {
  const k = fc.integer({ min: sys.min - 1, max: sys.max + 1 });
  const sign = fc.constantFrom(1, -1);
  return fc.oneof(
    fc.double(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.constantFrom(0, -0, 1, -1, 1023.95, 1048575, 999.95, 0.9995, 1e-31),
    // near base^k
    fc.tuple(k, fc.double({ min: 0.9, max: 1.1, noNaN: true }), sign).map((
      [k, f, s],
    ) => s * f * sys.base ** k),
    // the band where the mantissa rounds up to the base
    fc.tuple(
      k,
      fc.oneof(
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 1e-3, noNaN: true }),
        fc.double({ min: 0, max: 1e-6, noNaN: true }),
      ),
      sign,
    ).map(([k, x, s]) => s * (sys.base - x) * sys.base ** (k - 1)),
    // bigints, near powers of the base too
    fc.bigInt({ min: -(2n ** 120n), max: 2n ** 120n }),
    fc.tuple(
      fc.integer({ min: 1, max: sys.max + 2 }),
      fc.bigInt({ min: -(2n ** 20n), max: 2n ** 20n }),
    ).map(([k, d]) => BigInt(sys.base) ** BigInt(k) + d),
  );
}

for (const sys of SYSTEMS) {
  test(
    `${sys.name}: sign, largest prefix with mantissa >= 1, within half a unit (seed ${SEED}, ${
      propertyRuns(3000)
    } runs x ${FORMATS.length} formats)`,
    SLOW,
    () => {
      const grouped = new Printer({ grouping: true });
      check(
        `${sys.name}:accuracy`,
        propertyRuns(3000),
        quantityArb(sys),
        (v, digest) => {
          const q = sys.make(v, sys.unit);
          for (const [format, p] of FORMATS) {
            const text = sprintf(format, q);
            checkQuantity(sys, v, format, p, text);
            // Grouping only adds commas to the integer part.
            const g = grouped.sprintf(format, q);
            assert.equal(g.replaceAll(",", ""), text, `grouped ${format}`);
            const intPart = /^-?([\d,]+)/.exec(g)?.[1];
            if (intPart !== undefined) {
              assert.match(intPart, /^\d{1,3}(,\d{3})*$/, g);
            }
            digest.feed(text);
          }
          assert.equal(String(q), sprintf("%v", q), "toString is %v");
          // A safe integer prints the same as a number and as a bigint.
          if (typeof v === "number" && Number.isSafeInteger(v) && v !== 0) {
            const b = sys.make(BigInt(v), sys.unit);
            for (const [format] of FORMATS) {
              assert.equal(sprintf(format, b), sprintf(format, q), format);
            }
          }
        },
      );
    },
  );

  test(
    `${sys.name}: monotone in the value for each format (seed ${SEED}, ${
      propertyRuns(3000)
    } pairs)`,
    SLOW,
    () => {
      const pairArb = fc.oneof(
        // a double and one a few ulps (or up to a factor of 2) above it
        fc.tuple(
          quantityArb(sys).filter((v) =>
            typeof v === "number" && Number.isFinite(v)
          ) as fc.Arbitrary<number>,
          fc.oneof(
            fc.integer({ min: 0, max: 64 }),
            fc.integer({ min: 0, max: 2 ** 30 }),
            fc.integer({ min: 0, max: 2 ** 52 }),
          ),
        ).map(([a, s]) =>
          [a, stepUp(a, s)] as [number | bigint, number | bigint]
        ),
        // bigints
        fc.tuple(
          quantityArb(sys).filter((v) => typeof v === "bigint") as fc.Arbitrary<
            bigint
          >,
          fc.bigInt({ min: 0n, max: 2n ** 64n }),
        ).map(([a, d]) => [a, a + d] as [number | bigint, number | bigint]),
      );
      check(
        `${sys.name}:monotone`,
        propertyRuns(3000),
        pairArb,
        ([a, b], digest) => {
          const qa = sys.make(a, sys.unit);
          const qb = sys.make(b, sys.unit);
          for (const [format] of FORMATS) {
            const ta = sprintf(format, qa);
            const tb = sprintf(format, qb);
            const pa = parse(sys, ta).value;
            const pb = parse(sys, tb).value;
            assert.ok(
              cmp(pa, pb) <= 0,
              `${format}: ${a} <= ${b} but ${ta} > ${tb}`,
            );
            digest.feed(ta + tb);
          }
        },
      );
    },
  );
}

/** The double `s` steps above `a` in the order of the doubles. */
function stepUp(a: number, s: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigInt64(0);
  // Doubles in order: negative ones are mirrored onto negative integers.
  const ord = bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
  let next = ord + BigInt(s);
  const top = 0x7fefffffffffffffn; // the largest finite double
  if (next > top) next = top;
  view.setBigInt64(0, next < 0n ? -next | -0x8000000000000000n : next);
  return view.getFloat64(0);
}

// ----------------------------------------------------------------- breakdown

const FIELDS = [
  "rss",
  "heapTotal",
  "heapUsed",
  "external",
  "arrayBuffers",
  "heapLimit",
  "peakRss",
] as const;

/** A byte count: mostly realistic sizes, sometimes junk a runtime sends. */
const byteArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 ** 50 }) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(0) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.double(),
      fc.constantFrom<unknown>(
        NaN,
        -1,
        -0,
        Infinity,
        2 ** 60,
        Number.MAX_VALUE,
        "12",
        null,
        12n,
        {},
      ),
    ),
  },
);
const sampleArb = fc.record(
  Object.fromEntries(FIELDS.map((f) => [f, byteArb])) as Record<
    typeof FIELDS[number],
    typeof byteArb
  >,
).map((r) => {
  const s: Record<string, unknown> = { runtime: "node" };
  for (const f of FIELDS) if (r[f] !== undefined) s[f] = r[f];
  return s as unknown as MemorySample;
});

const isByteCount = (v: unknown): v is number =>
  typeof v === "number" && v >= 0 && Number.isFinite(v);

test(
  `breakdown: parts sum to their wholes, measured parts are the valid inputs (seed ${SEED}, ${
    propertyRuns(10000)
  } runs)`,
  SLOW,
  () => {
    check(
      "breakdown",
      propertyRuns(10000),
      sampleArb,
      (s, digest) => {
        const b = breakdown(s);
        const raw = s as unknown as Record<string, unknown>;
        const valid = FIELDS.filter((f) => isByteCount(raw[f]));
        const zeros = ![
          "rss",
          "heapTotal",
          "heapUsed",
          "external",
          "arrayBuffers",
        ]
          .some((f) => isByteCount(raw[f]) && raw[f] !== 0);
        for (const f of FIELDS) {
          const keep = valid.includes(f) &&
            !(zeros && f !== "heapLimit" && f !== "peakRss");
          assert.equal(b[f], keep ? (raw[f] as number) + 0 : undefined, f);
        }
        // Derived parts: present exactly when their inputs are, finite, and
        // they sum to their wholes (exactly for byte counts below 2^53).
        const exactSum = (parts: number[], whole: number, what: string) => {
          assert.ok(parts.every(Number.isFinite), `${what}: ${parts}`);
          if ([...parts, whole].every(Number.isSafeInteger)) {
            assert.equal(
              parts.reduce((x, y) => x + BigInt(y), 0n),
              BigInt(whole),
              what,
            );
          } else {
            const sum = parts.reduce((x, y) => x + y, 0);
            const size = Math.max(whole, ...parts.map(Math.abs));
            assert.ok(Math.abs(sum - whole) <= size * 2 ** -50, what);
          }
        };
        assert.equal(
          b.heapFree !== undefined,
          b.heapTotal !== undefined && b.heapUsed !== undefined,
        );
        if (b.heapFree !== undefined) {
          exactSum([b.heapUsed!, b.heapFree], b.heapTotal!, "heap");
        }
        if (b.other !== undefined) {
          exactSum([b.heapTotal!, b.external!, b.other], b.rss!, "rss");
        } else if (
          b.rss !== undefined && b.heapTotal !== undefined &&
          b.external !== undefined
        ) {
          // Left out only when it overflows to -Infinity: rss is then
          // short of heapTotal + external, and the message says so.
          assert.ok(
            b.inconsistencies.some((m) => m.startsWith(`rss ${b.rss} < `)),
            "other left out without a word",
          );
        }
        // Every invalid input is reported.
        for (const f of FIELDS) {
          if (raw[f] !== undefined && !isByteCount(raw[f])) {
            assert.ok(
              b.inconsistencies.some((m) => m.startsWith(f + " ")),
              `${f}=${String(raw[f])} not reported`,
            );
          }
        }
        // The text shows each known figure, within half a unit of %.1f.
        const text = formatBreakdown(b);
        assert.ok(!/NaN|Inf|undefined/.test(text), text);
        for (
          const [label, field] of [
            ["rss=", "rss"],
            ["heap=", "heapTotal"],
            ["used:", "heapUsed"],
            ["free:", "heapFree"],
            ["external=", "external"],
            ["arrayBuffers[:=]", "arrayBuffers"],
            ["other=", "other"],
          ] as const
        ) {
          const m = new RegExp(
            `(?:^|[ (])${label}(-?[\\d,]+\\.\\d)((?:[KMGTPEZY]i)?)B`,
          )
            .exec(text);
          const value = b[field];
          if (m === null) continue;
          assert.ok(value !== undefined, `${label} printed for no value`);
          const got = parse(SYSTEMS[0], m[1] + m[2] + "B");
          const err = abs(add(got.value, neg(exact(value))));
          assert.ok(
            cmp(
              err,
              add(
                halfUnit(SYSTEMS[0], 1, got.k),
                mul(abs(exact(value)), SLACK),
              ),
            ) <= 0,
            `${label} ${value} printed ${m[0]}`,
          );
        }
        digest.feed(text);
      },
    );
  },
);
