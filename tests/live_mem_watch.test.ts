// LiveMemWatch: its options (checked early, naming the option and value),
// memoryLimit and headroom in the JSON and the text, with injected samples
// (exact figures), with an injected constrainedMemory on the real global,
// and on the real runtime (no container limit on this machine).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LiveMemWatch,
  type LiveMemWatchOptions,
} from "../lib/live_mem_watch.ts";
import { containerLimit } from "../lib/runtime.ts";
import type { MemorySample } from "../lib/samplers.ts";
import { MiB, runtime } from "./_memory.ts";
import { NODE_SAMPLE, NODE_TEXT } from "./support/node_sample.ts";

const GiB = 1024 * MiB;
const FIGURE = String.raw`-?[\d,]+\.\d(?:B|KiB|MiB|GiB|TiB)`;

// The tests give limits of at most 1 GiB; a host whose own container limit
// is below that would be the nearer limit.
const HOST = containerLimit();
const skip = HOST !== undefined && HOST < GiB
  ? `the host's container limit ${HOST} is below the tests' limits`
  : false;

// A field over a fixed sample.
function fixed(
  sample: object,
  opts: LiveMemWatchOptions = {},
) {
  return new LiveMemWatch({
    sampler: {
      runtime: "node",
      sample: () => ({ runtime: "node", ...sample }) as MemorySample,
    },
    ...opts,
  });
}

// Checks that `make` throws `type` with a message naming `name` and ending
// with `got ${shown}`.
function throwsNaming(
  make: () => unknown,
  type: typeof TypeError | typeof RangeError,
  name: string,
  shown: string,
) {
  assert.throws(make, (e: unknown) => {
    assert.ok(e instanceof type, `${name}: ${e}`);
    assert.ok(e.message.includes(`option "${name}"`), e.message);
    assert.ok(e.message.endsWith(`got ${shown}`), e.message);
    return true;
  });
}

test("options: a bad limit, onPressure, pressure or trend throws early, naming it", () => {
  const cases: [LiveMemWatchOptions, typeof TypeError, string, string][] = [
    [{ limit: "1" as never }, TypeError, "limit", '"1"'],
    [{ limit: 1n as never }, TypeError, "limit", "1n"],
    [{ limit: 0 }, RangeError, "limit", "0"],
    [{ limit: -0 }, RangeError, "limit", "-0"],
    [{ limit: -1 }, RangeError, "limit", "-1"],
    [{ limit: NaN }, RangeError, "limit", "NaN"],
    [{ limit: Infinity }, RangeError, "limit", "Infinity"],
    [{ onPressure: 42 as never }, TypeError, "onPressure", "42"],
    [{ pressure: null as never }, TypeError, "pressure", "null"],
    [{ pressure: 42 as never }, TypeError, "pressure", "42"],
    [{ pressure: { warn: "x" as never } }, TypeError, "pressure.warn", '"x"'],
    [{ pressure: { warn: 1.5 } }, RangeError, "pressure.warn", "1.5"],
    [{ pressure: { critical: -0.1 } }, RangeError, "pressure.critical", "-0.1"],
    [{ pressure: { margin: NaN } }, RangeError, "pressure.margin", "NaN"],
    [
      { pressure: { warn: 0.9, critical: 0.8 } },
      RangeError,
      "pressure.warn",
      "0.9",
    ],
    [{ trend: {} as never }, TypeError, "trend", "object"],
    [{ trend: 42 as never }, TypeError, "trend", "42"],
    [{ trend: { snapshot: 1 } as never }, TypeError, "trend", "object"],
  ];
  for (const [opts, type, name, shown] of cases) {
    throwsNaming(() => new LiveMemWatch(opts), type, name, shown);
  }
  // Equal thresholds: warn must be below critical.
  throwsNaming(
    () => new LiveMemWatch({ pressure: { warn: 0.9, critical: 0.9 } }),
    RangeError,
    "pressure.warn",
    "0.9",
  );
  // 0.9 alone is below the default critical (0.95); the extremes are fine.
  assert.doesNotThrow(() => new LiveMemWatch({ pressure: { warn: 0.9 } }));
  assert.doesNotThrow(() =>
    new LiveMemWatch({
      limit: 1,
      pressure: { warn: 0, critical: 1, margin: 1 },
      onPressure: () => {},
      trend: { snapshot: () => undefined },
    })
  );
});

test("options: LiveMemUse's own options are still checked", () => {
  assert.throws(() => new LiveMemWatch(null as never), TypeError);
  assert.throws(() => new LiveMemWatch(42 as never), TypeError);
  throwsNaming(
    () => new LiveMemWatch({ interval: -1 }),
    RangeError,
    "interval",
    "-1",
  );
  throwsNaming(
    () => new LiveMemWatch({ now: 42 as never }),
    TypeError,
    "now",
    "42",
  );
  throwsNaming(
    () => new LiveMemWatch({ headroom: "yes" as never }),
    TypeError,
    "headroom",
    '"yes"',
  );
  assert.throws(() => new LiveMemWatch({ sampler: {} as never }), TypeError);
});

test(
  "limit: memoryLimit and headroom in the JSON and, with headroom: true, the text",
  { skip },
  () => {
    const mem = fixed(NODE_SAMPLE, { limit: 256 * MiB, headroom: true });
    assert.equal(
      String(mem),
      `${NODE_TEXT} ; peak=96.0MiB ; limit=4.0GiB ; memoryLimit=256.0MiB ; headroom=192.0MiB`,
    );
    const json = mem.toJSON();
    assert.equal(json.memoryLimit, 256 * MiB);
    assert.equal(json.headroom, 192 * MiB); // min(4 GiB - 10 MiB, 256 MiB - 64 MiB)
    assert.equal(json.heapLimit, 4 * GiB);
    assert.ok(Object.isFrozen(json) && json === mem.toJSON());
    assert.equal(mem.toJSONString(), JSON.stringify(json));
    // Without headroom: true the text is LiveMemUse's; the JSON the same.
    const plain = fixed(NODE_SAMPLE, { limit: 256 * MiB });
    assert.equal(String(plain), NODE_TEXT);
    assert.deepEqual(plain.toJSON(), json);
  },
);

test(
  "limit: the sample's own memoryLimit (the container's) and the option: the smaller wins",
  { skip },
  () => {
    for (
      const [own, limit, expected] of [
        [200 * MiB, 300 * MiB, 200 * MiB],
        [300 * MiB, 200 * MiB, 200 * MiB],
        [200 * MiB, undefined, 200 * MiB],
        [undefined, 300 * MiB, 300 * MiB],
      ]
    ) {
      const json = fixed({ ...NODE_SAMPLE, memoryLimit: own }, { limit })
        .toJSON();
      assert.equal(json.memoryLimit, expected, `${own} ${limit}`);
      assert.equal(json.headroom, expected! - 64 * MiB);
    }
    // A bad memoryLimit in a sample is no limit.
    for (const bad of ["268435456", -1, NaN, Infinity, null, {}]) {
      const json = fixed({ ...NODE_SAMPLE, memoryLimit: bad }).toJSON();
      assert.equal(json.memoryLimit, undefined, String(bad));
      assert.equal(json.headroom, 4 * GiB - 10 * MiB);
    }
  },
);

test(
  "limit: a sample's memoryLimit of 0 is no limit, as containerLimit's 0 is",
  () => {
    const mem = fixed({ rss: 10 * MiB, memoryLimit: 0 }, { headroom: true });
    assert.equal(String(mem), "rss=10.0MiB");
    assert.equal(mem.toJSON().memoryLimit, undefined);
    assert.equal(mem.toJSON().headroom, undefined);
  },
);

test(
  "headroom: negative past the limit, and the heap limit when it is nearer",
  { skip },
  () => {
    const past = fixed({ rss: 110 * MiB }, {
      limit: 100 * MiB,
      headroom: true,
    });
    assert.equal(
      String(past),
      "rss=110.0MiB ; memoryLimit=100.0MiB ; headroom=-10.0MiB",
    );
    assert.equal(past.toJSON().headroom, -10 * MiB);
    const heap = fixed(
      {
        rss: 100 * MiB,
        heapTotal: 90 * MiB,
        heapUsed: 80 * MiB,
        heapLimit: 96 * MiB,
      },
      { limit: GiB },
    );
    assert.equal(heap.toJSON().headroom, 16 * MiB);
    assert.equal(heap.toJSON().memoryLimit, GiB);
  },
);

test(
  "headroom: the browser form (no rss) gets heapLimit - heapUsed",
  { skip },
  () => {
    const page = {
      heapTotal: 30 * MiB,
      heapUsed: 20 * MiB,
      heapLimit: 2 * GiB,
    };
    const mem = fixed(page, { headroom: true });
    assert.equal(
      String(mem),
      "heap=30.0MiB (used:20.0MiB + free:10.0MiB) ; limit=2.0GiB",
    );
    assert.equal(mem.toJSON().headroom, 2 * GiB - 20 * MiB);
    assert.equal(mem.toJSON().memoryLimit, undefined);
    // With a limit but no rss, the heap's headroom still is the only one.
    const edge = fixed(page, { headroom: true, limit: 128 * MiB });
    assert.equal(
      String(edge),
      "heap=30.0MiB (used:20.0MiB + free:10.0MiB) ; limit=2.0GiB ; memoryLimit=128.0MiB ; headroom=2.0GiB",
    );
    assert.equal(edge.toJSON().headroom, 2 * GiB - 20 * MiB);
  },
);

test("headroom: no limit known, no headroom", () => {
  const mem = fixed({ rss: 64 * MiB, heapUsed: 10 * MiB }, { headroom: true });
  assert.equal(String(mem), "rss=64.0MiB (heapUsed=10.0MiB)");
  assert.ok(!("headroom" in mem.toJSON()) && !("memoryLimit" in mem.toJSON()));
});

test("trend: a TrendSource's figures, checked, in the JSON and the text", {
  skip,
}, () => {
  const mem = fixed({ rss: 64 * MiB }, {
    trend: {
      snapshot: () => ({ liveHeap: 5 * MiB, trend: 1.2 * MiB, leak: true }),
    },
  });
  assert.equal(
    String(mem),
    "rss=64.0MiB ; live=5.0MiB trend=+1.2MiB/min leak=true",
  );
  assert.deepEqual(mem.toJSON(), {
    runtime: "node",
    rss: 64 * MiB,
    liveHeap: 5 * MiB,
    trend: 1.2 * MiB,
    leak: true,
  });
  const steady = fixed({ rss: 64 * MiB }, {
    trend: { snapshot: () => ({ trend: -2048, leak: false }) },
  });
  assert.equal(String(steady), "rss=64.0MiB ; trend=-2.0KiB/min");
  // A throwing source or bad figures: nothing of the trend, the rest intact.
  for (
    const snapshot of [
      () => {
        throw new Error("snapshot failed");
      },
      () => ({ liveHeap: -1, trend: NaN, leak: "yes" }),
      () => ({ liveHeap: "1", trend: Infinity }),
      () => 42,
    ]
  ) {
    const m = fixed({ rss: 64 * MiB }, {
      limit: 128 * MiB,
      trend: { snapshot } as never,
    });
    assert.equal(String(m), "rss=64.0MiB");
    assert.deepEqual(Object.keys(m.toJSON()), [
      "runtime",
      "rss",
      "memoryLimit",
      "headroom",
    ]);
  }
});

// The real global's constrainedMemory, replaced for one test and put back.
function withConstrainedMemory<T>(value: number, body: () => T): T {
  const proc = (globalThis as unknown as { process?: Record<string, unknown> })
    .process;
  assert.ok(proc, "no process global");
  const had = Object.getOwnPropertyDescriptor(proc, "constrainedMemory");
  proc.constrainedMemory = () => value;
  try {
    return body();
  } finally {
    if (had) Object.defineProperty(proc, "constrainedMemory", had);
    else delete proc.constrainedMemory;
  }
}

test("container: an injected constrainedMemory of 256 MiB on the real runtime, read once", () => {
  // Deno reads it only while sys is granted: the tests run with -A.
  withConstrainedMemory(256 * MiB, () => {
    for (
      const [limit, expected] of [
        [undefined, 256 * MiB],
        [128 * MiB, 128 * MiB],
        [512 * MiB, 256 * MiB],
      ]
    ) {
      const mem = new LiveMemWatch({ limit, headroom: true, interval: 0 });
      const json = mem.toJSON();
      assert.equal(json.memoryLimit, expected);
      const byHeap = json.heapLimit !== undefined && json.heapUsed !== undefined
        ? json.heapLimit - json.heapUsed
        : Infinity;
      assert.equal(json.headroom, Math.min(byHeap, expected! - json.rss!));
      assert.match(
        String(mem),
        new RegExp(
          ` ; memoryLimit=${expected! / MiB}\\.0MiB ; headroom=${FIGURE}$`,
        ),
      );
    }
  });
  // The limit is configuration: read at the first sample only.
  const mem = withConstrainedMemory(256 * MiB, () => {
    const m = new LiveMemWatch({ interval: 0 });
    m.toJSON();
    return m;
  });
  assert.equal(mem.toJSON().memoryLimit, 256 * MiB);
  // Node's and Bun's answers without a limit: none.
  for (const none of [2 ** 64 - 1, 2 ** 53]) {
    withConstrainedMemory(none, () => {
      assert.equal(new LiveMemWatch().toJSON().memoryLimit, undefined);
    });
  }
});

test("real runtime: no memoryLimit on this machine, headroom from the heap limit where known", (t) => {
  const mem = new LiveMemWatch({ headroom: true });
  const json = mem.toJSON();
  const text = String(mem);
  t.diagnostic(`${runtime}: ${text}`);
  if (HOST !== undefined) {
    assert.equal(json.memoryLimit, HOST);
    return;
  }
  assert.ok(!("memoryLimit" in json), JSON.stringify(json));
  assert.ok(!text.includes("memoryLimit="), text);
  if (runtime === "bun") {
    // Bun reads no heap limit (its statistics walk the heap): no headroom.
    assert.ok(
      !("headroom" in json) && !("heapLimit" in json),
      JSON.stringify(json),
    );
    assert.match(text, new RegExp(` ; peak=${FIGURE}$`));
  } else {
    assert.equal(json.headroom, json.heapLimit! - json.heapUsed!);
    assert.match(text, new RegExp(` ; peak=${FIGURE} ; limit=${FIGURE}$`));
  }
});

test("real runtime: with a limit, the text's tail and the smaller headroom", {
  skip,
}, (t) => {
  const mem = new LiveMemWatch({ headroom: true, limit: GiB });
  const json = mem.toJSON();
  const text = String(mem);
  t.diagnostic(`${runtime}: ${text}`);
  assert.equal(json.memoryLimit, GiB);
  const byMemory = GiB - json.rss!;
  const byHeap = json.heapLimit === undefined
    ? Infinity
    : json.heapLimit - json.heapUsed!;
  assert.equal(json.headroom, Math.min(byHeap, byMemory));
  const tail = runtime === "bun"
    ? ` ; peak=${FIGURE} ; memoryLimit=1\\.0GiB ; headroom=(${FIGURE})$`
    : ` ; peak=${FIGURE} ; limit=${FIGURE} ; memoryLimit=1\\.0GiB ; headroom=(${FIGURE})$`;
  assert.match(text, new RegExp(tail));
  // The text's headroom is the JSON's (the same sample), to a tenth.
  const shown = new RegExp(tail).exec(text)![1];
  const [, digits, unit] = /^(-?[\d,.]+)(\w+)$/.exec(shown)!;
  const scale = { B: 1, KiB: 1024, MiB: MiB, GiB: GiB, TiB: 1024 * GiB }[unit]!;
  const value = Number(digits.replaceAll(",", "")) * scale;
  assert.ok(
    Math.abs(value - json.headroom!) <= 0.05 * scale,
    `${shown} vs ${json.headroom}`,
  );
});
