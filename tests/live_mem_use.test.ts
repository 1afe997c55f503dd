// LiveMemUse: the text on the real runtime, rate limiting with an injected
// clock, hostile samplers, and the inspect hooks of Deno, Node and Bun.
import { fakeNodeScope } from "./support/fake_node.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import { LiveMemUse } from "../lib/live_mem_use.ts";
import { detectRuntime } from "../lib/runtime.ts";
import {
  type MemorySample,
  type Sampler,
  samplerFor,
} from "../lib/samplers.ts";
import {
  allocBuffers,
  allocObjects,
  measure,
  MiB,
  runtime,
  settle,
} from "./_memory.ts";
import { BUN_LINE } from "./support/mem_line.ts";

const FIGURE = String.raw`-?[\d,]+\.\d(?:B|KiB|MiB|GiB|TiB)`;
// Bun's line is its own: see support/mem_line.ts.
const LINE = runtime === "bun" ? new RegExp(`^${BUN_LINE}$`) : new RegExp(
  String
    .raw`^rss=${FIGURE} \(heap=${FIGURE} \(used:${FIGURE} \+ free:${FIGURE}\) ; ` +
    String
      .raw`external=${FIGURE}(?: \(arrayBuffers:${FIGURE}\))? ; other=${FIGURE}\)$`,
);

/** The figure after `label` in `text`, in MiB. */
function figure(text: string, label: string): number {
  const m = new RegExp(`${label}(-?[\\d,]+\\.\\d)(B|KiB|MiB|GiB)`).exec(text);
  // Bun leaves out an arrayBuffers it has not counted yet: 0 so far.
  if (!m && runtime === "bun" && label === "arrayBuffers:") return 0;
  assert.ok(m, `${label} in ${text}`);
  const scale = { B: 1, KiB: 2 ** 10, MiB: MiB, GiB: 2 ** 30 }[m[2] as "B"];
  return Number(m[1].replaceAll(",", "")) * scale / MiB;
}

/** Inspects `v` the way console.log does on the current runtime. */
async function inspect(v: unknown): Promise<string> {
  const deno = (globalThis as { Deno?: { inspect(v: unknown): string } }).Deno;
  if (deno) return deno.inspect(v);
  const util = await import("node:util");
  return util.inspect(v);
}

/** A sampler that returns `fixed` (or calls it) and counts its calls. */
function fake(fixed: unknown): Sampler & { calls: number } {
  const s = {
    runtime: "node" as const,
    calls: 0,
    sample(): MemorySample | undefined {
      s.calls++;
      return (typeof fixed === "function" ? fixed() : fixed) as
        | MemorySample
        | undefined;
    },
  };
  return s;
}

const EXAMPLE_SAMPLE: MemorySample = {
  runtime: "node",
  rss: Math.round(63.8 * MiB),
  heapTotal: Math.round(15.3 * MiB),
  heapUsed: Math.round(10.2 * MiB),
  external: Math.round(50.6 * MiB),
  arrayBuffers: 50 * MiB,
};
const EXAMPLE_TEXT =
  "rss=63.8MiB (heap=15.3MiB (used:10.2MiB + free:5.1MiB) ; external=50.6MiB (arrayBuffers:50.0MiB) ; other=-2.1MiB)";

test("real: the text has the documented shape (docs/breakdown.md) on this runtime", () => {
  const text = `${new LiveMemUse()}`;
  assert.match(text, LINE);
  // Bun prints arrayBuffers once it has counted some.
  if (runtime !== "bun") {
    assert.equal(
      text.includes("(arrayBuffers:"),
      runtime !== "deno",
      "Deno has no arrayBuffers",
    );
  }
});

test("real: 64 MiB of ArrayBuffers show in the text's external figure", () => {
  measure(3, () => {
    const mem = new LiveMemUse({ interval: 0 });
    settle();
    const before = `${mem}`;
    allocBuffers(64);
    settle();
    const after = `${mem}`;
    // Same tolerance as the sampler test: ±8 MiB (12.5%).
    const ext = figure(after, "external=") - figure(before, "external=");
    assert.ok(
      Math.abs(ext - 64) <= 8,
      `external grew ${ext} MiB: ${before} -> ${after}`,
    );
    // Bun: no heap total; the used part leaves the ArrayBuffers out.
    const heap = runtime === "bun" ? "heapUsed=" : "heap=";
    assert.ok(
      figure(after, heap) - figure(before, heap) < 8,
      `not in heap: ${before} -> ${after}`,
    );
    if (runtime !== "deno") {
      const ab = figure(after, "arrayBuffers:") -
        figure(before, "arrayBuffers:");
      assert.ok(Math.abs(ab - 64) <= 8, `arrayBuffers grew ${ab} MiB`);
    }
    const json = mem.toJSON();
    assert.equal(json.runtime, runtime);
    assert.ok(json.external! >= 64 * MiB);
  });
});

test("real: several MiB of objects show in the text's used figure", () => {
  measure(3, () => {
    const mem = new LiveMemUse({ interval: 0 });
    settle();
    const before = `${mem}`;
    allocObjects(200_000);
    settle();
    const after = `${mem}`;
    const label = runtime === "bun" ? "heapUsed=" : "used:";
    const used = figure(after, label) - figure(before, label);
    assert.ok(used >= 16, `used grew ${used} MiB: ${before} -> ${after}`);
    assert.ok(
      figure(after, "external=") - figure(before, "external=") < 4,
      "not in external",
    );
  });
});

test("real: console.log / inspect print the text, also nested", async () => {
  const mem = new LiveMemUse({ interval: 1e9 });
  const text = mem.toString();
  assert.equal(await inspect(mem), text);
  // A long nested value goes on its own line: compare with spaces collapsed.
  assert.equal(
    (await inspect({ mem })).replace(/\s+/g, " "),
    `{ mem: ${text} }`,
  );
});

test("real: toJSON has the numbers in bytes, the runtime, peak rss and heap limit", () => {
  settle(); // Bun: a collection measures the used part
  const json = JSON.parse(JSON.stringify({ mem: new LiveMemUse() })).mem;
  assert.equal(json.runtime, runtime);
  if (runtime === "bun") {
    // No heap total (so no free, no other); heap figures as of the last GC.
    for (const k of ["rss", "heapUsed", "external", "peakRss"]) {
      assert.equal(typeof json[k], "number", k);
    }
    assert.ok(!("heapTotal" in json) && !("heapLimit" in json));
    assert.equal(json.heapAsOf, "lastGC");
    return;
  }
  assert.equal("heapAsOf" in json, false, "figures as of the sample");
  for (
    const k of [
      "rss",
      "heapTotal",
      "heapUsed",
      "heapFree",
      "external",
      "other",
      "peakRss",
    ]
  ) {
    assert.equal(typeof json[k], "number", k);
  }
  assert.equal(json.rss, json.heapTotal + json.external + json.other);
  assert.ok("heapLimit" in json, "Deno and Node read the heap limit");
  assert.equal("arrayBuffers" in json, runtime !== "deno");
});

test("text: a fixed sample prints the documented line; toJSON matches it", () => {
  const mem = new LiveMemUse({ sampler: fake(EXAMPLE_SAMPLE) });
  assert.equal(String(mem), EXAMPLE_TEXT);
  assert.equal(`${mem}`, EXAMPLE_TEXT);
  assert.equal("" + mem, EXAMPLE_TEXT);
  const { runtime: _, ...bytes } = EXAMPLE_SAMPLE;
  assert.deepEqual(mem.toJSON(), {
    runtime: "node",
    ...bytes,
    heapFree: EXAMPLE_SAMPLE.heapTotal! - EXAMPLE_SAMPLE.heapUsed!,
    other: EXAMPLE_SAMPLE.rss! - EXAMPLE_SAMPLE.heapTotal! -
      EXAMPLE_SAMPLE.external!,
    inconsistencies: [
      `rss ${EXAMPLE_SAMPLE.rss} < heapTotal ${EXAMPLE_SAMPLE.heapTotal} + external ${EXAMPLE_SAMPLE.external}`,
    ],
  });
});

test("rate limit: N reads within the interval sample once, and the text is cached", () => {
  let t = 100;
  let rss = MiB;
  const sampler = fake(() => ({ runtime: "node", rss }));
  const mem = new LiveMemUse({ sampler, interval: 1000, now: () => t });
  assert.equal(sampler.calls, 0, "nothing is sampled at construction");
  for (let i = 0; i < 50; i++, t += 20) {
    assert.equal(`${mem}`, "rss=1.0MiB");
    mem.toJSON();
    rss += MiB; // the sampler would say more; the cache hides it
  }
  assert.equal(sampler.calls, 1);
});

test("rate limit: the boundary is strict", () => {
  let t = 0;
  const sampler = fake({ runtime: "node", rss: MiB });
  const mem = new LiveMemUse({ sampler, interval: 1000, now: () => t });
  mem.toString();
  t = 1000;
  mem.toString();
  assert.equal(sampler.calls, 1, "exactly the interval is still fresh");
  t = 1000.001;
  mem.toString();
  assert.equal(sampler.calls, 2, "strictly more re-samples");
});

test("rate limit: changing LiveMemUse.updateInterval takes effect on the next read", () => {
  const saved = LiveMemUse.updateInterval;
  assert.equal(saved, 1000, "the default is 1000 ms");
  try {
    let t = 0;
    const sampler = fake({ runtime: "node", rss: MiB });
    const mem = new LiveMemUse({ sampler, now: () => t });
    mem.toString();
    t = 500;
    mem.toString();
    assert.equal(sampler.calls, 1, "500 ms < 1000 ms");
    LiveMemUse.updateInterval = 100;
    mem.toString();
    assert.equal(
      sampler.calls,
      2,
      "500 ms > 100 ms: the new interval is used at once",
    );
    const own = new LiveMemUse({ sampler, interval: 10_000, now: () => t });
    own.toString();
    t = 5000;
    own.toString();
    assert.equal(
      sampler.calls,
      3,
      "an instance's own interval wins over the static one",
    );
    LiveMemUse.updateInterval = 0;
    mem.toString();
    mem.toString();
    assert.equal(sampler.calls, 5, "0 samples on every read");
  } finally {
    LiveMemUse.updateInterval = saved;
  }
});

test("LiveMemUse.updateInterval rejects bad values and keeps the old one", () => {
  const saved = LiveMemUse.updateInterval;
  assert.throws(
    () => {
      LiveMemUse.updateInterval = -1;
    },
    (e: unknown) =>
      e instanceof RangeError &&
      /LiveMemUse\.updateInterval.*-1/.test(e.message),
  );
  assert.throws(() => {
    LiveMemUse.updateInterval = "5" as unknown as number;
  }, TypeError);
  assert.equal(LiveMemUse.updateInterval, saved);
});

test("constructor: bad options throw early, naming the option and the value", () => {
  const cases: [unknown, ErrorConstructor, RegExp][] = [
    [{ interval: -1 }, RangeError, /interval.*-1/],
    [{ interval: NaN }, RangeError, /interval.*NaN/],
    [{ interval: Infinity }, RangeError, /interval.*Infinity/],
    [{ interval: "1000" }, TypeError, /interval.*"1000"/],
    [{ sampler: {} }, TypeError, /sampler.*object/],
    [{ sampler: () => ({}) }, TypeError, /sampler.*function/],
    [{ now: 42 }, TypeError, /now.*42/],
    [5, TypeError, /options.*5/],
    [null, TypeError, /options.*null/],
  ];
  for (const [opts, type, re] of cases) {
    assert.throws(
      () => new LiveMemUse(opts as never),
      (e: unknown) => e instanceof type && re.test((e as Error).message),
      JSON.stringify(opts),
    );
  }
});

// Hostile samplers: whatever they do, toString/toJSON/inspect return, and
// the text is what docs/breakdown.md says (`unavailable`, or the known parts).
const HOSTILE: [string, Sampler, string][] = [
  [
    "throwing",
    fake(() => {
      throw new Error("boom");
    }),
    "unavailable",
  ],
  ["returning undefined", fake(undefined), "unavailable"],
  ["returning null", fake(null), "unavailable"],
  ["returning a number", fake(42), "unavailable"],
  [
    "all zeros (workerd)",
    fake({
      runtime: "workerd",
      rss: 0,
      heapTotal: 0,
      heapUsed: 0,
      external: 0,
      arrayBuffers: 0,
    }),
    "unavailable",
  ],
  [
    "NaN everywhere",
    fake({
      runtime: "node",
      rss: NaN,
      heapTotal: NaN,
      heapUsed: NaN,
      external: NaN,
    }),
    "unavailable",
  ],
  [
    "NaN rss",
    fake({ ...EXAMPLE_SAMPLE, rss: NaN }),
    "heap=15.3MiB (used:10.2MiB + free:5.1MiB) ; external=50.6MiB (arrayBuffers:50.0MiB)",
  ],
  [
    "negative heapUsed",
    fake({ ...EXAMPLE_SAMPLE, heapUsed: -1 }),
    "rss=63.8MiB (heap=15.3MiB ; external=50.6MiB (arrayBuffers:50.0MiB) ; other=-2.1MiB)",
  ],
  ["missing fields", fake({ runtime: "node", rss: 2 * MiB }), "rss=2.0MiB"],
  [
    "strings",
    fake({ runtime: "node", rss: "1 MiB", heapTotal: {} }),
    "unavailable",
  ],
  [
    "a throwing getter",
    fake({
      runtime: "node",
      rss: MiB,
      get heapTotal(): number {
        throw new Error("getter");
      },
    }),
    "rss=1.0MiB",
  ],
  [
    "a Proxy that throws on everything",
    fake(
      new Proxy({}, {
        get() {
          throw new Error("proxy");
        },
      }),
    ),
    "unavailable",
  ],
  ["a throwing runtime getter", {
    get runtime(): never {
      throw new Error("runtime");
    },
    sample: () => EXAMPLE_SAMPLE,
  }, "unavailable"],
];

for (const [name, sampler, want] of HOSTILE) {
  test(`hostile sampler, ${name}: toString, toJSON and inspect never throw`, async () => {
    const mem = new LiveMemUse({ sampler, interval: 0 });
    assert.equal(mem.toString(), want);
    assert.equal(mem.toString(), want, "a second read too");
    const json = mem.toJSON();
    assert.equal(typeof json.runtime, "string");
    assert.doesNotThrow(() => JSON.stringify(json));
    for (const v of Object.values(json)) {
      if (typeof v === "number") {
        assert.ok(Number.isFinite(v), `${v} in toJSON`);
      }
    }
    assert.equal(await inspect(mem), want);
  });
}

test("hostile sampler: NaN and negatives are listed in toJSON's inconsistencies", () => {
  const mem = new LiveMemUse({
    sampler: fake({ runtime: "node", rss: NaN, heapTotal: -1, heapUsed: 5 }),
  });
  assert.deepEqual(mem.toJSON(), {
    runtime: "node",
    heapUsed: 5,
    inconsistencies: [
      "rss is not a byte count: NaN",
      "heapTotal is not a byte count: -1",
    ],
  });
  assert.equal(mem.toString(), "heapUsed=5.0B");
});

test("hostile clock: a throwing or NaN clock costs freshness, never an exception", () => {
  const sampler = fake({ runtime: "node", rss: MiB });
  const mem = new LiveMemUse({
    sampler,
    now: () => {
      throw new Error("clock");
    },
  });
  assert.equal(`${mem}`, "rss=1.0MiB");
  assert.equal(`${mem}`, "rss=1.0MiB");
  assert.equal(sampler.calls, 2, "no clock: every read samples");
  const nan = new LiveMemUse({ sampler, now: () => NaN });
  assert.equal(`${nan}`, "rss=1.0MiB");
  const evil = {
    valueOf(): number {
      throw new Error("valueOf");
    },
  };
  const odd = new LiveMemUse({ sampler, now: () => evil as unknown as number });
  assert.equal(`${odd}`, "rss=1.0MiB", "a clock returning a non-number");
});

test("a sampler that recovers: the text follows it", () => {
  let fail = true;
  const mem = new LiveMemUse({
    interval: 0,
    sampler: fake(() => {
      if (fail) throw new Error("not yet");
      return { runtime: "node", rss: MiB };
    }),
  });
  assert.equal(`${mem}`, "unavailable");
  fail = false;
  assert.equal(`${mem}`, "rss=1.0MiB");
});

test("peak rss: read only when toJSON asks, once per sample (the text does not show it)", () => {
  const { scope, reads } = fakeNodeScope();
  let t = 0;
  const mem = new LiveMemUse({
    sampler: samplerFor(detectRuntime(scope)),
    now: () => t,
    interval: 1000,
  });
  assert.equal(
    `${mem}`,
    "rss=2.0MiB (heap=1.0MiB (used:512.0KiB + free:512.0KiB) ; external=256.0KiB (arrayBuffers:0.0B) ; other=768.0KiB)",
  );
  assert.equal(reads.peak, 0, "the text path does not read the peak");
  assert.equal(mem.toJSON().peakRss, 3 * MiB);
  assert.equal(mem.toJSON().peakRss, 3 * MiB);
  assert.equal(reads.peak, 1, "once per sample");
  t = 2000;
  mem.toJSON();
  assert.equal(reads.peak, 2, "a new sample, a new peak");
});

test("cached JSON: toJSON() is one frozen object per sample, and a caller cannot corrupt it", () => {
  let t = 0;
  let rss = 64 * MiB;
  const sampler = fake(() => ({ ...EXAMPLE_SAMPLE, rss }));
  const mem = new LiveMemUse({ sampler, interval: 1000, now: () => t });
  const json = mem.toJSON();
  const snapshot = structuredClone(json);
  assert.ok(Object.isFrozen(json), "the object is frozen");
  assert.ok(Object.isFrozen(json.inconsistencies), "and so is its list");
  assert.equal(json.rss, 64 * MiB);
  t = 500;
  assert.equal(mem.toJSON(), json, "the same object between samples");
  // Modules are strict code: every change throws, and nothing changes.
  const any = json as Record<string, unknown>;
  assert.throws(() => {
    any.rss = 1;
  }, TypeError);
  assert.throws(() => {
    delete any.heapTotal;
  }, TypeError);
  assert.throws(() => {
    any.extra = 1;
  }, TypeError);
  assert.throws(() => {
    (json.inconsistencies as string[]).push("mine");
  }, TypeError);
  assert.throws(() => Object.defineProperty(json, "rss", { value: 2 }));
  assert.deepEqual(mem.toJSON(), snapshot, "the next toJSON is unchanged");
  assert.equal(mem.toJSON(), json);
  // A new sample: a new object, with the new figures.
  rss = 65 * MiB;
  t = 1000.5;
  const next = mem.toJSON();
  assert.notEqual(next, json);
  assert.equal(next.rss, 65 * MiB);
  assert.equal(json.rss, 64 * MiB, "the old object is left as it was");
  assert.equal(sampler.calls, 2);
});

test("cached JSON: toJSONString() is JSON.stringify(toJSON()), cached per sample, refreshed after the interval", () => {
  let t = 0;
  let rss = 64 * MiB;
  const sampler = fake(() => ({ ...EXAMPLE_SAMPLE, rss }));
  const mem = new LiveMemUse({ sampler, interval: 1000, now: () => t });
  const text = mem.toJSONString();
  assert.equal(text, JSON.stringify(mem.toJSON()));
  assert.equal(text, JSON.stringify(mem), "JSON.stringify(mem) agrees");
  assert.equal(JSON.parse(text).rss, 64 * MiB);
  rss = 65 * MiB;
  t = 1000;
  assert.equal(mem.toJSONString(), text, "exactly the interval: cached");
  assert.equal(sampler.calls, 1);
  t = 1000.5;
  const next = mem.toJSONString();
  assert.equal(JSON.parse(next).rss, 65 * MiB, "strictly more: a new sample");
  assert.equal(next, JSON.stringify(mem.toJSON()));
  assert.equal(sampler.calls, 2);
  // Unavailable has its JSON too.
  const none = new LiveMemUse({ sampler: fake(undefined) });
  assert.equal(none.toJSONString(), '{"runtime":"node"}');
  assert.ok(Object.isFrozen(none.toJSON()));
});

test("cached JSON: the peak rss gets in through one full sample, which the text then follows (built-in sampler)", () => {
  const { scope, reads } = fakeNodeScope();
  let t = 0;
  const mem = new LiveMemUse({
    sampler: samplerFor(detectRuntime(scope)),
    now: () => t,
    interval: 1000,
  });
  const text = mem.toString();
  const parts = { ...mem.toJSON() };
  assert.equal(parts.peakRss, 3 * MiB, "the JSON has the peak");
  // The fake's figures are fixed, so the full sample's text is the same.
  assert.equal(mem.toString(), text);
  assert.ok(!text.includes("peak"));
  const json = mem.toJSON();
  t = 999;
  assert.equal(mem.toJSON(), json);
  assert.equal(mem.toJSONString(), JSON.stringify(json));
  // One text-only sample, then one full sample for the JSON.
  assert.deepEqual([reads.usage, reads.peak], [2, 1]);
});

test("cached JSON: a JSON-only user samples once per interval, with the peak", () => {
  const { scope, reads } = fakeNodeScope();
  let t = 0;
  const mem = new LiveMemUse({
    sampler: samplerFor(detectRuntime(scope)),
    now: () => t,
    interval: 1000,
  });
  for (; t <= 1000; t += 100) assert.equal(mem.toJSON().peakRss, 3 * MiB);
  assert.deepEqual([reads.usage, reads.peak], [1, 1]);
});
