// Bun's figures, normalized (lib/bun_figures.ts), without a runtime: on
// figures that Bun 1.4.5's process.memoryUsage() returned on Linux x64
// (docs/runtimes.md). Runs unchanged on Deno, Bun and Node; the real Bun is
// in tests/runtime_figures.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bunNormalizer } from "../lib/bun_figures.ts";
import { breakdown, formatBreakdown } from "../lib/breakdown.ts";
import { LiveMemUse } from "../lib/live_mem_use.ts";
import { detectRuntime } from "../lib/runtime.ts";
import { type MemorySample, samplerFor } from "../lib/samplers.ts";

// A fresh `bun` process, before any collection: heapUsed is heapTotal, to
// the byte, and external and arrayBuffers are 0.
const FRESH = {
  rss: 29_974_528,
  heapTotal: 1_000_448,
  heapUsed: 1_000_448,
  external: 0,
  arrayBuffers: 0,
};
// The same process with 64 MiB of ArrayBuffers and 200,000 objects, before
// Bun.gc(true): a collection ran while the buffers were being made, so
// heapUsed holds fewer of them than external, which counts them at once.
const ALLOCATED = {
  rss: 134_033_408,
  heapTotal: 17_426_432,
  heapUsed: 51_703_816,
  external: 67_184_312,
  arrayBuffers: 67_115_008,
};
// After Bun.gc(true): heapUsed = the cells (18,599,792) + external.
const COLLECTED = {
  rss: 134_303_744,
  heapTotal: 17_294_336,
  heapUsed: 86_893_533,
  external: 68_293_741,
  arrayBuffers: 67_115_008,
};
// 64 MiB of Uint8Arrays instead: Bun never counts them in arrayBuffers, and
// in external only once a collection has visited them.
const TYPED_COLLECTED = {
  rss: 133_226_496,
  heapTotal: 17_294_336,
  heapUsed: 86_877_894,
  external: 68_278_070,
  arrayBuffers: 0,
};
// A 10,000,000-element array after Bun.gc(true): large objects live outside
// heapTotal's blocks, so heapUsed exceeds heapTotal 160 times.
const BIG_ARRAY = {
  rss: 104_701_952,
  heapTotal: 497_664,
  heapUsed: 80_140_394,
  external: 14_602,
  arrayBuffers: 0,
};
// Then 8 MiB more of ArrayBuffers, no collection: heapUsed has not moved,
// external has; and after the next Bun.gc(true).
const BIG_ARRAY_MORE = {
  rss: 113_483_776,
  heapTotal: 515_072,
  heapUsed: 80_140_394,
  external: 8_403_306,
  arrayBuffers: 8_388_704,
};
const BIG_ARRAY_MORE_COLLECTED = {
  rss: 113_614_848,
  heapTotal: 498_688,
  heapUsed: 88_529_322,
  external: 8_403_498,
  arrayBuffers: 8_388_704,
};

/** A fresh normalizer's sample for each reading in turn. */
function normalized(...readings: object[]): unknown[] {
  const bun = bunNormalizer();
  return readings.map((r) => bun(r));
}

test("bunNormalizer: before the first collection, neither a used part nor false zeros", () => {
  assert.deepEqual(normalized(FRESH), [
    { runtime: "bun", heapAsOf: "lastGC", rss: FRESH.rss },
  ]);
});

test("bunNormalizer: after Bun.gc(true) the used part is heapUsed - external", () => {
  const [sample] = normalized(COLLECTED) as MemorySample[];
  assert.deepEqual(sample, {
    runtime: "bun",
    heapAsOf: "lastGC",
    rss: COLLECTED.rss,
    heapUsed: 18_599_792,
    external: COLLECTED.external,
    arrayBuffers: COLLECTED.arrayBuffers,
  });
  // No heap total: free and other are not derived either.
  const b = breakdown(sample);
  assert.equal(b.heapFree, undefined);
  assert.equal(b.other, undefined);
  assert.deepEqual(b.inconsistencies, []);
  assert.equal(
    formatBreakdown(b),
    "rss=128.1MiB (heapUsed=17.7MiB ; external=65.1MiB (arrayBuffers:64.0MiB))",
  );
});

test("bunNormalizer: ArrayBuffers outgrew the cells since the collection: no used part", () => {
  const [sample] = normalized(ALLOCATED) as MemorySample[];
  assert.ok(!("heapUsed" in sample), JSON.stringify(sample));
  assert.equal(sample.external, ALLOCATED.external);
  assert.equal(sample.arrayBuffers, ALLOCATED.arrayBuffers);
});

test("bunNormalizer: an arrayBuffers of 0 is left out, typed arrays or not", () => {
  const [sample] = normalized(TYPED_COLLECTED) as MemorySample[];
  assert.ok(!("arrayBuffers" in sample));
  assert.equal(sample.heapUsed, 18_599_824);
  assert.equal(sample.external, TYPED_COLLECTED.external);
  assert.ok(!formatBreakdown(breakdown(sample)).includes("arrayBuffers"));
});

test("bunNormalizer: a large object counts in the used part, heapTotal is not reported", () => {
  const [sample] = normalized(BIG_ARRAY) as MemorySample[];
  assert.equal(sample.heapUsed, 80_125_792);
  assert.ok(!("heapTotal" in sample));
  assert.equal(
    formatBreakdown(breakdown(sample)),
    "rss=99.9MiB (heapUsed=76.4MiB ; external=14.3KiB)",
  );
});

test("bunNormalizer: between collections the used part stays the collection's", () => {
  const [first, more, next] = normalized(
    BIG_ARRAY,
    BIG_ARRAY_MORE,
    BIG_ARRAY_MORE_COLLECTED,
  ) as MemorySample[];
  assert.equal(first.heapUsed, 80_125_792);
  // heapUsed - external now would be 71.7 MiB: 8 MiB of ArrayBuffers
  // taken for cells that were not freed.
  assert.equal(more.heapUsed, 80_125_792);
  assert.equal(more.external, BIG_ARRAY_MORE.external);
  // The next collection measures again: the cells have not changed.
  assert.equal(next.heapUsed, 80_125_824);
  // A normalizer that first sees the later reading knows no better.
  const [late] = normalized(BIG_ARRAY_MORE) as MemorySample[];
  assert.equal(late.heapUsed, 80_140_394 - 8_403_306);
});

test("bunNormalizer: unknown figures stay unknown, nothing known is undefined", () => {
  assert.deepEqual(normalized({}), [undefined]);
  // Without external the extra memory in heapUsed is unknown.
  const { heapTotal, heapUsed } = COLLECTED;
  assert.deepEqual(normalized({ heapTotal, heapUsed }), [undefined]);
  // Without heapTotal there is no telling a collection happened.
  const [noTotal] = normalized({ ...COLLECTED, heapTotal: undefined }) as [
    MemorySample,
  ];
  assert.ok(!("heapUsed" in noTotal));
  const zeros = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0 };
  assert.deepEqual(normalized(zeros), [undefined]);
  // A collection seen, then a reading without external: the rest prints.
  const [, gone] = normalized(COLLECTED, { ...COLLECTED, external: undefined });
  assert.deepEqual(gone, {
    runtime: "bun",
    heapAsOf: "lastGC",
    rss: COLLECTED.rss,
    arrayBuffers: COLLECTED.arrayBuffers,
  });
});

test("the Bun sampler normalizes; toJSON carries heapAsOf, Node's does not", () => {
  const readings = [FRESH, ALLOCATED, COLLECTED];
  let i = 0;
  const bun = samplerFor(detectRuntime({
    Bun: {},
    process: {
      memoryUsage: () => readings[Math.min(i++, readings.length - 1)],
      resourceUsage: () => ({ maxRSS: 140_000 }),
      versions: { node: "24.3.0", bun: "1.4.5" },
    },
  }));
  const mem = new LiveMemUse({ sampler: bun, interval: 0 });
  assert.equal(String(mem), "rss=28.6MiB");
  assert.equal(
    String(mem),
    "rss=127.8MiB (external=64.1MiB (arrayBuffers:64.0MiB))",
  );
  const json = mem.toJSON();
  assert.deepEqual(json, {
    runtime: "bun",
    rss: COLLECTED.rss,
    heapUsed: 18_599_792,
    external: COLLECTED.external,
    arrayBuffers: COLLECTED.arrayBuffers,
    peakRss: 140_000 * 1024,
    heapAsOf: "lastGC",
  });
  const node = samplerFor(detectRuntime({
    process: { memoryUsage: () => COLLECTED, versions: { node: "24.3.0" } },
  }));
  const nodeJson = new LiveMemUse({ sampler: node }).toJSON();
  assert.equal(nodeJson.heapUsed, COLLECTED.heapUsed, "Node's figures as read");
  assert.ok(!("heapAsOf" in nodeJson));
});
