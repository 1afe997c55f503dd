// Samplers: the real runtime's figures (Deno, Bun and Node run this file
// unchanged), then normalization against fake global scopes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { breakdown } from "../lib/breakdown.ts";
import { detectRuntime } from "../lib/runtime.ts";
import {
  detectSampler,
  type MemorySample,
  samplerFor,
  unavailableSampler,
} from "../lib/samplers.ts";
import {
  allocBuffers,
  allocObjects,
  measure,
  MiB,
  runtime,
  settle,
} from "./_memory.ts";

function read(): MemorySample {
  settle();
  const s = detectSampler().sample();
  assert.ok(s, "the real runtime has a sample");
  return s;
}

function delta(
  a: MemorySample,
  b: MemorySample,
  k: keyof MemorySample,
): number {
  // Bun leaves out an arrayBuffers it has not counted yet: 0 so far.
  const none = runtime === "bun" && k === "arrayBuffers" ? 0 : undefined;
  const x = a[k] ?? none, y = b[k] ?? none;
  assert.equal(typeof x, "number", `${k} before`);
  assert.equal(typeof y, "number", `${k} after`);
  return ((y as number) - (x as number)) / MiB;
}

test("detectSampler: picks the runtime's own API and reports its fields", () => {
  const sampler = detectSampler();
  assert.equal(sampler.runtime, runtime);
  const s = read();
  assert.equal(s.runtime, runtime);
  if (runtime === "bun") {
    // No heap total; the used part (after read()'s collection) and
    // external; arrayBuffers only when not 0 (see lib/bun_figures.ts).
    assert.ok(s.rss! > 0 && s.heapUsed! > 0 && s.external! > 0);
    assert.ok(!("heapTotal" in s) && s.heapAsOf === "lastGC");
    assert.ok(!("arrayBuffers" in s) || s.arrayBuffers! > 0);
  } else {
    assert.ok(s.rss! > 0 && s.heapTotal! > 0 && s.heapUsed! > 0);
    assert.ok(s.external! >= 0 && !("heapAsOf" in s));
  }
  if (runtime === "deno") {
    assert.ok(!("arrayBuffers" in s), "Deno's arrayBuffers is unknown");
  } else if (runtime === "node") assert.ok(s.arrayBuffers! >= 0);
  assert.ok(
    s.peakRss! >= s.rss!,
    "peakRss from resourceUsage, at least the rss",
  );
  if (runtime === "bun") {
    assert.ok(!("heapLimit" in s), "no heap-walking API on Bun");
  } else {
    assert.ok(s.heapLimit! >= 64 * MiB, "heap_size_limit from node:v8");
  }
});

// Tolerance: the allocation must show within ±8 MiB (12.5%) in its field;
// a runtime's own allocations and GC move the figures by less than that
// (up to 3 attempts: see measure()).
const TOL = 8;

test("real: 64 MiB of ArrayBuffers show in external and rss, not in heapTotal", () => {
  measure(3, () => {
    const before = read();
    allocBuffers(64);
    const after = read();
    const ext = delta(before, after, "external");
    const figures = `${JSON.stringify(before)} -> ${JSON.stringify(after)}`;
    assert.ok(
      Math.abs(ext - 64) <= TOL,
      `external grew ${ext} MiB: ${figures}`,
    );
    // Bun has no heap total: its used part must leave them out.
    const heap = runtime === "bun" ? "heapUsed" : "heapTotal";
    assert.ok(delta(before, after, heap) < TOL, `not in ${heap}: ${figures}`);
    // The buffers were written, so their pages are resident.
    assert.ok(delta(before, after, "rss") >= 64 - TOL, `rss grew: ${figures}`);
  });
});

test(
  "real: 64 MiB of ArrayBuffers show in arrayBuffers",
  { skip: runtime === "deno" ? "Deno reports no arrayBuffers" : false },
  () => {
    measure(3, () => {
      const before = read();
      allocBuffers(64);
      const after = read();
      const ab = delta(before, after, "arrayBuffers");
      assert.ok(Math.abs(ab - 64) <= TOL, `arrayBuffers grew ${ab} MiB`);
      assert.ok(after.arrayBuffers! <= after.external!, "a part of external");
    });
  },
);

test("real: several MiB of objects show in heapUsed, not in external", () => {
  measure(3, () => {
    const before = read();
    allocObjects(200_000); // about 30 MiB of heap
    const after = read();
    const used = delta(before, after, "heapUsed");
    assert.ok(used >= 16, `heapUsed grew ${used} MiB`);
    assert.ok(delta(before, after, "external") < 4, "not in external");
  });
});

// Fake scopes: each runtime's shape of the API, without touching the real one.
const usage = {
  rss: 100 * MiB,
  heapTotal: 20 * MiB,
  heapUsed: 15 * MiB,
  external: 30 * MiB,
  arrayBuffers: 0,
};

test("fake Deno: Deno.memoryUsage is preferred and its arrayBuffers dropped", () => {
  const scope = {
    Deno: { memoryUsage: () => usage },
    process: {
      memoryUsage: () => ({ ...usage, rss: 1 }),
      resourceUsage: () => ({ maxRSS: 200 * 1024 }),
      versions: { node: "26.3.0" },
      getBuiltinModule: (id: string) =>
        id === "node:v8"
          ? { getHeapStatistics: () => ({ heap_size_limit: 4096 * MiB }) }
          : undefined,
    },
  };
  assert.deepEqual(samplerFor(detectRuntime(scope)).sample(), {
    runtime: "deno",
    rss: 100 * MiB,
    heapTotal: 20 * MiB,
    heapUsed: 15 * MiB,
    external: 30 * MiB,
    peakRss: 200 * MiB,
    heapLimit: 4096 * MiB,
  });
});

test("fake Node: all five fields, peakRss in bytes, heap limit read once", () => {
  let limitReads = 0;
  const scope = {
    process: {
      memoryUsage: () => ({ ...usage, arrayBuffers: 5 * MiB }),
      resourceUsage: () => ({ maxRSS: 50 * 1024 }), // below rss: clamped
      versions: { node: "24.0.0" },
      getBuiltinModule: () => ({
        getHeapStatistics: () => ({
          heap_size_limit: (++limitReads, 2048 * MiB),
        }),
      }),
    },
  };
  const sampler = samplerFor(detectRuntime(scope));
  assert.equal(sampler.runtime, "node");
  const s = sampler.sample();
  sampler.sample();
  assert.equal(limitReads, 1, "heap_size_limit is configuration: read once");
  assert.equal(s?.arrayBuffers, 5 * MiB);
  assert.equal(s?.peakRss, 100 * MiB, "peak never below the current rss");
  assert.equal(s?.heapLimit, 2048 * MiB);
});

test("fake Node < 22.3: no getBuiltinModule, no heap limit, the rest works", () => {
  const scope = {
    process: { memoryUsage: () => usage, versions: { node: "20.0.0" } },
  };
  const s = samplerFor(detectRuntime(scope)).sample();
  assert.equal(s?.rss, 100 * MiB);
  assert.ok(s && !("heapLimit" in s) && !("peakRss" in s));
});

test("fake Bun: v8 heap statistics are never called", () => {
  const scope = {
    Bun: {},
    process: {
      // After a collection: heapUsed holds external (see bun_figures.ts).
      memoryUsage: () => ({ ...usage, heapUsed: 45 * MiB }),
      resourceUsage: () => ({ maxRSS: 200 * 1024 }),
      versions: { node: "24.3.0", bun: "1.4.5" },
      getBuiltinModule: () => {
        throw new Error(
          "must not be called on Bun: getHeapStatistics walks the heap",
        );
      },
    },
  };
  const s = samplerFor(detectRuntime(scope)).sample();
  assert.equal(s?.runtime, "bun");
  assert.ok(s && !("arrayBuffers" in s), "Bun's 0 means nothing counted yet");
  assert.ok(s && !("heapLimit" in s) && !("heapTotal" in s));
  assert.equal(s?.heapUsed, 15 * MiB, "heapUsed - external");
  assert.equal(s?.heapAsOf, "lastGC");
  assert.equal(s?.peakRss, 200 * MiB);
});

test("fake workerd: all zeros from nodejs_compat, or no process at all, is unavailable", () => {
  const zeros = {
    rss: 0,
    heapTotal: 0,
    heapUsed: 0,
    external: 0,
    arrayBuffers: 0,
  };
  const compat = {
    WebSocketPair: function () {},
    process: { memoryUsage: () => zeros, versions: { node: "22.0.0" } },
  };
  const s1 = samplerFor(detectRuntime(compat));
  assert.equal(s1.runtime, "workerd");
  assert.equal(s1.sample(), undefined);
  const bare = samplerFor(detectRuntime({ WebSocketPair: function () {} }));
  assert.equal(bare.runtime, "workerd");
  assert.equal(bare.sample(), undefined);
  const missing = {
    WebSocketPair: function () {},
    process: { versions: { node: "22.0.0" } },
  };
  assert.equal(samplerFor(detectRuntime(missing)).sample(), undefined);
});

test("fake Chromium: performance.memory gives the heap and its limit", () => {
  const scope = {
    document: {},
    performance: {
      get memory() {
        return {
          usedJSHeapSize: 10 * MiB,
          totalJSHeapSize: 16 * MiB,
          jsHeapSizeLimit: 4096 * MiB,
        };
      },
    },
  };
  const sampler = samplerFor(detectRuntime(scope));
  assert.equal(sampler.runtime, "browser");
  assert.deepEqual(sampler.sample(), {
    runtime: "browser",
    heapTotal: 16 * MiB,
    heapUsed: 10 * MiB,
    heapLimit: 4096 * MiB,
  });
  const worker = samplerFor(
    detectRuntime({ WorkerGlobalScope: function () {}, performance: {} }),
  );
  assert.equal(worker.runtime, "browser");
  assert.equal(worker.sample(), undefined, "no performance.memory in workers");
});

test("a runtime's NaN, negative, infinite and non-number figures are handed on, and breakdown() leaves them out", () => {
  const scope = {
    process: {
      memoryUsage: () => ({
        rss: NaN,
        heapTotal: -1,
        heapUsed: "12",
        external: Infinity,
        arrayBuffers: 7,
      }),
      resourceUsage: () => ({ maxRSS: -5 }),
      versions: { node: "24.0.0" },
    },
  };
  const s = samplerFor(detectRuntime(scope)).sample();
  assert.ok(s !== undefined);
  assert.ok(!("peakRss" in s), "a negative maxRSS is no peak");
  // breakdown() is the one place that judges figures.
  const { inconsistencies, ...parts } = breakdown(s);
  assert.deepEqual(parts, { arrayBuffers: 7 });
  assert.deepEqual(inconsistencies, [
    "rss is not a byte count: NaN",
    "heapTotal is not a byte count: -1",
    'heapUsed is not a byte count: "12"',
    "external is not a byte count: Infinity",
  ]);
});

test("samplers never throw: failing APIs give undefined or the fields they could read", () => {
  const throws = () => {
    throw new Error("boom");
  };
  const s1 = samplerFor(
    detectRuntime({
      process: { memoryUsage: throws, versions: { node: "24" } },
    }),
  );
  assert.equal(s1.sample(), undefined);
  const s2 = samplerFor(
    detectRuntime({
      process: { memoryUsage: () => 42, versions: { node: "24" } },
    }),
  );
  assert.equal(s2.sample(), undefined);
  const s3 = samplerFor(detectRuntime({
    process: {
      memoryUsage: () => usage,
      resourceUsage: throws,
      getBuiltinModule: throws,
      versions: { node: "24" },
    },
  }));
  assert.equal(
    s3.sample()?.rss,
    100 * MiB,
    "peak and limit failing keep the rest",
  );
  const partial = {
    rss: 3 * MiB,
    get heapTotal(): number {
      throw new Error("getter");
    },
  };
  const s4 = samplerFor(
    detectRuntime({
      process: { memoryUsage: () => partial, versions: { node: "24" } },
    }),
  );
  assert.deepEqual(s4.sample(), { runtime: "node", rss: 3 * MiB });
  const hostile = new Proxy({}, { get: throws, has: throws });
  assert.equal(detectRuntime(hostile).name, "unknown");
  assert.equal(samplerFor(detectRuntime(hostile)).sample(), undefined);
});

test("unavailableSampler: knows nothing, names its runtime", () => {
  assert.equal(unavailableSampler().runtime, "unknown");
  assert.equal(unavailableSampler("workerd").sample(), undefined);
});
