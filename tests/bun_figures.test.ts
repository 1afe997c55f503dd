// Bun's figures, normalized (lib/bun_figures.ts): pure, on figures that Bun
// 1.4.5's process.memoryUsage() returned on Linux x64 (docs/runtimes.md).
// Runs unchanged on Deno, Bun and Node; the real Bun is in
// tests/runtime_figures.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type BunCollection,
  bunFigures,
  BunNormalizer,
} from "../lib/bun_figures.ts";
import { breakdown, formatBreakdown } from "../lib/breakdown.ts";
import { LiveMemUse } from "../lib/live_mem_use.ts";
import { detectRuntime } from "../lib/runtime.ts";
import { samplerFor } from "../lib/samplers.ts";

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

test("bunFigures: before the first collection, neither a used part nor false zeros", () => {
  assert.deepEqual(bunFigures(FRESH), {
    sample: { runtime: "bun", heapAsOf: "lastGC", rss: FRESH.rss },
    collection: undefined,
  });
});

test("bunFigures: after Bun.gc(true) the used part is heapUsed - external", () => {
  const { sample, collection } = bunFigures(COLLECTED);
  assert.deepEqual(sample, {
    runtime: "bun",
    heapAsOf: "lastGC",
    rss: COLLECTED.rss,
    heapUsed: 18_599_792,
    external: COLLECTED.external,
    arrayBuffers: COLLECTED.arrayBuffers,
  });
  assert.deepEqual(collection, {
    heapSize: COLLECTED.heapUsed,
    external: COLLECTED.external,
  });
  // No heap total: free and other are not derived either.
  const b = breakdown(sample!);
  assert.equal(b.heapFree, undefined);
  assert.equal(b.other, undefined);
  assert.deepEqual(b.inconsistencies, []);
  assert.equal(
    formatBreakdown(b),
    "rss=128.1MiB (heapUsed=17.7MiB ; external=65.1MiB (arrayBuffers:64.0MiB))",
  );
});

test("bunFigures: ArrayBuffers outgrew the cells since the collection: no used part", () => {
  const { sample } = bunFigures(ALLOCATED);
  assert.ok(sample && !("heapUsed" in sample), JSON.stringify(sample));
  assert.equal(sample?.external, ALLOCATED.external);
  assert.equal(sample?.arrayBuffers, ALLOCATED.arrayBuffers);
});

test("bunFigures: an arrayBuffers of 0 is left out, typed arrays or not", () => {
  const { sample } = bunFigures(TYPED_COLLECTED);
  assert.ok(sample && !("arrayBuffers" in sample));
  assert.equal(sample.heapUsed, 18_599_824);
  assert.equal(sample.external, TYPED_COLLECTED.external);
  assert.ok(!formatBreakdown(breakdown(sample)).includes("arrayBuffers"));
});

test("bunFigures: a large object counts in the used part, heapTotal is not reported", () => {
  const { sample } = bunFigures(BIG_ARRAY);
  assert.equal(sample?.heapUsed, 80_125_792);
  assert.ok(sample && !("heapTotal" in sample));
  assert.equal(
    formatBreakdown(breakdown(sample)),
    "rss=99.9MiB (heapUsed=76.4MiB ; external=14.3KiB)",
  );
});

test("bunFigures: between collections the used part stays the collection's", () => {
  const first = bunFigures(BIG_ARRAY);
  const more = bunFigures(BIG_ARRAY_MORE, first.collection);
  // heapUsed - external now would be 71.7 MiB: 8 MiB of ArrayBuffers
  // taken for cells that were not freed.
  assert.equal(more.sample?.heapUsed, 80_125_792);
  assert.equal(more.collection, first.collection, "the same collection");
  assert.equal(more.sample?.external, BIG_ARRAY_MORE.external);
  // The next collection measures again: the cells have not changed.
  const next = bunFigures(BIG_ARRAY_MORE_COLLECTED, more.collection);
  assert.equal(next.sample?.heapUsed, 80_125_824);
  assert.deepEqual(next.collection, {
    heapSize: BIG_ARRAY_MORE_COLLECTED.heapUsed,
    external: BIG_ARRAY_MORE_COLLECTED.external,
  });
});

test("bunFigures: unknown figures stay unknown, nothing known is undefined", () => {
  assert.deepEqual(bunFigures({}), {
    sample: undefined,
    collection: undefined,
  });
  // Without external the extra memory in heapUsed is unknown.
  const { heapTotal, heapUsed } = COLLECTED;
  assert.equal(bunFigures({ heapTotal, heapUsed }).sample, undefined);
  // Without heapTotal there is no telling a collection happened.
  const { sample } = bunFigures({ ...COLLECTED, heapTotal: undefined });
  assert.ok(sample && !("heapUsed" in sample));
  const zeros = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0 };
  assert.equal(bunFigures(zeros).sample, undefined);
  // A collection remembered, then external is gone: the rest prints.
  const last: BunCollection = { heapSize: 5e6, external: 1e6 };
  const r = bunFigures({ rss: 9e6, heapTotal: 1e6, heapUsed: 5e6 }, last);
  assert.deepEqual(r.sample, { runtime: "bun", heapAsOf: "lastGC", rss: 9e6 });
  assert.equal(r.collection, last);
});

test("BunNormalizer: remembers the collection across readings", () => {
  const bun = new BunNormalizer();
  assert.equal(bun.normalize(FRESH)?.heapUsed, undefined);
  assert.equal(bun.normalize(BIG_ARRAY)?.heapUsed, 80_125_792);
  assert.equal(bun.normalize(BIG_ARRAY_MORE)?.heapUsed, 80_125_792);
  assert.equal(bun.normalize(BIG_ARRAY_MORE_COLLECTED)?.heapUsed, 80_125_824);
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
