/**
 * livemem benchmarks: one program for Deno, Bun and Node >= 22.
 *
 *     deno run -A bench/bench.ts [--rounds N] [--batch-ms N] [--only GROUP,…]
 *     bun bench/bench.ts
 *     node bench/bench.ts
 *
 * Prints a table, then the results as JSON on the last line (read by
 * scripts/bench.mjs, which writes BENCHMARKS.md). Every comparison is made
 * inside this one process, case by case interleaved within each round.
 *
 * @module
 */

import prettyBytes from "pretty-bytes";
import { filesize } from "filesize";
import bytes from "bytes";
import { iec, LiveMemUse, sprintf } from "../mod.ts";
import { breakdown, formatBreakdown } from "../lib/breakdown.ts";
import { detectSampler, type MemorySample } from "../lib/samplers.ts";
import {
  type Case,
  type CaseResult,
  pairedRatio,
  runCases,
  sink,
} from "./harness.ts";

// ---------------------------------------------------------------- runtime

interface Globals {
  Deno?: {
    version: { deno: string; v8: string };
    args: string[];
    memoryUsage(): { rss: number };
  };
  Bun?: { version: string };
  process?: {
    versions: Record<string, string | undefined>;
    argv: string[];
    memoryUsage(): { rss: number };
    resourceUsage?(): { maxRSS: number };
    arch?: string;
    platform?: string;
  };
}

const g = globalThis as unknown as Globals;
const runtime = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const version = g.Deno
  ? `deno ${g.Deno.version.deno} (V8 ${g.Deno.version.v8})`
  : g.Bun
  ? `bun ${g.Bun.version} (JavaScriptCore)`
  : `node ${g.process?.versions.node} (V8 ${g.process?.versions.v8})`;
const args = g.Deno ? g.Deno.args : g.process?.argv.slice(2) ?? [];

function option(name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const ROUNDS = option("--rounds", 15);
const BATCH_MS = option("--batch-ms", 20);
const WARMUP_MS = option("--warmup-ms", 150);
const onlyArg = args.indexOf("--only");
const ONLY = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(",")) : undefined;

// The bare runtime call a refreshing toString() is measured against.
const deno = g.Deno;
const proc = g.process;
const bareMemoryUsage: () => { rss: number } = deno
  ? () => deno.memoryUsage()
  : () => proc!.memoryUsage();
const bareName = deno ? "Deno.memoryUsage()" : "process.memoryUsage()";

// ---------------------------------------------------------------- inputs

/** mulberry32: the same numbers on every runtime. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 100,000 byte counts, log-uniform from 1 B to 16 TiB (B, KiB … TiB). */
const SIZES: readonly number[] = (() => {
  const rnd = prng(0x11fe);
  const xs: number[] = [];
  for (let i = 0; i < 100_000; i++) xs.push(Math.floor(2 ** (rnd() * 44)));
  return xs;
})();
const NSIZES = SIZES.length;
// Unit cases walk SIZES in chunks, each from where it stopped; a batch is a
// whole number of passes, so every case formats every number equally often.
const CHUNK = 1000;
const cursor = new Int32Array(8);

const IEC_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/** The floor: `(x / 1024 ** k).toFixed(1) + unit`, k by a simple loop. */
function toFixedFloor(x: number): string {
  let k = 0;
  while (k < 8 && x >= 1024 ** (k + 1)) k++;
  return (x / 1024 ** k).toFixed(1) + IEC_UNITS[k];
}

const PRETTY_OPTS = { binary: true } as const;
const FILESIZE_OPTS = { base: 2 } as const;

// Mixed-format inputs: a few rows cycled through.
const NAMES = ["alloc", "heap", "gc.pause", "cache-hit"];
const COUNTS = [0, 17, 123456, -42];
const PCTS = [0.5, 12.345, 99.999, 3.14159];
const LABELS = ["ok", 'with "quotes"', "tab\there", "ünïcode"];

// The clock, read once: on Node the global `performance` is a getter that
// costs ~25 ns a read, which the floor must not pay (it would flatter us).
const perf = performance;

/** A minimal cached object: the floor for a cached toString(). */
class MinimalCached {
  #last = -Infinity;
  #text = "";
  toString(): string {
    const t = perf.now();
    if (t - this.#last <= 1000) return this.#text;
    this.#last = t;
    this.#text = "rss=" + (t | 0);
    return this.#text;
  }
}

/** The same, with the clock behind a closure as LiveMemUse keeps it. */
class MinimalCachedClosure {
  #now: () => number;
  #last = -Infinity;
  #text = "";
  constructor() {
    this.#now = () => perf.now();
  }
  toString(): string {
    const t = this.#now();
    if (t - this.#last <= 1000) return this.#text;
    this.#last = t;
    this.#text = "rss=" + (t | 0);
    return this.#text;
  }
}

// ---------------------------------------------------------------- cases

const cachedMem = new LiveMemUse();
const floorObj = new MinimalCached();
const floorClosure = new MinimalCachedClosure();
const refreshMem = new LiveMemUse({ interval: 0 });
const logMem = new LiveMemUse();
const sampler = detectSampler();
// What a refresh reads: LiveMemUse skips the peak rss (resourceUsage) of the
// built-in sampler through its sampleUse(), where it has one.
const samplerUse = (sampler as { sampleUse?: () => MemorySample | undefined })
  .sampleUse;
const readSample: () => MemorySample | undefined = samplerUse
  ? () => samplerUse.call(sampler)
  : () => sampler.sample();
const readLabel = samplerUse ? "sampler.sampleUse()" : "sampler.sample()";
const fixedSample = sampler.sample()!;
// Varied figures for the parts: formatting the same numbers over and over
// hits the engines' number-to-string caches, which a real refresh does not.
const PARTS = Array.from({ length: 256 }, (_, i) => {
  const vary = (v: number | undefined) =>
    v === undefined ? undefined : v + i * 4096 + (i % 7) * 8;
  return breakdown({
    ...fixedSample,
    rss: vary(fixedSample.rss),
    heapTotal: vary(fixedSample.heapTotal),
    heapUsed: fixedSample.heapUsed,
    external: vary(fixedSample.external),
  });
});

// Phase 1 runs before any LiveMemUse with interval 0 has been read: a JIT
// shares one compiled toString() between all instances, and an instance that
// re-samples on every read makes it inline the whole refresh path into the
// cached read. Phase 1 is what a process with default intervals sees; the
// "cached-shared" group of phase 2 measures the same read after that.
const phase1: Case[] = [
  // 1. cached toString()
  {
    id: "cached",
    group: "cached",
    label: "LiveMemUse#toString(), cached",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += cachedMem.toString().length;
      return acc;
    },
  },
  {
    id: "cachedFloor",
    group: "cached",
    label: "minimal cached object (floor)",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += floorObj.toString().length;
      return acc;
    },
  },
  {
    id: "cachedFloorClosure",
    group: "cached",
    label: "minimal cached object, clock via closure",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += floorClosure.toString().length;
      return acc;
    },
  },
  {
    id: "perfNow",
    group: "cached",
    label: "performance.now()",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += perf.now();
      return acc;
    },
  },
  // 5. a log line with and without the field
  {
    id: "lineWith",
    group: "line",
    label: "log line with mem=${mem}",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        const j = i & 3;
        acc +=
          `level=info msg="request done" path=/${NAMES[j]} status=${
            200 + j
          } mem=${logMem}`.length;
      }
      return acc;
    },
  },
  {
    id: "lineWithFloor",
    group: "line",
    label: "log line with the minimal cached object",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        const j = i & 3;
        acc +=
          `level=info msg="request done" path=/${NAMES[j]} status=${
            200 + j
          } mem=${floorObj}`.length;
      }
      return acc;
    },
  },
  {
    id: "lineWithout",
    group: "line",
    label: "the same line without it",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        const j = i & 3;
        acc +=
          `level=info msg="request done" path=/${NAMES[j]} status=${200 + j}`
            .length;
      }
      return acc;
    },
  },
];

const phase2: Case[] = [
  // 2. refreshing toString()
  {
    id: "refresh",
    group: "refresh",
    label: "LiveMemUse#toString(), interval 0",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += refreshMem.toString().length;
      return acc;
    },
  },
  {
    id: "bare",
    group: "refresh",
    label: "bare memoryUsage() call",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += bareMemoryUsage().rss;
      return acc;
    },
  },
  // Where a refresh goes (not budgeted): its parts, measured alone.
  {
    id: "diagSample",
    group: "refresh-parts",
    label: readLabel,
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += readSample()?.rss ?? 0;
      return acc;
    },
  },
  {
    id: "diagResourceUsage",
    group: "refresh-parts",
    label: "process.resourceUsage()",
    run(k) {
      let acc = 0;
      const ru = proc?.resourceUsage;
      if (ru === undefined) return 0;
      for (let i = 0; i < k; i++) acc += ru.call(proc).maxRSS;
      return acc;
    },
  },
  {
    id: "diagBreakdown",
    group: "refresh-parts",
    label: "breakdown(sample)",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += breakdown(fixedSample).other ?? 0;
      return acc;
    },
  },
  {
    id: "diagFormat",
    group: "refresh-parts",
    label: "formatBreakdown(parts)",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        acc += formatBreakdown(PARTS[i & 255]).length;
      }
      return acc;
    },
  },
  {
    id: "diagComposed",
    group: "refresh-parts",
    label: "formatBreakdown(breakdown(read))",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        acc += formatBreakdown(breakdown(readSample()!)).length;
      }
      return acc;
    },
  },
  // 3. units, over the same 100,000 sizes; one op = one number
  {
    id: "iecF1",
    group: "units",
    label: 'sprintf("%.1f", iec(x, "B"))',
    chunk: CHUNK,
    quantum: NSIZES,
    run(k) {
      let acc = 0;
      let i = cursor[0];
      for (let j = 0; j < k; j++) {
        acc += sprintf("%.1f", iec(SIZES[i], "B")).length;
        if (++i === NSIZES) i = 0;
      }
      cursor[0] = i;
      return acc;
    },
  },
  {
    id: "iecV",
    group: "units",
    label: 'String(iec(x, "B"))',
    chunk: CHUNK,
    quantum: NSIZES,
    run(k) {
      let acc = 0;
      let i = cursor[1];
      for (let j = 0; j < k; j++) {
        acc += String(iec(SIZES[i], "B")).length;
        if (++i === NSIZES) i = 0;
      }
      cursor[1] = i;
      return acc;
    },
  },
  {
    id: "prettyBytes",
    group: "units",
    label: "pretty-bytes (binary)",
    chunk: CHUNK,
    quantum: NSIZES,
    run(k) {
      let acc = 0;
      let i = cursor[2];
      for (let j = 0; j < k; j++) {
        acc += prettyBytes(SIZES[i], PRETTY_OPTS).length;
        if (++i === NSIZES) i = 0;
      }
      cursor[2] = i;
      return acc;
    },
  },
  {
    id: "filesize",
    group: "units",
    label: "filesize (base 2)",
    chunk: CHUNK,
    quantum: NSIZES,
    run(k) {
      let acc = 0;
      let i = cursor[3];
      for (let j = 0; j < k; j++) {
        acc += String(filesize(SIZES[i], FILESIZE_OPTS)).length;
        if (++i === NSIZES) i = 0;
      }
      cursor[3] = i;
      return acc;
    },
  },
  {
    id: "bytes",
    group: "units",
    label: "bytes",
    chunk: CHUNK,
    quantum: NSIZES,
    run(k) {
      let acc = 0;
      let i = cursor[4];
      for (let j = 0; j < k; j++) {
        acc += (bytes(SIZES[i]) as string).length;
        if (++i === NSIZES) i = 0;
      }
      cursor[4] = i;
      return acc;
    },
  },
  {
    id: "toFixedFloor",
    group: "units",
    label: "(x / 1024 ** k).toFixed(1) + unit (floor)",
    chunk: CHUNK,
    quantum: NSIZES,
    run(k) {
      let acc = 0;
      let i = cursor[5];
      for (let j = 0; j < k; j++) {
        acc += toFixedFloor(SIZES[i]).length;
        if (++i === NSIZES) i = 0;
      }
      cursor[5] = i;
      return acc;
    },
  },
  // 4. a mixed format
  {
    id: "mixedSprintf",
    group: "mixed",
    label: 'sprintf("%s=%d (%.2f%%) %q", …)',
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        const j = i & 3;
        acc += sprintf(
          "%s=%d (%.2f%%) %q",
          NAMES[j],
          COUNTS[j],
          PCTS[j],
          LABELS[j],
        ).length;
      }
      return acc;
    },
  },
  {
    id: "mixedConcat",
    group: "mixed",
    label: "template literal, toFixed, JSON.stringify",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        const j = i & 3;
        acc +=
          `${NAMES[j]}=${COUNTS[j]} (${PCTS[j].toFixed(2)}%) ${
            JSON.stringify(LABELS[j])
          }`.length;
      }
      return acc;
    },
  },
  // 1 again: the cached read once an interval-0 instance has been read.
  {
    id: "cachedShared",
    group: "cached-shared",
    label: "LiveMemUse#toString(), cached, after interval 0",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += cachedMem.toString().length;
      return acc;
    },
  },
  {
    id: "cachedFloorShared",
    group: "cached-shared",
    label: "minimal cached object (floor), same phase",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += floorObj.toString().length;
      return acc;
    },
  },
];

// ---------------------------------------------------------------- ratios

/** A ratio line: subject / baseline, and its budget when SPEC sets one. */
interface Ratio {
  id: string;
  label: string;
  ratio: number;
  budget?: number;
  /** For "faster than every peer": each peer's ratio must be below 1. */
  within?: boolean;
}

const RATIOS: {
  id: string;
  subject: string;
  baseline: string;
  label: string;
  budget?: number;
}[] = [
  {
    id: "cached/floor",
    subject: "cached",
    baseline: "cachedFloor",
    label: "cached toString / minimal cached object",
    budget: 1.2,
  },
  {
    id: "cachedShared/floor",
    subject: "cachedShared",
    baseline: "cachedFloorShared",
    label: "cached toString / floor, after interval 0 ran",
  },
  {
    id: "cached/perfNow",
    subject: "cached",
    baseline: "perfNow",
    label: "cached toString / performance.now()",
  },
  {
    id: "floorClosure/floor",
    subject: "cachedFloorClosure",
    baseline: "cachedFloor",
    label: "floor with closure clock / floor",
  },
  {
    id: "refresh/bare",
    subject: "refresh",
    baseline: "bare",
    label: "refreshing toString / bare memoryUsage() call",
    budget: 1.25,
  },
  {
    id: "iecF1/prettyBytes",
    subject: "iecF1",
    baseline: "prettyBytes",
    label: "%.1f iec / pretty-bytes",
    budget: 1,
  },
  {
    id: "iecF1/filesize",
    subject: "iecF1",
    baseline: "filesize",
    label: "%.1f iec / filesize",
    budget: 1,
  },
  {
    id: "iecF1/bytes",
    subject: "iecF1",
    baseline: "bytes",
    label: "%.1f iec / bytes",
    budget: 1,
  },
  {
    id: "iecF1/floor",
    subject: "iecF1",
    baseline: "toFixedFloor",
    label: "%.1f iec / toFixed floor",
    budget: 1.5,
  },
  {
    id: "iecV/floor",
    subject: "iecV",
    baseline: "toFixedFloor",
    label: "String(iec) / toFixed floor",
  },
  {
    id: "mixed",
    subject: "mixedSprintf",
    baseline: "mixedConcat",
    label: "sprintf mixed / concatenation",
  },
  {
    id: "line",
    subject: "lineWith",
    baseline: "lineWithout",
    label: "log line with mem / without",
  },
  {
    id: "lineFloor",
    subject: "lineWith",
    baseline: "lineWithFloor",
    label: "log line with mem / with the minimal cached object",
  },
];

// ------------------------------------------- cached JSON (issue 14, core)
// toJSON() and toJSONString() between samples, against a cached toString()
// of the same instance; phase 1, before any interval-0 instance is read.
// Budget: a cached toJSON() at most 1.5x a cached toString().
const jsonMem = new LiveMemUse();
phase1.push(
  {
    id: "jsonCached",
    group: "json",
    label: "LiveMemUse#toJSON(), cached",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += jsonMem.toJSON().rss ?? 0;
      return acc;
    },
  },
  {
    id: "jsonStringCached",
    group: "json",
    label: "LiveMemUse#toJSONString(), cached",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += jsonMem.toJSONString().length;
      return acc;
    },
  },
  {
    id: "jsonTextCached",
    group: "json",
    label: "LiveMemUse#toString(), cached, same instance",
    run(k) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += jsonMem.toString().length;
      return acc;
    },
  },
);
RATIOS.push(
  {
    id: "json/text",
    subject: "jsonCached",
    baseline: "jsonTextCached",
    label: "cached toJSON / cached toString",
    budget: 1.5,
  },
  {
    id: "jsonString/text",
    subject: "jsonStringCached",
    baseline: "jsonTextCached",
    label: "cached toJSONString / cached toString",
  },
);

// ---------------------------------------------------------------- main

const pick = (cs: Case[]) => ONLY ? cs.filter((c) => ONLY.has(c.group)) : cs;
const started = performance.now();
const options = { rounds: ROUNDS, batchMs: BATCH_MS, warmupMs: WARMUP_MS };
// Phase 1 is cheap and its differences are a few ns: three times the rounds.
console.error(`${runtime}: phase 1 (${ROUNDS * 3} rounds), then phase 2…`);
const results: CaseResult[] = [
  ...runCases(pick(phase1), { ...options, rounds: ROUNDS * 3 }),
  ...runCases(pick(phase2), options),
];
const elapsed = (performance.now() - started) / 1000;

const ratios: Ratio[] = RATIOS
  .filter((r) =>
    results.some((x) => x.id === r.subject) &&
    results.some((x) => x.id === r.baseline)
  )
  .map((r) => {
    const ratio = pairedRatio(results, r.subject, r.baseline);
    return {
      id: r.id,
      label: r.label,
      ratio,
      budget: r.budget,
      within: r.budget === undefined
        ? undefined
        : r.budget === 1
        ? ratio < 1
        : ratio <= r.budget,
    };
  });

function fmtNs(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

const lines: string[] = [];
lines.push(
  `${version}; ${ROUNDS} rounds (phase 1: ${ROUNDS * 3}) of ~${BATCH_MS} ms; ${
    elapsed.toFixed(1)
  } s`,
);
for (const r of results) {
  const spread = ((r.max - r.min) / r.median * 100).toFixed(0);
  lines.push(
    `  ${r.group.padEnd(13)} ${r.label.padEnd(46)} ${
      fmtNs(r.median).padStart(8)
    } ns/op  (±${spread}% range)`,
  );
}
for (const r of ratios) {
  const mark = r.within === undefined
    ? ""
    : r.within
    ? `  within ${r.budget === 1 ? "< 1" : `≤ ${r.budget}`}`
    : `  OVER ${r.budget === 1 ? "< 1" : `≤ ${r.budget}`}`;
  lines.push(`  ${r.label.padEnd(60)} ${r.ratio.toFixed(3)}x${mark}`);
}
console.log(lines.join("\n"));
console.log(JSON.stringify({
  runtime,
  version,
  bare: bareName,
  rounds: ROUNDS,
  batchMs: BATCH_MS,
  seconds: elapsed,
  results: results.map((r) => ({
    id: r.id,
    group: r.group,
    label: r.label,
    median: r.median,
    min: r.min,
    max: r.max,
    chunk: r.chunk,
    reps: r.reps,
  })),
  ratios,
  sink: sink(),
}));
