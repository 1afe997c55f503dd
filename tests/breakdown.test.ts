// breakdown() and the log text (docs/breakdown.md: the figures, the parts that
// add up, unknown is not zero).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type Breakdown,
  breakdown,
  formatBreakdown,
} from "../lib/breakdown.ts";
import { figure } from "../lib/figure.ts";
import { Printer } from "../lib/fmt/printer.ts";
import { iec } from "../lib/units.ts";
import type { MemorySample } from "../lib/samplers.ts";

const MiB = 2 ** 20;
const mib = (x: number): number => Math.round(x * MiB);
const text = (s: MemorySample): string => formatBreakdown(breakdown(s));

// The example line of the log text (a negative `other`), from figures that
// round to it.
const EXAMPLE_SAMPLE: MemorySample = {
  runtime: "node",
  rss: mib(63.8),
  heapTotal: mib(15.3),
  heapUsed: mib(10.2),
  external: mib(50.6),
  arrayBuffers: mib(50.0),
};

test("text: the documented example line (docs/breakdown.md), character for character", () => {
  assert.equal(
    text(EXAMPLE_SAMPLE),
    "rss=63.8MiB (heap=15.3MiB (used:10.2MiB + free:5.1MiB) ; external=50.6MiB (arrayBuffers:50.0MiB) ; other=-2.1MiB)",
  );
});

test("breakdown: parts sum to their wholes, derived parts are signed", () => {
  const b = breakdown(EXAMPLE_SAMPLE);
  assert.equal(b.heapFree, b.heapTotal! - b.heapUsed!);
  assert.equal(b.rss, b.heapTotal! + b.external! + b.other!);
  assert.ok(b.other! < 0);
  assert.deepEqual(b.inconsistencies, [
    `rss ${mib(63.8)} < heapTotal ${mib(15.3)} + external ${mib(50.6)}`,
  ]);
});

test("breakdown: identities hold on random samples, and the text always prints", () => {
  // A small deterministic generator (no dependency): xorshift32.
  let seed = 0x2545f491;
  const rand = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const figure = (): number | undefined => {
    const r = rand();
    return r < 0.15
      ? undefined
      : r < 0.2
      ? 0
      : Math.floor(rand() ** 3 * 2 ** (10 + rand() * 30));
  };
  for (let i = 0; i < 2000; i++) {
    const s: MemorySample = { runtime: "node" };
    for (
      const k of [
        "rss",
        "heapTotal",
        "heapUsed",
        "external",
        "arrayBuffers",
        "heapLimit",
      ] as const
    ) {
      const v = figure();
      if (v !== undefined) s[k] = v;
    }
    const b = breakdown(s);
    if (b.heapFree !== undefined) {
      assert.equal(b.heapUsed! + b.heapFree, b.heapTotal);
    }
    if (b.other !== undefined) {
      assert.equal(b.heapTotal! + b.external! + b.other, b.rss);
    }
    if (b.heapFree! < 0) {
      assert.ok(b.inconsistencies.some((m) => m.startsWith("heapUsed")));
    }
    const t = formatBreakdown(b);
    assert.ok(
      t === "unavailable" ||
        /^(rss|heap|heapUsed|external|arrayBuffers)=/.test(t),
      t,
    );
    assert.ok(!/NaN|Inf|undefined/.test(t), t);
  }
});

test("text: Deno's form leaves out (arrayBuffers:…)", () => {
  const { arrayBuffers: _, ...deno } = EXAMPLE_SAMPLE;
  assert.equal(
    text({ ...deno, runtime: "deno" }),
    "rss=63.8MiB (heap=15.3MiB (used:10.2MiB + free:5.1MiB) ; external=50.6MiB ; other=-2.1MiB)",
  );
});

test("text: the browser form is heap, used, free and limit", () => {
  const s: MemorySample = {
    runtime: "browser",
    heapTotal: mib(15.3),
    heapUsed: mib(10.2),
    heapLimit: 4 * 2 ** 30,
  };
  assert.equal(
    text(s),
    "heap=15.3MiB (used:10.2MiB + free:5.1MiB) ; limit=4.0GiB",
  );
  const { heapLimit: _, ...noLimit } = s;
  assert.equal(text(noLimit), "heap=15.3MiB (used:10.2MiB + free:5.1MiB)");
});

test("text: nothing known (or only a limit) is `unavailable`", () => {
  assert.equal(text({ runtime: "unknown" }), "unavailable");
  assert.equal(
    text({ runtime: "node", heapLimit: 2 ** 32, peakRss: MiB }),
    "unavailable",
  );
});

test("text: parts with unknown inputs are left out with their label", () => {
  assert.equal(text({ runtime: "node", rss: mib(63.8) }), "rss=63.8MiB");
  assert.equal(
    text({ runtime: "node", rss: mib(63.8), heapTotal: mib(15.3) }),
    "rss=63.8MiB (heap=15.3MiB)",
    "no external: no other",
  );
  assert.equal(
    text({
      runtime: "node",
      rss: mib(63.8),
      heapUsed: mib(10.2),
      external: mib(50.6),
    }),
    "rss=63.8MiB (heapUsed=10.2MiB ; external=50.6MiB)",
    "a part whose whole is unknown takes its place under its own name",
  );
  assert.equal(
    text({ runtime: "node", rss: mib(1), arrayBuffers: mib(0.5) }),
    "rss=1.0MiB (arrayBuffers=512.0KiB)",
  );
});

test("text: figures are %.1f of iec through the grouping printer", () => {
  assert.equal(text({ runtime: "node", rss: 1023 }), "rss=1,023.0B");
  assert.equal(text({ runtime: "node", rss: 123456789 }), "rss=117.7MiB");
  assert.equal(
    text({ runtime: "node", rss: 1048575 }),
    "rss=1.0MiB",
    "rounds up into the next prefix",
  );
  assert.equal(
    text({
      runtime: "bun",
      rss: 3 * 2 ** 30,
      heapTotal: 2 ** 30,
      heapUsed: 1.5 * 2 ** 30,
      external: 0,
    }),
    "rss=3.0GiB (heap=1.0GiB (used:1.5GiB + free:-512.0MiB) ; external=0.0B ; other=2.0GiB)",
  );
});

test("breakdown: Bun's heapUsed > heapTotal gives a negative free and says so", () => {
  const b = breakdown({
    runtime: "bun",
    heapTotal: 29_245_440,
    heapUsed: 98_881_171,
  });
  assert.equal(b.heapFree, 29_245_440 - 98_881_171);
  assert.deepEqual(b.inconsistencies, [
    "heapUsed 98881171 > heapTotal 29245440",
  ]);
  assert.match(
    formatBreakdown(b),
    /^heap=27\.9MiB \(used:94\.3MiB \+ free:-66\.4MiB\)$/,
  );
});

test("breakdown: invalid inputs are reported and treated as unknown", () => {
  const s = {
    runtime: "node",
    rss: NaN,
    heapTotal: -5,
    heapUsed: "12",
    external: Infinity,
    arrayBuffers: 10n,
    heapLimit: null,
  } as unknown as MemorySample;
  const b = breakdown(s);
  assert.deepEqual(
    b,
    {
      inconsistencies: [
        "rss is not a byte count: NaN",
        "heapTotal is not a byte count: -5",
        'heapUsed is not a byte count: "12"',
        "external is not a byte count: Infinity",
        "arrayBuffers is not a byte count: 10n",
        "heapLimit is not a byte count: null",
      ],
    } satisfies Breakdown,
  );
  assert.equal(formatBreakdown(b), "unavailable");
  const mixed = breakdown({
    runtime: "node",
    rss: mib(2),
    heapTotal: NaN,
    external: mib(1),
  });
  assert.equal(formatBreakdown(mixed), "rss=2.0MiB (external=1.0MiB)");
});

test("breakdown: all zeros is unavailable, not 0 bytes (workerd)", () => {
  const b = breakdown({
    runtime: "workerd",
    rss: 0,
    heapTotal: 0,
    heapUsed: 0,
    external: 0,
    arrayBuffers: 0,
  });
  assert.deepEqual(b.inconsistencies, [
    "all figures are 0: treated as unavailable",
  ]);
  assert.equal(formatBreakdown(b), "unavailable");
  // One real zero among real figures is a figure.
  assert.equal(
    text({ runtime: "node", rss: MiB, external: 0 }),
    "rss=1.0MiB (external=0.0B)",
  );
});

test("breakdown: more inconsistencies — arrayBuffers > external, peakRss < rss", () => {
  const b = breakdown({
    runtime: "node",
    rss: 100,
    external: 10,
    arrayBuffers: 20,
    peakRss: 50,
  });
  assert.deepEqual(b.inconsistencies, [
    "arrayBuffers 20 > external 10",
    "peakRss 50 < rss 100",
  ]);
});

test("breakdown: never throws on a hostile sample", () => {
  for (const bad of [undefined, null, 42, "x"]) {
    const b = breakdown(bad as unknown as MemorySample);
    assert.equal(b.inconsistencies.length, 1);
    assert.equal(formatBreakdown(b), "unavailable");
  }
  const getter = {
    runtime: "node",
    rss: MiB,
    get heapTotal(): number {
      throw new Error("gone");
    },
  };
  const b = breakdown(getter as MemorySample);
  assert.deepEqual(b.inconsistencies, ["reading the sample threw: gone"]);
  assert.equal(formatBreakdown(b), "rss=1.0MiB");
});

test("figure: exactly %.1f of iec(bytes) through the grouping printer", () => {
  const printer = new Printer({ grouping: true });
  const values = [
    0,
    -0,
    1,
    1023,
    1024,
    1048575,
    1048576,
    123456789,
    2 ** 53,
    -2.1 * MiB,
    -0.04,
    0.05,
    1e30,
    1280, // 1.25 KiB: a tie, to even
    1.25,
    0.25,
    -0.25,
    1023.95 * 1024,
    1048575.9,
    2 ** 100,
    2 ** 90 * 1023.96,
    NaN,
    Infinity,
    -Infinity,
  ];
  let seed = 12345;
  for (let i = 0; i < 3000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const v = Math.floor((seed / 2 ** 31) ** 4 * 2 ** (seed % 50));
    values.push(i % 3 === 0 ? -v : v);
  }
  for (const v of values) {
    assert.equal(figure(v), printer.sprintf("%.1f", iec(v, "B")), `${v}`);
  }
  // And a whole line, against one sprintf of the same figures.
  const b = breakdown(EXAMPLE_SAMPLE);
  assert.equal(
    formatBreakdown(b),
    printer.sprintf(
      "rss=%.1f (heap=%.1f (used:%.1f + free:%.1f) ; external=%.1f (arrayBuffers:%.1f) ; other=%.1f)",
      ...[
        b.rss,
        b.heapTotal,
        b.heapUsed,
        b.heapFree,
        b.external,
        b.arrayBuffers,
        b.other,
      ].map((v) => iec(v!, "B")),
    ),
  );
});
