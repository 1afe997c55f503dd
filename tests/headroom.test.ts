// Headroom: the peak rss and the heap limit. The JSON carries them where the
// runtime knows them; `new LiveMemUse({ headroom: true })` also prints them
// (`rss=… (…) ; peak=… ; limit=…`). Checked on the real runtime (Deno and
// Node know both, Bun the peak only) and with fixed samples.
import { fakeNodeScope } from "./support/fake_node.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import { breakdown, formatBreakdown } from "../lib/breakdown.ts";
import { LiveMemUse } from "../lib/live_mem_use.ts";
import { detectRuntime } from "../lib/runtime.ts";
import { type MemorySample, samplerFor } from "../lib/samplers.ts";
import { MiB, runtime } from "./_memory.ts";
import { BUN_LINE } from "./support/mem_line.ts";
import { NODE_SAMPLE, NODE_TEXT as WHOLE } from "./support/node_sample.ts";

const FIGURE = String.raw`[\d,]+\.\d(?:B|KiB|MiB|GiB|TiB)`;

test("headroom: the real runtime's text ends with its peak and, on Deno and Node, its limit", () => {
  const text = String(new LiveMemUse({ headroom: true }));
  // Bun's line is its own (support/mem_line.ts), and it has no limit.
  const whole = runtime === "bun"
    ? new RegExp(`^${BUN_LINE} ; peak=(${FIGURE})$`)
    : new RegExp(
      `^rss=${FIGURE} \\(heap=.*\\) ; peak=(${FIGURE}) ; limit=(${FIGURE})$`,
    );
  assert.match(text, whole);
  // Without headroom: neither.
  const plain = String(new LiveMemUse());
  assert.ok(!/peak=|limit=/.test(plain), plain);
});

test("headroom: the real runtime's JSON has peakRss >= rss, and heapLimit on Deno and Node", () => {
  const json = new LiveMemUse().toJSON();
  assert.equal(json.runtime, runtime);
  assert.ok(Number.isSafeInteger(json.peakRss), `peakRss ${json.peakRss}`);
  assert.ok(json.peakRss! >= json.rss!);
  if (runtime === "bun") {
    // Bun's heap statistics walk the heap: never read on the sampling path.
    assert.equal(json.heapLimit, undefined);
  } else {
    assert.ok(json.heapLimit! >= 64 * MiB, `heapLimit ${json.heapLimit}`);
  }
});

test("headroom: text forms for each combination of known figures", () => {
  const text = (s: MemorySample): string =>
    String(
      new LiveMemUse({
        headroom: true,
        sampler: { runtime: s.runtime, sample: () => s },
      }),
    );
  assert.equal(text(NODE_SAMPLE), `${WHOLE} ; peak=96.0MiB ; limit=4.0GiB`);
  // Bun: the peak only.
  const { heapLimit: _, ...bun } = NODE_SAMPLE;
  assert.equal(text({ ...bun, runtime: "bun" }), `${WHOLE} ; peak=96.0MiB`);
  // A runtime without peak: the limit only.
  const { peakRss: __, ...noPeak } = NODE_SAMPLE;
  assert.equal(text(noPeak), `${WHOLE} ; limit=4.0GiB`);
  // Chromium: no rss, no peak; the limit is part of the plain form already.
  const browser: MemorySample = {
    runtime: "browser",
    heapTotal: 16 * MiB,
    heapUsed: 10 * MiB,
    heapLimit: 4 * 1024 * MiB,
  };
  const browserText =
    "heap=16.0MiB (used:10.0MiB + free:6.0MiB) ; limit=4.0GiB";
  assert.equal(text(browser), browserText);
  assert.equal(formatBreakdown(breakdown(browser)), browserText);
  // Nothing known stays `unavailable`.
  assert.equal(text({ runtime: "workerd" }), "unavailable");
  // formatBreakdown without headroom: as before.
  assert.equal(formatBreakdown(breakdown(NODE_SAMPLE)), WHOLE);
});

test("headroom: the built-in sampler reads the peak at each sample, and a cached read reads nothing", () => {
  const { scope, reads } = fakeNodeScope();
  let t = 0;
  const mem = new LiveMemUse({
    sampler: samplerFor(detectRuntime(scope)),
    now: () => t,
    interval: 1000,
    headroom: true,
  });
  const expected =
    "rss=2.0MiB (heap=1.0MiB (used:512.0KiB + free:512.0KiB) ; external=256.0KiB (arrayBuffers:0.0B) ; other=768.0KiB) ; peak=3.0MiB";
  assert.equal(`${mem}`, expected);
  assert.equal(reads.peak, 1);
  t = 1000;
  assert.equal(`${mem}`, expected);
  assert.equal(mem.toJSON().peakRss, 3 * MiB);
  assert.deepEqual([reads.usage, reads.peak], [1, 1], "cached: no read");
  t = 1001;
  assert.equal(`${mem}`, expected);
  assert.deepEqual([reads.usage, reads.peak], [2, 2], "a new sample");
});

test("headroom: the option must be a boolean", () => {
  for (const bad of [1, "yes", null, {}]) {
    assert.throws(
      () => new LiveMemUse({ headroom: bad as boolean }),
      (e: unknown) =>
        e instanceof TypeError &&
        /^LiveMemUse: option "headroom" must be a boolean, got /.test(
          e.message,
        ),
    );
  }
  assert.doesNotThrow(() => new LiveMemUse({ headroom: false }));
  assert.doesNotThrow(() => new LiveMemUse({ headroom: undefined }));
});
