// Deltas for one step: memoryDelta(from, to), and LiveMemWatch's mark() and
// since(mark), with injected samplers (exact text and bytes) and on the
// real runtime (a step that keeps a 64 MiB ArrayBuffer).
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { LiveMemWatch } from "../lib/live_mem_watch.ts";
import { memoryDelta } from "../lib/memory_delta.ts";
import type { MemorySample } from "../lib/samplers.ts";
import { MiB, runtime } from "./_memory.ts";

// A sampler that hands out `samples` in turn (the last one again at the
// end), counting its calls.
function queued(samples: (Partial<MemorySample> | undefined)[]) {
  let i = 0;
  const sampler = {
    runtime: "node" as const,
    sample: () => {
      const s = samples[Math.min(i++, samples.length - 1)];
      return s && { runtime: "node" as const, ...s };
    },
    calls: () => i,
  };
  return sampler;
}

const HEAP = Math.round(3.2 * MiB);

test("memoryDelta: the text and the byte differences", () => {
  const d = memoryDelta(
    { rss: 64 * MiB, heapUsed: 10 * MiB, external: 5 * MiB },
    { rss: 72 * MiB, heapUsed: 10 * MiB + HEAP, external: 5 * MiB },
  );
  assert.equal(String(d), "Δrss=+8.0MiB Δheap=+3.2MiB Δexternal=+0.0B");
  assert.equal(`${d}`, String(d));
  assert.equal(inspect(d), String(d));
  assert.deepEqual(d.toJSON(), { rss: 8 * MiB, heapUsed: HEAP, external: 0 });
  assert.equal(
    JSON.stringify({ d }),
    `{"d":{"rss":${8 * MiB},"heapUsed":${HEAP},"external":0}}`,
  );
  assert.ok(Object.isFrozen(d) && Object.isFrozen(d.toJSON()));
  // Negative and sub-KiB differences.
  const down = memoryDelta({ rss: 10 * MiB, external: 100 }, {
    rss: 9 * MiB,
    external: 612,
  });
  assert.equal(String(down), "Δrss=-1.0MiB Δexternal=+512.0B");
});

test("memoryDelta: a figure either mark lacks is left out; none known is unavailable", () => {
  const d = memoryDelta({ rss: MiB, heapUsed: MiB }, {
    rss: 2 * MiB,
    external: MiB,
  });
  assert.equal(String(d), "Δrss=+1.0MiB");
  assert.deepEqual(d.toJSON(), { rss: MiB });
  const none = memoryDelta({ heapUsed: MiB }, { rss: MiB });
  assert.equal(String(none), "unavailable");
  assert.deepEqual(none.toJSON(), {});
  assert.equal(String(memoryDelta({}, {})), "unavailable");
});

test("mark/since: with an injected sampler, exactly the step's difference", () => {
  const sampler = queued([
    {
      rss: 64 * MiB,
      heapTotal: 20 * MiB,
      heapUsed: 10 * MiB,
      external: 5 * MiB,
    },
    {
      rss: 72 * MiB,
      heapTotal: 20 * MiB,
      heapUsed: 10 * MiB + HEAP,
      external: 5 * MiB,
    },
  ]);
  const mem = new LiveMemWatch({ sampler });
  const start = mem.mark();
  assert.deepEqual(start, {
    rss: 64 * MiB,
    heapUsed: 10 * MiB,
    external: 5 * MiB,
  });
  assert.ok(Object.isFrozen(start));
  const d = mem.since(start);
  assert.equal(String(d), "Δrss=+8.0MiB Δheap=+3.2MiB Δexternal=+0.0B");
  assert.deepEqual(d.toJSON(), { rss: 8 * MiB, heapUsed: HEAP, external: 0 });
  // Each mark and since is a fresh sample, not the field's cached one.
  assert.equal(sampler.calls(), 2);
});

test("mark/since: figures unknown in either mark are left out", () => {
  const mem = new LiveMemWatch({
    sampler: queued([
      { rss: 64 * MiB, heapTotal: 20 * MiB, heapUsed: 10 * MiB },
      { rss: 65 * MiB, external: 7 * MiB },
    ]),
  });
  const d = mem.since(mem.mark());
  assert.equal(String(d), "Δrss=+1.0MiB");
  assert.deepEqual(d.toJSON(), { rss: MiB });
});

test("mark/since: unavailable when the sampler knows nothing, or fails", () => {
  const empty = new LiveMemWatch({ sampler: queued([undefined]) });
  const m = empty.mark();
  assert.deepEqual(m, {});
  assert.equal(String(empty.since(m)), "unavailable");
  assert.deepEqual(empty.since(m).toJSON(), {});
  const failing = new LiveMemWatch({
    sampler: {
      runtime: "node",
      sample: () => {
        throw new Error("sampler failed");
      },
    },
  });
  assert.deepEqual(failing.mark(), {});
  assert.equal(String(failing.since({ rss: MiB })), "unavailable");
});

test("mark/since: a mark from another instance works", () => {
  const a = new LiveMemWatch({
    sampler: queued([{ rss: 10 * MiB, external: 2 * MiB }]),
  });
  const b = new LiveMemWatch({
    sampler: queued([{ rss: 30 * MiB, external: MiB }]),
  });
  const d = b.since(a.mark());
  assert.equal(String(d), "Δrss=+20.0MiB Δexternal=-1.0MiB");
  // A plain object of the same shape too.
  assert.equal(String(b.since({ rss: 40 * MiB })), "Δrss=-10.0MiB");
});

test("since: a mark that is not an object is a TypeError naming it", () => {
  const mem = new LiveMemWatch({ sampler: queued([{ rss: MiB }]) });
  for (
    const [bad, shown] of [
      [42, "42"],
      [null, "null"],
      [undefined, "undefined"],
      ["m", '"m"'],
    ] as const
  ) {
    assert.throws(() => mem.since(bad as never), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /LiveMemWatch\.since: mark/);
      assert.ok(e.message.endsWith(`got ${shown}`), e.message);
      return true;
    });
  }
});

// Kept until the process ends: a buffer freed by a later test could
// otherwise be collected during another's measurement.
const kept: ArrayBuffer[] = [];

test("mark/since: on the real runtime, a step that keeps 64 MiB of ArrayBuffer", (t) => {
  // A small buffer first, so that external is not 0 (which Bun reports as
  // unknown) at the mark.
  kept.push(new ArrayBuffer(MiB));
  const mem = new LiveMemWatch();
  const start = mem.mark();
  const big = new ArrayBuffer(64 * MiB);
  new Uint8Array(big).fill(1); // resident, so rss grows too
  kept.push(big);
  const d = mem.since(start);
  const json = d.toJSON();
  t.diagnostic(`${runtime}: ${d}`);
  assert.match(
    String(d),
    /^Δrss=[+-][\d,]+\.\d(B|KiB|MiB|GiB)( Δheap=\S+)?( Δexternal=\S+)?$/,
  );
  assert.equal(typeof json.rss, "number");
  if (runtime === "bun") {
    // Bun's heap figures are as of the last collection: only rss is sure.
    assert.ok(json.rss! >= 48 * MiB, `Δrss ${json.rss}`);
  } else {
    // Node and Deno count the buffer in external at once.
    assert.ok(json.external! >= 48 * MiB, `Δexternal ${json.external}`);
    assert.ok(json.external! < 128 * MiB, `Δexternal ${json.external}`);
    assert.equal(typeof json.heapUsed, "number");
  }
});
