// observe() with the real OpenTelemetry metrics SDK, on Deno, Bun and Node:
// the instruments a MeterProvider collects, their values against a sample
// taken at the same time, stop(), and how often a collection samples.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  InstrumentType,
  MeterProvider,
  type MetricData,
  MetricReader,
  type MetricReaderOptions,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { LiveMemUse } from "../mod.ts";
import { observe, OTEL_INSTRUMENTS } from "../metrics.ts";
import { detectSampler, type MemorySample } from "../lib/samplers.ts";
import { runtimeName } from "./support/child.ts";

const MiB = 2 ** 20;

/** The SDK's own reader base class; collect() is the pull a reader makes. */
class PullReader extends MetricReader {
  constructor(opts?: MetricReaderOptions) {
    super(opts);
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const delta = {
  aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
};

/** The livemem metrics of one collection, by name. */
async function collect(reader: MetricReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics, errors } = await reader.collect();
  assert.deepEqual(errors, []);
  const found = new Map<string, MetricData>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const m of scope.metrics) found.set(m.descriptor.name, m);
  }
  return found;
}

function valueOf(m: MetricData | undefined): number {
  assert.ok(m, "metric collected");
  assert.equal(m.dataPoints.length, 1, m.descriptor.name);
  const v = m.dataPoints[0].value;
  assert.equal(typeof v, "number");
  return v as number;
}

/** A sampler that counts its calls, with fixed figures. */
function countingSampler(figures: Partial<MemorySample> = {}) {
  const counter = {
    calls: 0,
    runtime: "node" as const,
    sample(): MemorySample {
      counter.calls++;
      return {
        runtime: "node",
        rss: 64 * MiB + counter.calls,
        heapTotal: 16 * MiB,
        heapUsed: 10 * MiB,
        external: 8 * MiB,
        arrayBuffers: 4 * MiB,
        ...figures,
      };
    },
  };
  return counter;
}

test("the instruments have their names, units, kinds, value type and no attributes", async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  // A long interval: the reads below see the sample the collection read,
  // however slow this machine is.
  const mem = new LiveMemUse({ interval: 60_000 });
  const observation = observe(provider.getMeter("livemem-test"), { mem });
  try {
    const metrics = await collect(reader);
    const json = mem.toJSON() as unknown as Record<string, unknown>;
    // Exactly the figures this runtime knows, no more.
    const expected = OTEL_INSTRUMENTS.filter((i) =>
      typeof json[i.field] === "number"
    ).map((i) => i.name);
    assert.deepEqual([...metrics.keys()].sort(), [...expected].sort());
    // What every runtime here reports (Bun's heapUsed may be marked stale:
    // left to the exact check above), and what Deno does not.
    for (
      const name of [
        "process.memory.usage",
        "livemem.memory.peak_usage",
        // Bun has no heap total, and leaves out an external it has not
        // counted yet (lib/bun_figures.ts).
        ...(runtimeName === "bun"
          ? []
          : ["livemem.memory.heap.size", "livemem.memory.external"]),
      ]
    ) assert.ok(metrics.has(name), `${runtimeName} reports ${name}`);
    assert.equal(
      metrics.has("livemem.memory.array_buffers"),
      runtimeName !== "deno",
    );
    for (const i of OTEL_INSTRUMENTS) {
      const m = metrics.get(i.name);
      if (m === undefined) continue;
      const gauge = i.kind === "Gauge";
      assert.equal(m.descriptor.unit, "By", i.name);
      assert.equal(m.descriptor.valueType, 0, `${i.name} is INT`);
      assert.equal(m.descriptor.description, i.description);
      // The instrument type is on the descriptor, though not in its public
      // type; the point type below says the same through the public API.
      assert.equal(
        (m.descriptor as { type?: unknown }).type,
        gauge
          ? InstrumentType.OBSERVABLE_GAUGE
          : InstrumentType.OBSERVABLE_UP_DOWN_COUNTER,
        i.name,
      );
      assert.equal(
        m.dataPointType,
        gauge ? DataPointType.GAUGE : DataPointType.SUM,
      );
      if (m.dataPointType === DataPointType.SUM) {
        assert.equal(m.isMonotonic, false, `${i.name} can go down`);
      }
      assert.equal(m.dataPoints.length, 1, i.name);
      assert.deepEqual(m.dataPoints[0].attributes, {}, i.name);
    }
  } finally {
    observation.stop();
    await provider.shutdown();
  }
});

test("the values are the field's sample, and within 8 MiB or 10% of a fresh one", async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  // A long interval: the reads below see the sample the collection read,
  // however slow this machine is.
  const mem = new LiveMemUse({ interval: 60_000 });
  const observation = observe(provider.getMeter("livemem-test"), { mem });
  try {
    const metrics = await collect(reader);
    const fresh = detectSampler().sample();
    // Within the interval, toJSON() gives the sample the collection read.
    const json = mem.toJSON() as unknown as Record<string, number | undefined>;
    let compared = 0;
    for (const i of OTEL_INSTRUMENTS) {
      const m = metrics.get(i.name);
      if (m === undefined) continue;
      const v = valueOf(m);
      assert.equal(v, json[i.field], i.name);
      const now = (fresh as Record<string, unknown> | undefined)?.[i.field];
      if (typeof now !== "number") continue;
      const tolerance = Math.max(8 * MiB, 0.1 * now);
      assert.ok(
        Math.abs(v - now) <= tolerance,
        `${i.name}: collected ${v}, sampled ${now}`,
      );
      compared++;
    }
    assert.ok(compared >= 4, `compared ${compared} figures`);
    assert.ok(valueOf(metrics.get("process.memory.usage")) > 10 * MiB);
  } finally {
    observation.stop();
    await provider.shutdown();
  }
});

test("a periodic exporting reader exports them to the in-memory exporter", async () => {
  const exporter = new InMemoryMetricExporter(
    AggregationTemporality.CUMULATIVE,
  );
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 60_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  // A long interval: the reads below see the sample the collection read,
  // however slow this machine is.
  const mem = new LiveMemUse({ interval: 60_000 });
  const observation = observe(provider.getMeter("livemem-test"), { mem });
  try {
    await reader.forceFlush();
    const exported = exporter.getMetrics();
    assert.equal(exported.length, 1);
    const names = exported[0].scopeMetrics.flatMap((s) =>
      s.metrics.map((m) => m.descriptor.name)
    );
    assert.ok(names.includes("process.memory.usage"), names.join());
    const usage = exported[0].scopeMetrics[0].metrics.find((m) =>
      m.descriptor.name === "process.memory.usage"
    );
    assert.equal(valueOf(usage), mem.toJSON().rss);
  } finally {
    observation.stop();
    await provider.shutdown();
  }
});

test("stop() unregisters them: no more samples, no more data points", async () => {
  const sampler = countingSampler();
  let t = 0;
  const mem = new LiveMemUse({ sampler, now: () => t, interval: 1000 });
  const reader = new PullReader(delta);
  const provider = new MeterProvider({ readers: [reader] });
  const observation = observe(provider.getMeter("livemem-test"), { mem });
  try {
    assert.ok((await collect(reader)).has("process.memory.usage"));
    t += 2000;
    // Still registered: a delta of the next sample (rss grew by 1 byte).
    const second = await collect(reader);
    assert.equal(valueOf(second.get("process.memory.usage")), 1);
    assert.equal(sampler.calls, 2);
    observation.stop();
    observation.stop(); // twice is fine
    t += 2000;
    const after = await collect(reader);
    assert.deepEqual([...after.keys()], []);
    assert.equal(sampler.calls, 2, "no sample after stop()");
  } finally {
    await provider.shutdown();
  }
});

test("a collection costs at most one sample, shared by every instrument and reader", async () => {
  const sampler = countingSampler();
  let t = 0;
  const mem = new LiveMemUse({ sampler, now: () => t, interval: 1000 });
  const a = new PullReader();
  const b = new PullReader();
  const provider = new MeterProvider({ readers: [a, b] });
  const observation = observe(provider.getMeter("livemem-test"), { mem });
  try {
    // Five collections by each of two readers within one interval.
    for (let k = 0; k < 5; k++) {
      const metrics = await collect(k % 2 ? a : b);
      assert.equal(metrics.size, 5); // rss, heap size/used, external, arrayBuffers
      t += 100;
    }
    assert.equal(sampler.calls, 1, "one sample within one interval");
    // Across intervals: one sample per collection, for all five instruments.
    for (let k = 0; k < 4; k++) {
      t += 1001;
      const metrics = await collect(a);
      assert.equal(sampler.calls, 2 + k);
      assert.equal(
        valueOf(metrics.get("process.memory.usage")),
        64 * MiB + sampler.calls,
      );
    }
    // Once more in the same interval: cached.
    await collect(b);
    assert.equal(sampler.calls, 5);
  } finally {
    observation.stop();
    await provider.shutdown();
  }
});

test("unknown figures get no data point; limits and headroom are exported when known", async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter("livemem-test");
  // A browser-like sampler: heap figures only.
  const heapOnly = new LiveMemUse({
    sampler: {
      runtime: "browser",
      sample: () => ({
        runtime: "browser",
        heapTotal: 16 * MiB,
        heapUsed: 10 * MiB,
        heapLimit: 2048 * MiB,
      }),
    },
  });
  const first = observe(meter, { mem: heapOnly });
  try {
    const metrics = await collect(reader);
    assert.deepEqual([...metrics.keys()].sort(), [
      "livemem.memory.heap.limit",
      "livemem.memory.heap.size",
      "livemem.memory.heap.used",
    ]);
  } finally {
    first.stop();
    await provider.shutdown();
  }
  // A source whose toJSON() has the container limit and the headroom.
  const reader2 = new PullReader();
  const provider2 = new MeterProvider({ readers: [reader2] });
  const withLimit = {
    toJSON: () => ({
      runtime: "node",
      rss: 100 * MiB,
      memoryLimit: 256 * MiB,
      headroom: 156 * MiB,
      heapUsed: NaN, // not a figure: left out
    }),
  };
  const second = observe(provider2.getMeter("livemem-test"), {
    mem: withLimit,
  });
  try {
    const metrics = await collect(reader2);
    assert.deepEqual([...metrics.keys()].sort(), [
      "livemem.memory.headroom",
      "livemem.memory.limit",
      "process.memory.usage",
    ]);
    assert.equal(valueOf(metrics.get("livemem.memory.limit")), 256 * MiB);
    assert.equal(valueOf(metrics.get("livemem.memory.headroom")), 156 * MiB);
  } finally {
    second.stop();
    await provider2.shutdown();
  }
});

test("a failing source never fails the collection", async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const observation = observe(provider.getMeter("livemem-test"), {
    mem: {
      toJSON() {
        throw new Error("boom");
      },
    },
  });
  try {
    const metrics = await collect(reader); // asserts errors is empty
    assert.equal(metrics.size, 0);
  } finally {
    observation.stop();
    await provider.shutdown();
  }
});

test("bad arguments fail early, naming the option and the value", () => {
  const provider = new MeterProvider();
  const meter = provider.getMeter("livemem-test");
  assert.throws(
    () => observe({} as never),
    {
      name: "TypeError",
      message: "meter must be an OpenTelemetry Meter, got object",
    },
  );
  assert.throws(
    () => observe(undefined as never),
    {
      name: "TypeError",
      message: "meter must be an OpenTelemetry Meter, got undefined",
    },
  );
  assert.throws(
    () => observe(meter, null as never),
    { name: "TypeError", message: "options must be an object, got null" },
  );
  assert.throws(
    () => observe(meter, { mem: 1 as never }),
    { name: "TypeError", message: "mem must be a LiveMemUse, got 1" },
  );
  assert.throws(
    () => observe(meter, { mem: { toString: () => "" } as never }),
    { name: "TypeError", message: "mem must be a LiveMemUse, got object" },
  );
});
