// Pressure: the level stepper (pressureLevels) and LiveMemWatch's
// onPressure, once per crossing, with hysteresis; injected sampler and
// clock, so every figure is exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { LiveMemWatch, type LiveMemWatchJSON } from "../lib/live_mem_watch.ts";
import { type PressureLevel, pressureLevels } from "../lib/pressure.ts";
import { containerLimit } from "../lib/runtime.ts";
import type { MemorySample } from "../lib/samplers.ts";
import { MiB } from "./_memory.ts";

// The tests give limits of at most 1000 MiB; a host whose own container
// limit is below that would be the nearer limit.
const HOST = containerLimit();
const skip = HOST !== undefined && HOST < 1000 * MiB
  ? `the host's container limit ${HOST} is below the tests' limits`
  : false;

type Call = [PressureLevel, Readonly<LiveMemWatchJSON>];

// A LiveMemWatch over `state` (the sample's figures, changed by the test),
// on a clock that each read() moves past the interval: one read, one sample.
function watched(
  state: Partial<MemorySample> & { memoryLimit?: number },
  opts: ConstructorParameters<typeof LiveMemWatch>[0] = {},
) {
  let t = 0;
  const calls: Call[] = [];
  const mem = new LiveMemWatch({
    interval: 1000,
    now: () => t,
    sampler: { runtime: "node", sample: () => ({ runtime: "node", ...state }) },
    onPressure: (level, json) => void calls.push([level, json]),
    ...opts,
  });
  const next = () => {
    t += 1001;
  };
  return { mem, calls, next };
}

test("pressureLevels: defaults 0.8 / 0.95 / 0.05, each crossing once", () => {
  const step = pressureLevels(undefined, (k) => k);
  const got = [
    0,
    0.5,
    0.79,
    0.8,
    0.85,
    0.76,
    0.949,
    0.95,
    1.2,
    0.91,
    0.9,
    0.899,
    0.8,
    0.75,
    0.749,
    0.5,
  ]
    .map(step);
  assert.deepEqual(got, [
    undefined,
    undefined,
    undefined,
    "warn",
    undefined,
    undefined,
    undefined,
    "critical",
    undefined,
    undefined,
    undefined,
    "warn",
    undefined,
    undefined,
    "ok",
    undefined,
  ]);
});

test("pressureLevels: a jump skips a level, unknown leaves the level as it is", () => {
  const step = pressureLevels({}, (k) => k);
  assert.deepEqual([0.99, undefined, 0.1, undefined, 0.97].map(step), [
    "critical",
    undefined,
    "ok",
    undefined,
    "critical",
  ]);
});

test("pressureLevels: custom thresholds and margin", () => {
  const step = pressureLevels(
    { warn: 0.5, critical: 0.6, margin: 0.1 },
    (k) => k,
  );
  assert.deepEqual([0.49, 0.5, 0.41, 0.6, 0.51, 0.499, 0.39].map(step), [
    undefined,
    "warn",
    undefined,
    "critical",
    undefined,
    "warn",
    "ok",
  ]);
  // No margin: the level is left as soon as the figure is below it.
  const sharp = pressureLevels({ margin: 0 }, (k) => k);
  assert.deepEqual([0.8, 0.7999, 0.8].map(sharp), ["warn", "ok", "warn"]);
});

test(
  "onPressure: a figure oscillating around each threshold calls once per crossing",
  {
    skip,
  },
  () => {
    const limit = 1000 * MiB; // 1 MiB of rss is 0.1% of it
    const state = { rss: 0 };
    const { mem, calls, next } = watched(state, { limit });
    // Each phase through another way of reading the field.
    const reads: ((m: LiveMemWatch) => unknown)[] = [
      (m) => String(m),
      (m) => m.toJSON(),
      (m) => `${m}`,
      (m) => JSON.stringify(m),
      (m) => m.toJSONString(),
    ];
    const phases = [[799, 801], [949, 951], [901, 899], [751, 749], [749, 751]];
    const seen: number[] = [];
    phases.forEach(([a, b], p) => {
      for (let i = 0; i < 50; i++) {
        state.rss = (i % 2 === 0 ? a : b) * MiB;
        next();
        reads[p](mem);
        seen.push(calls.length);
      }
    });
    assert.deepEqual(calls.map(([level, json]) => [level, json.rss! / MiB]), [
      ["warn", 801], // 80.1% >= warn
      ["critical", 951], // 95.1% >= critical
      ["warn", 899], // 89.9% < critical - margin
      ["ok", 749], // 74.9% < warn - margin
    ]);
    // Each once, at the first sample past the threshold.
    assert.deepEqual([
      seen[0],
      seen[1],
      seen[50],
      seen[51],
      seen[100],
      seen[101],
      seen[150],
      seen[151],
    ], [
      0,
      1,
      1,
      2,
      2,
      3,
      3,
      4,
    ]);
    // The JSON of the crossing sample: its limit and headroom.
    for (const [, json] of calls) {
      assert.equal(json.memoryLimit, limit);
      assert.equal(json.headroom, limit - json.rss!);
      assert.ok(Object.isFrozen(json));
    }
  },
);

test("onPressure: custom thresholds", { skip }, () => {
  const state = { rss: 0 };
  const { mem, calls, next } = watched(state, {
    limit: 100 * MiB,
    pressure: { warn: 0.5, critical: 0.7, margin: 0.1 },
  });
  for (const rss of [40, 50, 45, 41, 70, 61, 59, 49, 39, 45]) {
    state.rss = rss * MiB;
    next();
    String(mem);
  }
  assert.deepEqual(calls.map(([level, json]) => [level, json.rss! / MiB]), [
    ["warn", 50],
    ["critical", 70],
    ["warn", 59],
    ["ok", 39],
  ]);
});

test(
  "onPressure: the heap limit is the nearest limit when the heap is fuller",
  { skip },
  () => {
    const state = {
      rss: 300 * MiB,
      heapTotal: 90 * MiB,
      heapUsed: 50 * MiB,
      heapLimit: 100 * MiB,
    };
    const { mem, calls, next } = watched(state, { limit: 1000 * MiB });
    next();
    mem.toJSON();
    assert.equal(calls.length, 0);
    state.heapUsed = 85 * MiB; // 85% of the heap limit, 30% of the memory limit
    next();
    mem.toJSON();
    assert.equal(calls.length, 1);
    const [level, json] = calls[0];
    assert.equal(level, "warn");
    assert.equal(json.memoryLimit, 1000 * MiB);
    assert.equal(json.headroom, 15 * MiB); // min(100 - 85, 1000 - 300)
    // Without any memory limit, the heap limit alone.
    const heapOnly = watched({
      heapTotal: 99 * MiB,
      heapUsed: 96 * MiB,
      heapLimit: 100 * MiB,
    });
    heapOnly.next();
    String(heapOnly.mem);
    assert.deepEqual(
      heapOnly.calls.map(([l, j]) => [l, j.headroom, "memoryLimit" in j]),
      [
        ["critical", 4 * MiB, false],
      ],
    );
  },
);

test("onPressure: the sample's own memoryLimit counts as the container's", {
  skip,
}, () => {
  const state = { rss: 90 * MiB, memoryLimit: 100 * MiB };
  const { mem, calls, next } = watched(state);
  next();
  String(mem);
  assert.deepEqual(calls.map(([l, j]) => [l, j.memoryLimit, j.headroom]), [
    ["warn", 100 * MiB, 10 * MiB],
  ]);
  // Samples with no limit known leave the level as it is.
  delete (state as { memoryLimit?: number }).memoryLimit;
  for (let i = 0; i < 5; i++) {
    state.rss = (i % 2 ? 10 : 99) * MiB;
    next();
    String(mem);
  }
  assert.equal(calls.length, 1);
  state.memoryLimit = 100 * MiB;
  state.rss = 10 * MiB;
  next();
  String(mem);
  assert.deepEqual(calls.map(([l]) => l), ["warn", "ok"]);
});

test("onPressure: never called when no limit is known", () => {
  const state = { rss: 0, heapTotal: 0, heapUsed: 0 };
  const { mem, calls, next } = watched(state);
  for (let i = 0; i < 40; i++) {
    state.rss = state.heapTotal = state.heapUsed = (i % 2 ? 1 : 4000) * MiB;
    next();
    String(mem);
    mem.toJSON();
  }
  assert.equal(calls.length, 0);
  assert.equal(mem.toJSON().memoryLimit, undefined);
  assert.equal(mem.toJSON().headroom, undefined);
});

test(
  "onPressure: a throwing callback never reaches the program",
  { skip },
  () => {
    const state = { rss: 0 };
    let thrown = 0;
    const { mem, next } = watched(state, {
      limit: 100 * MiB,
      headroom: true,
      onPressure: () => {
        thrown++;
        throw new Error("callback failed");
      },
    });
    // Every read is a crossing: ok -> critical -> ok -> ...
    let n = 0;
    const cross = () => {
      state.rss = (n++ % 2 === 0 ? 99 : 10) * MiB;
      next();
    };
    cross();
    assert.match(
      mem.toString(),
      /^rss=99\.0MiB ; memoryLimit=100\.0MiB ; headroom=1\.0MiB$/,
    );
    cross();
    assert.equal(mem.toJSON().rss, 10 * MiB);
    cross();
    assert.equal(
      String(mem),
      "rss=99.0MiB ; memoryLimit=100.0MiB ; headroom=1.0MiB",
    );
    cross();
    assert.equal(
      inspect(mem),
      "rss=10.0MiB ; memoryLimit=100.0MiB ; headroom=90.0MiB",
    );
    cross();
    assert.equal(JSON.parse(JSON.stringify({ mem })).mem.headroom, 1 * MiB);
    cross();
    // console.log reaches the field through its inspect hook.
    assert.doesNotThrow(() =>
      console.log("onPressure throws; the field prints:", mem)
    );
    assert.equal(thrown, 6);
  },
);

test(
  "onPressure: a rejecting callback leaves no unhandled rejection",
  { skip },
  async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    const proc = (globalThis as unknown as {
      process: {
        on(e: string, f: (r: unknown) => void): void;
        off(e: string, f: (r: unknown) => void): void;
      };
    }).process;
    proc.on("unhandledRejection", onUnhandled);
    try {
      const state = { rss: 0 };
      const handlers: unknown[] = [];
      let kind = 0;
      const { mem, calls, next } = watched(state, { limit: 100 * MiB });
      const failing = watched(state, {
        limit: 100 * MiB,
        onPressure: () => {
          kind++;
          if (kind === 1) return Promise.reject(new Error("rejected"));
          if (kind === 2) {
            return (async () => {
              await null;
              throw new Error("async failure");
            })();
          }
          // A thenable: it must be given a rejection handler.
          return {
            then(_ok: unknown, fail: unknown) {
              handlers.push(fail);
            },
          };
        },
      });
      for (const rss of [99, 10, 99]) {
        state.rss = rss * MiB;
        next();
        failing.next();
        String(mem);
        assert.equal(String(failing.mem), `rss=${rss}.0MiB`);
      }
      assert.equal(kind, 3);
      assert.equal(calls.length, 3);
      assert.equal(typeof handlers[0], "function");
      // Let any unhandled rejection surface (Node's and Deno's test runners
      // also fail the test on one; Bun's reports it to the listener).
      for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(unhandled, []);
    } finally {
      proc.off("unhandledRejection", onUnhandled);
    }
  },
);

test(
  "onPressure: a read inside the callback sees the whole sample",
  { skip },
  () => {
    const state = {
      rss: 50 * MiB,
      heapTotal: 8 * MiB,
      heapUsed: 4 * MiB,
      external: 2 * MiB,
    };
    const inside: { text: string; json: unknown; given: unknown }[] = [];
    // The field, for the callback to read.
    const ref: { mem?: LiveMemWatch } = {};
    const { mem, next } = watched(state, {
      limit: 100 * MiB,
      headroom: true,
      onPressure: (_level, json) => {
        inside.push({
          text: String(ref.mem),
          json: ref.mem!.toJSON(),
          given: json,
        });
      },
    });
    ref.mem = mem;
    next();
    String(mem);
    state.rss = 82 * MiB;
    next();
    const outside = String(mem);
    assert.equal(inside.length, 1);
    assert.equal(inside[0].text, outside);
    assert.equal(
      outside,
      "rss=82.0MiB (heap=8.0MiB (used:4.0MiB + free:4.0MiB) ; external=2.0MiB ; other=72.0MiB) ; memoryLimit=100.0MiB ; headroom=18.0MiB",
    );
    assert.deepEqual(inside[0].json, {
      runtime: "node",
      rss: 82 * MiB,
      heapTotal: 8 * MiB,
      heapUsed: 4 * MiB,
      heapFree: 4 * MiB,
      external: 2 * MiB,
      other: 72 * MiB,
      memoryLimit: 100 * MiB,
      headroom: 18 * MiB,
    });
    // The callback's JSON is that sample's too.
    assert.deepEqual(inside[0].given, inside[0].json);
  },
);

test(
  "onPressure: the JSON is the crossing sample's even when every read samples (interval 0)",
  {
    skip,
  },
  () => {
    // A sampler whose figure changes at every call, as a real one does.
    const rss = [50, 85, 70, 60, 50, 50, 50, 50];
    let i = 0;
    const calls: [string, number][] = [];
    const mem = new LiveMemWatch({
      interval: 0,
      limit: 100 * MiB,
      sampler: {
        runtime: "node",
        sample: () => ({
          runtime: "node",
          rss: rss[Math.min(i++, rss.length - 1)] * MiB,
        }),
      },
      onPressure: (level, json) => void calls.push([level, json.rss! / MiB]),
    });
    assert.equal(String(mem), "rss=50.0MiB");
    assert.equal(String(mem), "rss=85.0MiB");
    assert.equal(String(mem), "rss=70.0MiB");
    assert.deepEqual(calls, [["warn", 85], ["ok", 70]]);
  },
);

test(
  "onPressure: every read takes a full sample, so the crossing JSON has the peak",
  {
    skip,
  },
  () => {
    // The default samplers have a cheaper sampleUse() for text-only reads
    // (no peak rss); with onPressure it is not used.
    let t = 0;
    let cheap = 0;
    const calls: [string, number, number | undefined][] = [];
    const mem = new LiveMemWatch({
      interval: 1000,
      now: () => t,
      limit: 100 * MiB,
      sampler: {
        runtime: "node",
        sample: () => ({ runtime: "node", rss: 85 * MiB, peakRss: 90 * MiB }),
        sampleUse: () => (cheap++, { runtime: "node", rss: 85 * MiB }),
      },
      onPressure: (level, json) =>
        void calls.push([level, json.rss! / MiB, json.peakRss]),
    });
    t = 2000;
    assert.equal(String(mem), "rss=85.0MiB");
    assert.deepEqual(calls, [["warn", 85, 90 * MiB]]);
    assert.equal(cheap, 0);
  },
);
