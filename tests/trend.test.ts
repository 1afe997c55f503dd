// The trend of the heap after collection and the leak flag: the tracker on
// series of readings (made up, and recorded from the real runtimes by
// scripts/record_trend_readings.mjs), heapTrend() and LiveMemWatch on the
// real runtime, and that without the option nothing watches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchGc } from "../lib/heap_gc.ts";
import { HeapTrend, heapTrend } from "../lib/heap_trend.ts";
import { LiveMemWatch } from "../lib/live_mem_watch.ts";
import { detectGc } from "../lib/runtime.ts";
import { type TrendOptions, TrendTracker } from "../lib/trend.ts";
import { MiB, runtime } from "./_memory.ts";
import { recorded } from "./support/trend_readings.ts";

const KiB = 1024;

type Reading = [ms: number, bytes: number, full: boolean];

/** Feeds readings to a tracker; returns it and the leak flag after each. */
function feed(
  readings: readonly Reading[],
  options: TrendOptions = {},
): { tracker: TrendTracker; flags: boolean[] } {
  const tracker = new TrendTracker(options);
  const flags = readings.map(([t, heap, full]) => {
    tracker.record(t, heap, full);
    return tracker.snapshot().leak;
  });
  return { tracker, flags };
}

/**
 * A steady program: minor collections every `every` ms whose readings climb
 * by `climb` (garbage promoted to the old generation), a full one every
 * `period` ms that takes the heap back to `floor` (plus a little noise).
 */
function sawtooth(
  ms: number,
  { floor = 20 * MiB, climb = 3 * MiB, every = 400, period = 4000 } = {},
): Reading[] {
  const out: Reading[] = [];
  for (let t = every; t <= ms; t += every) {
    const phase = t % period;
    const full = phase < every;
    const noise = ((t * 7919) % 97) * KiB;
    out.push([t, full ? floor + noise : floor + climb * phase / every, full]);
  }
  return out;
}

test("trend: bad options fail early, naming the option and the value", () => {
  const cases: [unknown, ErrorConstructor, string][] = [
    ["yes", TypeError, 'heapTrend: options must be an object, got "yes"'],
    [null, TypeError, "heapTrend: options must be an object, got null"],
    [
      { interval: -1 },
      RangeError,
      'heapTrend: option "interval" must be a finite number >= 0, got -1',
    ],
    [
      { interval: "1s" },
      TypeError,
      'heapTrend: option "interval" must be a finite number >= 0, got "1s"',
    ],
    [
      { window: 2 },
      RangeError,
      'heapTrend: option "window" must be a whole number from 3 to 100000, got 2',
    ],
    [
      { window: 1.5 },
      RangeError,
      'heapTrend: option "window" must be a whole number from 3 to 100000, got 1.5',
    ],
    [
      { collections: 1 },
      RangeError,
      'heapTrend: option "collections" must be a whole number from 2 to 100000, got 1',
    ],
    [
      { span: Infinity },
      RangeError,
      'heapTrend: option "span" must be a finite number >= 0, got Infinity',
    ],
    [
      { threshold: NaN },
      RangeError,
      'heapTrend: option "threshold" must be a finite number >= 0, got NaN',
    ],
  ];
  for (const [value, type, message] of cases) {
    const check = (e: unknown) => {
      assert.ok(e instanceof type, String(e));
      assert.equal((e as Error).message, message);
      return true;
    };
    assert.throws(() => new TrendTracker(value as TrendOptions), check);
    // The same from heapTrend(), before anything starts watching.
    assert.throws(() => heapTrend(value as TrendOptions), check);
  }
  // Edges and defaults are accepted.
  new TrendTracker({ interval: 0, window: 3, collections: 2, span: 0 });
  new TrendTracker({ window: 100_000, threshold: 0 });
  heapTrend(undefined).stop();
});

test("trend: a heap that keeps what it allocates is a leak, with its slope", () => {
  // 1 MiB kept every 50 ms, a collection every 250 ms, a full one every 2 s.
  const readings: Reading[] = [];
  for (let t = 250; t <= 8000; t += 250) {
    readings.push([t, 8 * MiB + t / 50 * MiB, t % 2000 === 0]);
  }
  const { tracker, flags } = feed(readings);
  const s = tracker.snapshot();
  assert.equal(s.liveHeap, 168 * MiB);
  // Points are the lowest reading of each second: the slope is exact.
  assert.ok(Math.abs(s.trend! - 1200 * MiB) < 1e-6 * MiB, String(s.trend));
  assert.equal(s.leak, true);
  // Not before the span: 5 s after the first reading.
  assert.equal(flags.indexOf(true), readings.findIndex(([t]) => t === 5250));
  // With N = 40 collections (more than the 32 seen) there is no leak yet.
  assert.equal(
    feed(readings, { collections: 40 }).tracker.snapshot().leak,
    false,
  );
});

test("trend: a steady sawtooth is never a leak, at any reading, however long", () => {
  for (
    const shape of [
      {},
      { climb: 8 * MiB, period: 2000 },
      { climb: 512 * KiB, every: 100, period: 10_000 },
      { floor: 2 * 1024 * MiB, climb: 50 * MiB, period: 6000 },
    ]
  ) {
    const { flags, tracker } = feed(sawtooth(120_000, shape));
    assert.ok(!flags.includes(true), JSON.stringify(shape));
    // Over a window of many periods the slope is small next to the climb.
    const climbPerMin = (shape.climb ?? 3 * MiB) / (shape.every ?? 400) * 6e4;
    const trend = tracker.snapshot().trend!;
    assert.ok(Math.abs(trend) < climbPerMin / 4, `${trend} for ${shape}`);
  }
});

test("trend: minor collections climbing without a full one are no leak", () => {
  // Node's post-minor heap climbs between full collections: 8 s of it.
  const readings: Reading[] = [[250, 13 * MiB, true]];
  for (let t = 500; t <= 8000; t += 500) {
    readings.push([t, 13 * MiB + t / 100 * MiB, false]);
  }
  assert.ok(!feed(readings).flags.includes(true));
  // The same after a warm-up full collection that gave back most of what
  // the heap had grown.
  const warm: Reading[] = [
    [100, 11 * MiB, false],
    [200, 15 * MiB, false],
    [250, 12 * MiB, true],
    ...readings.slice(1),
  ];
  assert.ok(!feed(warm).flags.includes(true));
});

test("trend: one allocation at start, then a flat heap, is no leak", () => {
  // 64 MiB at once, then flat with full collections every 2 s, and Bun's
  // creep of about 70 KiB in 8 s.
  const readings: Reading[] = [[100, 4 * MiB, false]];
  for (let t = 500; t <= 20_000; t += 500) {
    readings.push([t, 68 * MiB + t / 8000 * 70 * KiB, t % 2000 === 0]);
  }
  assert.ok(!feed(readings).flags.includes(true));
  // A step with a long row before it: the full collection at 7 s shows the
  // step (the row has lasted 6 s), the one at 10 s a flat heap again.
  const step: Reading[] = [];
  for (let t = 1000; t <= 12_000; t += 500) {
    step.push([
      t,
      t < 6000 ? 10 * MiB : 40 * MiB,
      t === 5500 || t >= 7000 && t % 3000 === 1000,
    ]);
  }
  const f = feed(step).flags;
  const at = (ms: number) => f[step.findIndex(([t]) => t === ms)];
  assert.deepEqual(
    [at(6500), at(7000), at(9500), at(10_000), f.at(-1)],
    [false, true, true, false, false],
  );
});

test("trend: Bun's creep of the heap after collection is below the noise", () => {
  // About 70 KiB in 8 s, full collections all along, for a minute.
  const readings: Reading[] = [];
  for (let t = 0; t <= 60_000; t += 250) {
    readings.push([t, 10 * MiB + t / 8000 * 70 * KiB, t % 1000 === 0]);
  }
  const { flags, tracker } = feed(readings);
  assert.ok(!flags.includes(true));
  const trend = tracker.snapshot().trend!;
  assert.ok(Math.abs(trend - 525 * KiB) < KiB, String(trend)); // 70 KiB / 8 s
  // The same shape growing 2 MiB a second is a leak once the span has
  // passed, while 2 MiB between full collections is more than 1/16 of the
  // heap (see docs/trend.md for what that rule cannot see).
  const leak = readings.map(([t, , full]): Reading => [
    t,
    10 * MiB + t / 500 * MiB,
    full,
  ]);
  const flags2 = feed(leak.filter(([t]) => t <= 8000)).flags;
  assert.equal(flags2.indexOf(true), leak.findIndex(([t]) => t === 5000));
  assert.equal(flags2.at(-1), true);
});

test("trend: the readings recorded on each runtime get the right verdict", () => {
  assert.ok(recorded.length >= 9);
  for (const c of recorded) {
    const { tracker, flags } = feed(
      c.readings.map(([ms, kib, full]) => [ms, kib * KiB, full === 1]),
    );
    const label = `${c.runtime} ${c.mode}`;
    assert.equal(tracker.snapshot().leak, c.mode === "leak", label);
    if (c.mode !== "leak") assert.ok(!flags.includes(true), label);
  }
});

/** The least-squares slope of (t, v) per minute, the textbook way. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const st = points.reduce((a, [t]) => a + t, 0);
  const sv = points.reduce((a, [, v]) => a + v, 0);
  const stv = points.reduce((a, [t, v]) => a + t * v, 0);
  const stt = points.reduce((a, [t]) => a + t * t, 0);
  return (n * stv - st * sv) / (n * stt - st * st) * 60_000;
}

test("trend: a bounded window, merged points and ignored readings", () => {
  const tracker = new TrendTracker({ window: 3, interval: 40 });
  tracker.record(0, 20, false);
  tracker.record(30, 5, false); // merges: the point keeps 5 at 30
  tracker.record(100, 10, false);
  tracker.record(150, 16, false);
  const near = (a: number | undefined, b: number) =>
    assert.ok(Math.abs(a! - b) < 1e-9 * Math.abs(b), `${a} vs ${b}`);
  near(tracker.snapshot().trend, slope([[30, 5], [100, 10], [150, 16]]));
  tracker.record(200, 25, false); // the point at 30 leaves the window
  near(tracker.snapshot().trend, slope([[100, 10], [150, 16], [200, 25]]));
  for (const bad of [NaN, -1, Infinity]) tracker.record(400, bad, true);
  tracker.record(NaN, 1, true);
  assert.equal(tracker.snapshot().liveHeap, 25);
  // Too few points, or all at one time: no trend.
  const two = new TrendTracker();
  two.record(0, 1, false);
  two.record(5000, 2, false);
  assert.deepEqual(two.snapshot(), { leak: false, liveHeap: 2 });
  const still = new TrendTracker({ interval: 0 });
  for (let i = 0; i < 3; i++) still.record(7, 100 + i, false);
  assert.equal(still.snapshot().trend, undefined);
  assert.deepEqual(new TrendTracker().snapshot(), { leak: false });
});

test("trend: on Bun's kind of sample the live heap is the sample's heapUsed", () => {
  const trend = new HeapTrend({}, {}); // a scope with nothing to watch
  assert.equal(trend.source, undefined);
  assert.deepEqual(trend.snapshot(), { leak: false });
  const bun = { runtime: "bun", heapUsed: 5 * MiB, heapAsOf: "lastGC" };
  assert.deepEqual(trend.snapshot(bun as never), {
    leak: false,
    liveHeap: 5 * MiB,
  });
  // A live sample's heapUsed (Node, Deno) is not the heap after collection.
  assert.deepEqual(trend.snapshot({ runtime: "node", heapUsed: MiB }), {
    leak: false,
  });
});

// The runtime's own collections: allocate until two were seen.
async function collect(): Promise<void> {
  let seen = 0;
  const watch = watchGc(detectGc(), () => (seen++, true));
  assert.ok(watch !== undefined);
  const junk: number[][] = [];
  for (let i = 0; i < 400 && seen < 2; i++) {
    for (let j = 0; j < 20; j++) junk.push(new Array(8192).fill(i + 0.5));
    junk.length = 0;
    await new Promise((r) => setTimeout(r, 5));
  }
  watch.stop();
  assert.ok(seen >= 2, `collections seen: ${seen}`);
}

test("trend: on the real runtime the field shows the live heap after collections", async () => {
  const trend = heapTrend();
  assert.equal(trend.source, runtime === "node" ? "observer" : "sentinel");
  const mem = new LiveMemWatch({ trend, interval: 0 });
  await collect();
  const json = mem.toJSON();
  assert.equal(json.leak, false);
  assert.ok(json.liveHeap! > 0 && json.liveHeap! < 4096 * MiB, String(json));
  assert.match(
    String(mem),
    /\) ; live=[\d,.]+[KMG]iB( trend=[+-][\d,.]+(B|[KMG]iB)\/min)?$/,
  );
  // Bun's heapUsed is already the heap after the last collection.
  if (runtime === "bun") assert.equal(json.liveHeap, json.heapUsed);
  trend.stop();
});

test("trend: off, nothing watches and the figures are absent", () => {
  const g = globalThis as unknown as Record<string, unknown>;
  const made: string[] = [];
  const saved = {
    PerformanceObserver: g.PerformanceObserver,
    FinalizationRegistry: g.FinalizationRegistry,
  };
  for (const [name, Original] of Object.entries(saved)) {
    if (typeof Original !== "function") continue;
    g[name] = new Proxy(Original, {
      construct(target, args, newTarget) {
        made.push(name);
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  try {
    const off = new LiveMemWatch({ interval: 0 });
    const json = off.toJSON();
    assert.deepEqual(made, []);
    for (const k of ["liveHeap", "trend", "leak"]) assert.ok(!(k in json), k);
    assert.ok(!/live=|trend=/.test(String(off)));
    // On: one observer (Node) or one registry (elsewhere).
    const trend = heapTrend();
    assert.deepEqual(
      made,
      [runtime === "node" ? "PerformanceObserver" : "FinalizationRegistry"],
    );
    trend.stop();
  } finally {
    Object.assign(g, saved);
  }
});
