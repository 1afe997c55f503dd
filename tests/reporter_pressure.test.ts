// The reporter's line at each crossing of the pressure level, in text and
// JSON, with a hand-driven timer and an injected sampler whose samples carry
// a memory limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startReporter } from "../lib/reporter.ts";
import { MiB } from "./_memory.ts";

function reporter(format: "text" | "json") {
  const lines: string[] = [];
  let tick = () => {};
  const state = { rss: 10 * MiB };
  startReporter({
    format,
    sampler: {
      runtime: "node",
      sample: () => ({
        runtime: "node",
        rss: state.rss,
        heapTotal: 4 * MiB,
        heapUsed: 2 * MiB,
        memoryLimit: 100 * MiB,
      }),
    },
    now: () => 1_800_000_000_000,
    write: (text) => void lines.push(text),
    env: () => undefined,
    every: (fn) => {
      tick = fn;
      return () => {};
    },
    onExit: () => () => {},
  });
  const at = (rss: number) => {
    state.rss = rss * MiB;
    tick();
  };
  return { lines, at };
}

test("reporter: a pressure line at each crossing, once, before the line that saw it", () => {
  const { lines, at } = reporter("text");
  for (const rss of [50, 81, 79, 81, 79, 96, 94, 96, 60]) at(rss);
  const pressure = lines.filter((l) => l.startsWith("livemem: pressure"));
  assert.deepEqual(pressure, [
    "livemem: pressure warn used=81.0% headroom=19.0MiB\n",
    "livemem: pressure critical used=96.0% headroom=4.0MiB\n",
    "livemem: pressure ok used=60.0% headroom=40.0MiB\n",
  ]);
  assert.equal(lines.length, 9 + 3);
  // Each comes right before the tick line of the same sample.
  const i = lines.indexOf(pressure[0]);
  assert.match(
    lines[i + 1],
    /^livemem: rss=81\.0MiB .* ; memoryLimit=100\.0MiB ; headroom=19\.0MiB\n$/,
  );
});

test("reporter: pressure lines in JSON", () => {
  const { lines, at } = reporter("json");
  at(50);
  at(97);
  const objects = lines.map((l) => JSON.parse(l));
  assert.deepEqual(objects.map((o) => o.livemem), ["tick", "pressure", "tick"]);
  assert.equal(objects[1].level, "critical");
  assert.equal(objects[1].time, 1_800_000_000_000);
  assert.equal(objects[1].mem.rss, 97 * MiB);
  assert.equal(objects[1].mem.headroom, 3 * MiB);
  assert.deepEqual(objects[1].mem, objects[2].mem);
});
