/**
 * What a scrape and a collection cost, against one sample, on Deno, Bun and
 * Node >= 22:
 *
 *     deno run -A bench/metrics.ts [--rounds N] [--batch-ms N]
 *     bun bench/metrics.ts
 *     node bench/metrics.ts
 *
 * Cases, interleaved in rounds by the harness of bench/bench.ts:
 *
 * - `sample`: one refresh of a `LiveMemUse` (interval 0) read with
 *   `toJSON()`: the sample, its breakdown and its JSON. One sample, the unit.
 * - `scrapeFresh`: one `prometheus()` call on a field with interval 0, so
 *   every call samples: a sample plus the exposition text.
 * - `scrapeCached`: one `prometheus()` call within the field's interval.
 * - `exposition`: the text of a fixed JSON alone.
 * - `otelFresh`: the batch callback `observe()` registers, run on a field
 *   with interval 0 against a result that only counts observations (the
 *   SDK's own work is timed apart, below).
 *
 * Then a real `@opentelemetry/sdk-metrics` `MetricReader.collect()`, timed
 * as an async loop (median of rounds): without instruments, with 7
 * instruments observing constants (the SDK's own floor), with `observe()`
 * on a cached field, and with a field that samples on every collection.
 *
 * Prints a table, then the results as JSON on the last line.
 *
 * @module
 */

import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { LiveMemUse } from "../mod.ts";
import { observe, OTEL_INSTRUMENTS, prometheus } from "../metrics.ts";
import { exposition } from "../lib/metrics/exposition.ts";
import type {
  OtelBatchObservableCallback,
  OtelMeter,
} from "../lib/metrics/otel_types.ts";
import { type Case, median, pairedRatio, runCases, sink } from "./harness.ts";
import { option, version } from "./runtime_info.ts";

const ROUNDS = option("--rounds", 15);
const BATCH_MS = option("--batch-ms", 20);

// ---------------------------------------------------------------- cases

const sampleMem = new LiveMemUse({ interval: 0 });
const scrapeFresh = prometheus({ mem: new LiveMemUse({ interval: 0 }) });
const scrapeCached = prometheus({ mem: new LiveMemUse() });
const fixedJson = new LiveMemUse().toJSON();

/** The callback observe() registers, caught by a meter that only keeps it. */
function batchCallback(mem: LiveMemUse): OtelBatchObservableCallback {
  let callback: OtelBatchObservableCallback | undefined;
  const meter: OtelMeter = {
    createObservableGauge: () => ({}),
    createObservableUpDownCounter: () => ({}),
    addBatchObservableCallback: (cb) => callback = cb,
    removeBatchObservableCallback: () => {},
  };
  observe(meter, { mem });
  return callback!;
}
const otelFresh = batchCallback(new LiveMemUse({ interval: 0 }));
let observed = 0;
const countingResult = {
  observe: (_: object, v: number) => {
    observed += v & 1;
  },
};

const cases: Case[] = [
  {
    id: "sample",
    group: "metrics",
    label: "one sample: LiveMemUse toJSON(), interval 0",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += sampleMem.toJSON().rss ?? 0;
      return acc;
    },
  },
  {
    id: "scrapeFresh",
    group: "metrics",
    label: "prometheus() call, sampling (interval 0)",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += scrapeFresh().length;
      return acc;
    },
  },
  {
    id: "scrapeCached",
    group: "metrics",
    label: "prometheus() call, within the interval",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += scrapeCached().length;
      return acc;
    },
  },
  {
    id: "exposition",
    group: "metrics",
    label: "exposition text of one fixed sample",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += exposition(fixedJson).length;
      return acc;
    },
  },
  {
    id: "otelFresh",
    group: "metrics",
    label: "observe() batch callback, sampling",
    run(k) {
      for (let i = 0; i < k; i++) otelFresh(countingResult);
      return observed;
    },
  },
];

const results = runCases(cases, {
  rounds: ROUNDS,
  batchMs: BATCH_MS,
  warmupMs: 150,
});

const RATIOS = [
  ["scrapeFresh", "sample", "prometheus() sampling / one sample"],
  ["scrapeCached", "sample", "prometheus() cached / one sample"],
  ["exposition", "sample", "exposition text alone / one sample"],
  ["otelFresh", "sample", "observe() callback sampling / one sample"],
] as const;

// ------------------------------------------------ the real SDK, async

class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A reader on a provider, with livemem's instruments on `mem` or none. */
function sdkReader(mem?: LiveMemUse): PullReader {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  if (mem) observe(provider.getMeter("livemem-bench"), { mem });
  return reader;
}

/** The floor: the same instruments, observing constants. */
function sdkConstReader(): PullReader {
  const reader = new PullReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter("floor");
  const observables = OTEL_INSTRUMENTS.slice(0, 7).map((i) =>
    i.kind === "Gauge"
      ? meter.createObservableGauge(i.name, { unit: "By" })
      : meter.createObservableUpDownCounter(i.name, { unit: "By" })
  );
  meter.addBatchObservableCallback((result) => {
    for (const o of observables) result.observe(o, 1024);
  }, observables);
  return reader;
}

const sdkCases = [
  { id: "sdkEmpty", label: "SDK collect(), no instruments", r: sdkReader() },
  {
    id: "sdkConst",
    label: "SDK collect(), 7 instruments of constants",
    r: sdkConstReader(),
  },
  {
    id: "sdkCached",
    label: "SDK collect(), livemem within the interval",
    r: sdkReader(new LiveMemUse()),
  },
  {
    id: "sdkFresh",
    label: "SDK collect(), livemem sampling (interval 0)",
    r: sdkReader(new LiveMemUse({ interval: 0 })),
  },
];
const COLLECTIONS = 200;
const sdkSamples: number[][] = sdkCases.map(() => []);
for (const c of sdkCases) for (let i = 0; i < 50; i++) await c.r.collect();
for (let round = 0; round < ROUNDS; round++) {
  for (let j = 0; j < sdkCases.length; j++) {
    const i = (j + round) % sdkCases.length;
    const t0 = performance.now();
    for (let n = 0; n < COLLECTIONS; n++) await sdkCases[i].r.collect();
    sdkSamples[i].push((performance.now() - t0) * 1e6 / COLLECTIONS);
  }
}

// ---------------------------------------------------------------- report

const fmt = (ns: number) => ns >= 100 ? ns.toFixed(0) : ns.toFixed(1);
const lines = [`${version}; ${ROUNDS} rounds`];
for (const r of results) {
  lines.push(`  ${r.label.padEnd(48)} ${fmt(r.median).padStart(8)} ns/op`);
}
const ratios = RATIOS.map(([s, b, label]) => ({
  label,
  ratio: pairedRatio(results, s, b),
}));
for (const r of ratios) {
  lines.push(`  ${r.label.padEnd(48)} ${r.ratio.toFixed(3)}x`);
}
const sdk = sdkCases.map((c, i) => ({
  id: c.id,
  label: c.label,
  median: median(sdkSamples[i]),
}));
for (const s of sdk) {
  lines.push(`  ${s.label.padEnd(48)} ${fmt(s.median).padStart(8)} ns/op`);
}
console.log(lines.join("\n"));
console.log(JSON.stringify({
  version,
  rounds: ROUNDS,
  results: results.map(({ id, label, median }) => ({ id, label, median })),
  ratios,
  sdk,
  sink: sink() + observed,
}));
