/**
 * What the `trend` option costs: cached reads (`toString()`, `toJSON()`) of
 * a `LiveMemWatch` with the trend off and on, against the same cached read
 * of a plain `LiveMemUse`, interleaved in one process; and an allocation
 * workload (so collections happen) with and without a trend watching.
 *
 *     deno run -A bench/trend.ts [--rounds N]
 *     bun bench/trend.ts
 *     node bench/trend.ts
 *
 * Prints ns per read of each case and the medians of the per-round ratios.
 *
 * @module
 */

import { LiveMemUse } from "../mod.ts";
import { heapTrend, LiveMemWatch } from "../watch.ts";
import { type Case, median, pairedRatio, runCases, sink } from "./harness.ts";
import { option, version } from "./runtime_info.ts";

const ROUNDS = option("--rounds", 15);

// A long interval: every timed read is a cached one.
const interval = 3_600_000;
const plain = new LiveMemUse({ interval });
const off = new LiveMemWatch({ interval });
const on = new LiveMemWatch({ interval, trend: heapTrend() });
for (const m of [plain, off, on]) m.toString();

const text = (id: string, label: string, mem: LiveMemUse): Case => ({
  id,
  group: "text",
  label,
  run(k) {
    let acc = 0;
    for (let i = 0; i < k; i++) acc += mem.toString().length;
    return acc;
  },
});
const json = (id: string, label: string, mem: LiveMemUse): Case => ({
  id,
  group: "json",
  label,
  run(k) {
    let acc = 0;
    for (let i = 0; i < k; i++) acc += mem.toJSON().rss ?? 1;
    return acc;
  },
});

const results = runCases([
  text("textPlain", "cached toString(), LiveMemUse", plain),
  text("textOff", "cached toString(), watch, trend off", off),
  text("textOn", "cached toString(), watch, trend on", on),
  json("jsonPlain", "cached toJSON(), LiveMemUse", plain),
  json("jsonOff", "cached toJSON(), watch, trend off", off),
  json("jsonOn", "cached toJSON(), watch, trend on", on),
], { rounds: ROUNDS, batchMs: 20, warmupMs: 150 });

console.log(`# trend cost on ${version}, ${ROUNDS} rounds (median ns/op)`);
for (const r of results) {
  console.log(`${r.label.padEnd(38)} ${r.median.toFixed(1).padStart(8)} ns`);
}
const ratio = (a: string, b: string) => pairedRatio(results, a, b).toFixed(3);
const line = (label: string, value: string) =>
  console.log(`${label.padEnd(42)} ${value}`);
for (const [kind, p] of [["toString()", "text"], ["toJSON()", "json"]]) {
  line(
    `cached ${kind}, trend off / LiveMemUse:`,
    ratio(p + "Off", p + "Plain"),
  );
  line(`cached ${kind}, trend on / LiveMemUse:`, ratio(p + "On", p + "Plain"));
  line(`cached ${kind}, trend on / off:`, ratio(p + "On", p + "Off"));
}

// About 160 MiB of short-lived arrays a round, so the runtime collects
// often, without and with a trend watching: each collection then costs one
// heap reading and a tracker update. It yields to the event loop after
// each tenth, so the observer's and the sentinels' callbacks run inside
// the timed round.
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
async function workload(): Promise<number> {
  let acc = 0;
  for (let j = 0; j < 10; j++) {
    for (let i = 0; i < 2_000; i++) {
      const a = new Array(1024).fill(i + 0.5);
      acc += a[i & 1023];
    }
    await tick();
  }
  return acc;
}
const times = { off: [] as number[], on: [] as number[] };
let acc = 0;
for (let r = 0; r < ROUNDS * 2 + 2; r++) {
  const watching = r % 2 === 1;
  const trend = watching ? heapTrend() : undefined;
  const t0 = performance.now();
  acc += await workload();
  const t = performance.now() - t0;
  trend?.stop();
  if (r >= 2) (watching ? times.on : times.off).push(t); // 2 warm-up rounds
}
const ratios = times.on.map((t, i) => t / times.off[i]);
line(
  "allocation workload, trend on / off:",
  `${median(ratios).toFixed(3)} (${
    median(times.off).toFixed(1)
  } ms a round without)`,
);
if (sink() === 0.5 && acc < 0) console.log("");
