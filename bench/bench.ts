/**
 * livemem benchmarks: one program for Deno, Bun and Node >= 22.
 *
 *     deno run -A bench/bench.ts [--rounds N] [--batch-ms N] [--only GROUP,…]
 *     bun bench/bench.ts
 *     node bench/bench.ts
 *
 * The benchmarks are a table of groups (GROUPS, below). A group lists its
 * cases, each under a constant id (its key), and beside them its ratios:
 * subject / baseline, both cases of the same group, with the budget where one
 * is set. A ratio that names no case of its group is a type error for
 * `deno check` and an error at start on every runtime, never a dropped line.
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
import { args, option, runtime, version } from "./runtime_info.ts";

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

const ROUNDS = option("--rounds", 15);
const BATCH_MS = option("--batch-ms", 20);
const WARMUP_MS = option("--warmup-ms", 150);
const onlyArg = args.indexOf("--only");
const ONLY = onlyArg >= 0
  ? new Set((args[onlyArg + 1] ?? "").split(",").filter(Boolean))
  : undefined;

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
// Unit cases walk SIZES in chunks, each from where it stopped (its own slot
// here); a batch is a whole number of passes, so every case formats every
// number equally often.
const CHUNK = 1000;
const at = {
  iecF1: 0,
  iecV: 0,
  prettyBytes: 0,
  filesize: 0,
  bytes: 0,
  floor: 0,
};

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

// ------------------------------------------------------------- the table

/** A case as its group lists it; its id is its key in the group's `cases`. */
type CaseSpec = Omit<Case, "id" | "group">;

/** A budget on a ratio: strictly below a value, or at most a value. */
type Budget = { readonly below: number } | { readonly atMost: number };

/** subject / baseline, both the ids of cases of the same group. */
interface RatioSpec<K extends string> {
  subject: K;
  baseline: K;
  label: string;
  budget?: Budget;
}

/** One group: cases compared with each other, and the ratios between them. */
interface Group<K extends string = string> {
  name: string;
  /** What the group measures, one line for BENCHMARKS.md. */
  title: string;
  /** Phase 1 runs before phase 2 (see PHASES below). */
  phase: 1 | 2;
  cases: Readonly<Record<K, CaseSpec>>;
  /** Its ids come from the keys of `cases` only, never from a ratio. */
  ratios: readonly RatioSpec<NoInfer<K>>[];
  /** How to read the group's figures, for BENCHMARKS.md. */
  notes?: readonly string[];
}

/** A group, typed so that its ratios may only name its own cases. */
function group<K extends string>(g: Group<K>): Group {
  return g as unknown as Group;
}

// Every case spells out its own loop, `for (…) acc += <one call>`, rather
// than handing a callback to a shared loop: one code path per case, so each
// call site sees a single function and receiver and V8 and JSC keep it
// monomorphic (inlined). A shared loop would make its call site megamorphic
// and add the same few ns to every case, hiding the ratios between fast cases
// (bench/harness.ts says more). Hence the repetition below: it is the point.

// Phase 1 runs before any LiveMemUse with interval 0 has been read: a JIT
// shares one compiled toString() between all instances, and an instance that
// re-samples on every read makes it inline the whole refresh path into the
// cached read. Phase 1 is what a process with default intervals sees; the
// "cached-shared" group of phase 2 measures the same read after that.
// Phase 1 is cheap and its differences are a few ns: three times the rounds.
const PHASES = { 1: { roundsFactor: 3 }, 2: { roundsFactor: 1 } } as const;

const cachedMem = new LiveMemUse();
// A field of its own for the json group, read only in phase 1.
const jsonMem = new LiveMemUse();
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

const GROUPS: readonly Group[] = [
  group({
    name: "cached",
    title: "a cached toString() against the least a cached field can cost",
    phase: 1,
    cases: {
      cached: {
        label: "LiveMemUse#toString(), cached",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += cachedMem.toString().length;
          return acc;
        },
      },
      floor: {
        label: "minimal cached object (floor)",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += floorObj.toString().length;
          return acc;
        },
      },
      floorClosure: {
        label: "minimal cached object, clock via closure",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += floorClosure.toString().length;
          return acc;
        },
      },
      perfNow: {
        label: "performance.now()",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += perf.now();
          return acc;
        },
      },
    },
    ratios: [
      {
        subject: "cached",
        baseline: "floor",
        label: "cached toString / minimal cached object",
        budget: { atMost: 1.2 },
      },
      {
        subject: "cached",
        baseline: "perfNow",
        label: "cached toString / performance.now()",
      },
      {
        subject: "floorClosure",
        baseline: "floor",
        label: "floor with closure clock / floor",
      },
    ],
    notes: [
      "The minimal cached object reads a `performance` captured once: on Node the global " +
      "`performance` is a getter that costs ~25 ns a read, which would flatter the ratio.",
    ],
  }),
  group({
    name: "json",
    title: "a cached toJSON() and toJSONString() against a cached toString()",
    phase: 1,
    cases: {
      json: {
        label: "LiveMemUse#toJSON(), cached",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += jsonMem.toJSON().rss ?? 0;
          return acc;
        },
      },
      jsonString: {
        label: "LiveMemUse#toJSONString(), cached",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += jsonMem.toJSONString().length;
          return acc;
        },
      },
      text: {
        label: "LiveMemUse#toString(), cached, same instance",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += jsonMem.toString().length;
          return acc;
        },
      },
    },
    ratios: [
      {
        subject: "json",
        baseline: "text",
        label: "cached toJSON / cached toString",
        budget: { atMost: 1.5 },
      },
      {
        subject: "jsonString",
        baseline: "text",
        label: "cached toJSONString / cached toString",
      },
    ],
  }),
  group({
    name: "line",
    title: "a log line with the field, without it, and with the floor",
    phase: 1,
    cases: {
      withMem: {
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
      withFloor: {
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
      without: {
        label: "the same line without it",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) {
            const j = i & 3;
            acc +=
              `level=info msg="request done" path=/${NAMES[j]} status=${
                200 + j
              }`.length;
          }
          return acc;
        },
      },
    },
    ratios: [
      {
        subject: "withMem",
        baseline: "without",
        label: "log line with mem / without",
      },
      {
        subject: "withMem",
        baseline: "withFloor",
        label: "log line with mem / with the minimal cached object",
      },
    ],
  }),
  group({
    name: "refresh",
    title: "a refreshing toString() against the runtime's own memory call",
    phase: 2,
    cases: {
      refresh: {
        label: "LiveMemUse#toString(), interval 0",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += refreshMem.toString().length;
          return acc;
        },
      },
      bare: {
        label: "bare memoryUsage() call",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += bareMemoryUsage().rss;
          return acc;
        },
      },
    },
    ratios: [
      {
        subject: "refresh",
        baseline: "bare",
        label: "refreshing toString / bare memoryUsage() call",
        budget: { atMost: 1.25 },
      },
    ],
    notes: [
      "The bare call is `Deno.memoryUsage()` on Deno and `process.memoryUsage()` on Bun and Node.",
    ],
  }),
  group({
    name: "refresh-parts",
    title: "the parts of one refresh, each measured alone (no budget)",
    phase: 2,
    cases: {
      sample: {
        label: readLabel,
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += readSample()?.rss ?? 0;
          return acc;
        },
      },
      resourceUsage: {
        label: "process.resourceUsage()",
        run(k) {
          let acc = 0;
          const ru = proc?.resourceUsage;
          if (ru === undefined) return 0;
          for (let i = 0; i < k; i++) acc += ru.call(proc).maxRSS;
          return acc;
        },
      },
      breakdown: {
        label: "breakdown(sample)",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += breakdown(fixedSample).other ?? 0;
          return acc;
        },
      },
      format: {
        label: "formatBreakdown(parts)",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) {
            acc += formatBreakdown(PARTS[i & 255]).length;
          }
          return acc;
        },
      },
      composed: {
        label: "formatBreakdown(breakdown(read))",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) {
            acc += formatBreakdown(breakdown(readSample()!)).length;
          }
          return acc;
        },
      },
    },
    ratios: [],
    notes: [
      "Diagnostics: what one refresh spends in the sampler, `process.resourceUsage()` " +
      "(the peak rss), `breakdown()` and the text.",
    ],
  }),
  group({
    name: "units",
    title: 'sprintf("%.1f", iec(x)) against the peers and a toFixed floor',
    phase: 2,
    // One op = one number, over the same 100,000 sizes.
    cases: {
      iecF1: {
        label: 'sprintf("%.1f", iec(x, "B"))',
        chunk: CHUNK,
        quantum: NSIZES,
        run(k) {
          let acc = 0;
          let i = at.iecF1;
          for (let j = 0; j < k; j++) {
            acc += sprintf("%.1f", iec(SIZES[i], "B")).length;
            if (++i === NSIZES) i = 0;
          }
          at.iecF1 = i;
          return acc;
        },
      },
      iecV: {
        label: 'String(iec(x, "B"))',
        chunk: CHUNK,
        quantum: NSIZES,
        run(k) {
          let acc = 0;
          let i = at.iecV;
          for (let j = 0; j < k; j++) {
            acc += String(iec(SIZES[i], "B")).length;
            if (++i === NSIZES) i = 0;
          }
          at.iecV = i;
          return acc;
        },
      },
      prettyBytes: {
        label: "pretty-bytes (binary)",
        chunk: CHUNK,
        quantum: NSIZES,
        run(k) {
          let acc = 0;
          let i = at.prettyBytes;
          for (let j = 0; j < k; j++) {
            acc += prettyBytes(SIZES[i], PRETTY_OPTS).length;
            if (++i === NSIZES) i = 0;
          }
          at.prettyBytes = i;
          return acc;
        },
      },
      filesize: {
        label: "filesize (base 2)",
        chunk: CHUNK,
        quantum: NSIZES,
        run(k) {
          let acc = 0;
          let i = at.filesize;
          for (let j = 0; j < k; j++) {
            acc += String(filesize(SIZES[i], FILESIZE_OPTS)).length;
            if (++i === NSIZES) i = 0;
          }
          at.filesize = i;
          return acc;
        },
      },
      bytes: {
        label: "bytes",
        chunk: CHUNK,
        quantum: NSIZES,
        run(k) {
          let acc = 0;
          let i = at.bytes;
          for (let j = 0; j < k; j++) {
            acc += (bytes(SIZES[i]) as string).length;
            if (++i === NSIZES) i = 0;
          }
          at.bytes = i;
          return acc;
        },
      },
      floor: {
        label: "(x / 1024 ** k).toFixed(1) + unit (floor)",
        chunk: CHUNK,
        quantum: NSIZES,
        run(k) {
          let acc = 0;
          let i = at.floor;
          for (let j = 0; j < k; j++) {
            acc += toFixedFloor(SIZES[i]).length;
            if (++i === NSIZES) i = 0;
          }
          at.floor = i;
          return acc;
        },
      },
    },
    ratios: [
      {
        subject: "iecF1",
        baseline: "prettyBytes",
        label: "%.1f iec / pretty-bytes",
        budget: { below: 1 },
      },
      {
        subject: "iecF1",
        baseline: "filesize",
        label: "%.1f iec / filesize",
        budget: { below: 1 },
      },
      {
        subject: "iecF1",
        baseline: "bytes",
        label: "%.1f iec / bytes",
        budget: { below: 1 },
      },
      {
        subject: "iecF1",
        baseline: "floor",
        label: "%.1f iec / toFixed floor",
        budget: { atMost: 1.5 },
      },
      {
        subject: "iecV",
        baseline: "floor",
        label: "String(iec) / toFixed floor",
      },
    ],
    notes: [
      "Every case formats the same 100,000 byte counts (seeded, log-uniform from 1 B to 16 TiB), " +
      "a whole number of passes per batch.",
      "Peers are called as documented: `prettyBytes(x, { binary: true })`, " +
      "`filesize(x, { base: 2 })`, `bytes(x)`. The floor is `(x / 1024 ** k).toFixed(1) + unit` " +
      "with k from a loop.",
      "`@std/fmt/bytes` is not compared: it is published on JSR only, which these machines cannot " +
      "reach, and the npm registry has no copy (`npm view @std/fmt` and `npm view @jsr/std__fmt` " +
      "both answer 404).",
    ],
  }),
  group({
    name: "mixed",
    title: "sprintf of a mixed format against a hand-built string (no budget)",
    phase: 2,
    cases: {
      sprintf: {
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
      concat: {
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
    },
    ratios: [
      {
        subject: "sprintf",
        baseline: "concat",
        label: "sprintf mixed / concatenation",
      },
    ],
  }),
  group({
    name: "cached-shared",
    title: "the cached read again, once an interval-0 instance has been read",
    phase: 2,
    cases: {
      cached: {
        label: "LiveMemUse#toString(), cached, after interval 0",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += cachedMem.toString().length;
          return acc;
        },
      },
      floor: {
        label: "minimal cached object (floor), same phase",
        run(k) {
          let acc = 0;
          for (let i = 0; i < k; i++) acc += floorObj.toString().length;
          return acc;
        },
      },
    },
    ratios: [
      {
        subject: "cached",
        baseline: "floor",
        label: "cached toString / floor, after interval 0 ran",
      },
    ],
    notes: [
      'Phase 1 (the "cached" and "line" groups) runs before any `LiveMemUse` with interval 0 is ' +
      "read; this group repeats the cached read in phase 2, when the JIT has seen a re-sampling " +
      "instance share the same `toString()`.",
    ],
  }),
];

// ---------------------------------------------------------------- checks

/**
 * Throws when the table is inconsistent: two groups with one name, a ratio
 * naming a case its group does not have (Bun and Node do not type-check), or
 * `--only` naming a group that does not exist.
 */
function checkTable(groups: readonly Group[], only: Set<string> | undefined) {
  const names = new Set<string>();
  for (const g of groups) {
    if (names.has(g.name)) throw new Error(`bench: two groups named ${g.name}`);
    names.add(g.name);
    for (const r of g.ratios) {
      for (const id of [r.subject, r.baseline]) {
        if (!Object.hasOwn(g.cases, id)) {
          throw new Error(
            `bench: a ratio of group ${g.name} names ${JSON.stringify(id)}, ` +
              `not one of its cases (${Object.keys(g.cases).join(", ")})`,
          );
        }
      }
    }
  }
  const unknown = [...only ?? []].filter((n) => !names.has(n));
  if (unknown.length) {
    throw new Error(
      `bench: --only ${unknown.join(",")}: no such group (${
        [...names].join(", ")
      })`,
    );
  }
}

// ---------------------------------------------------------------- main

/** The harness's case for a group's case: ids are `group.key`. */
function toCases(g: Group): Case[] {
  return Object.entries(g.cases).map(([key, spec]) => ({
    ...spec,
    id: `${g.name}.${key}`,
    group: g.name,
  }));
}

const budgetText = (b: Budget) =>
  "below" in b ? `< ${b.below}` : `≤ ${b.atMost}`;
const withinBudget = (b: Budget, ratio: number) =>
  "below" in b ? ratio < b.below : ratio <= b.atMost;

checkTable(GROUPS, ONLY);
const chosen = GROUPS.filter((g) => ONLY === undefined || ONLY.has(g.name));
const started = performance.now();
const results: CaseResult[] = [];
for (const phase of [1, 2] as const) {
  const rounds = ROUNDS * PHASES[phase].roundsFactor;
  const cases = chosen.filter((g) => g.phase === phase).flatMap(toCases);
  console.error(
    `${runtime}: phase ${phase}, ${cases.length} cases, ${rounds} rounds`,
  );
  if (cases.length === 0) continue;
  results.push(
    ...runCases(cases, { rounds, batchMs: BATCH_MS, warmupMs: WARMUP_MS }),
  );
}
const elapsed = (performance.now() - started) / 1000;

const groups = chosen.map((g) => ({
  name: g.name,
  title: g.title,
  phase: g.phase,
  notes: g.notes ?? [],
  cases: results.filter((r) => r.group === g.name).map((r) => ({
    id: r.id,
    label: r.label,
    median: r.median,
    min: r.min,
    max: r.max,
    chunk: r.chunk,
    reps: r.reps,
  })),
  ratios: g.ratios.map((r) => {
    const ratio = pairedRatio(
      results,
      `${g.name}.${r.subject}`,
      `${g.name}.${r.baseline}`,
    );
    return {
      id: `${g.name}.${r.subject}/${r.baseline}`,
      label: r.label,
      ratio,
      budget: r.budget && budgetText(r.budget),
      within: r.budget && withinBudget(r.budget, ratio),
    };
  }),
}));

function fmtNs(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

const lines: string[] = [];
lines.push(
  `${version}; ${ROUNDS} rounds (phase 1: ${
    ROUNDS * PHASES[1].roundsFactor
  }) of ~${BATCH_MS} ms; ${elapsed.toFixed(1)} s`,
);
for (const g of groups) {
  lines.push(`  ${g.name}: ${g.title}`);
  for (const c of g.cases) {
    const spread = ((c.max - c.min) / c.median * 100).toFixed(0);
    lines.push(
      `    ${c.label.padEnd(48)} ${
        fmtNs(c.median).padStart(8)
      } ns/op  (±${spread}% range)`,
    );
  }
  for (const r of g.ratios) {
    const mark = r.budget === undefined
      ? ""
      : `  ${r.within ? "within" : "OVER"} ${r.budget}`;
    lines.push(`    ${r.label.padEnd(56)} ${r.ratio.toFixed(3)}x${mark}`);
  }
}
console.log(lines.join("\n"));
console.log(JSON.stringify({
  runtime,
  version,
  bare: bareName,
  rounds: ROUNDS,
  batchMs: BATCH_MS,
  seconds: elapsed,
  groups,
  sink: sink(),
}));
