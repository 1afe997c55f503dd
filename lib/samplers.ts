/**
 * Samplers: one per source of memory figures, all behind {@link Sampler}.
 * A sampler reads and never throws; it hands on the figures as its runtime
 * reported them, with the runtime's own meaning applied (Deno's constant
 * `arrayBuffers` 0 is dropped, workerd's all-zero answer is no sample).
 * Judging the figures (NaN, negative, all
 * zeros, inconsistent) is `breakdown()`'s job, once, for every sampler.
 *
 * @module
 */

import { bunNormalizer } from "./bun_figures.ts";
import {
  detectRuntime,
  type Reader,
  type RuntimeFeatures,
  type RuntimeName,
} from "./runtime.ts";

/**
 * One reading of the memory use of the process, in bytes, as the runtime
 * reported it (`breakdown()` checks each figure). A field is absent when
 * the runtime does not really report it (Deno's `arrayBuffers`, rss in a
 * browser): absent means unknown, never 0.
 */
export interface MemorySample {
  /** The runtime the sample comes from. */
  runtime: RuntimeName;
  /** Resident set size of the process. */
  rss?: number;
  /** Size of the JS heap. */
  heapTotal?: number;
  /** Part of the heap in use (on Bun, as of the last GC: see `heapAsOf`). */
  heapUsed?: number;
  /** Memory outside the heap owned by JS objects (ArrayBuffers, strings…). */
  external?: number;
  /** Part of `external` held by ArrayBuffers and SharedArrayBuffers. */
  arrayBuffers?: number;
  /** Largest size the heap may grow to. */
  heapLimit?: number;
  /** Peak resident set size of the process so far. */
  peakRss?: number;
  /**
   * `"lastGC"` when the heap figures are as of the last garbage collection
   * rather than now: on Bun, `heapUsed`, and the part of `external` that
   * the collector counts when it visits typed arrays, Buffers and strings
   * (see bun_figures.ts). Absent: the figures are as of the sample.
   */
  heapAsOf?: "lastGC";
}

/** A source of memory samples. */
export interface Sampler {
  /** The runtime this sampler reads. */
  readonly runtime: RuntimeName;
  /**
   * Reads the memory use now. Returns `undefined` when nothing is known;
   * must not throw.
   */
  sample(): MemorySample | undefined;
  /**
   * Optional: reads the memory use now without the figures that cost more
   * than the use itself (the peak rss). `LiveMemUse` calls it, when it is a
   * function, for a text that does not show them, and calls `sample()` when
   * it needs them. Returns `undefined` when nothing is known; must not
   * throw.
   */
  sampleUse?(): MemorySample | undefined;
}

/**
 * Validates one figure: runtimes and custom samplers may hand over NaN,
 * negative numbers or strings, and those mean "unknown", not a size.
 *
 * @param v Any value.
 * @returns `v` if it is a finite number >= 0 (with -0 as 0), else `undefined`.
 *
 * @example Valid and invalid figures
 * ```ts
 * import { byteCount } from "./samplers.ts";
 * if (byteCount(1024) !== 1024 || byteCount(NaN) !== undefined) throw new Error();
 * if (byteCount(-1) !== undefined || byteCount("1") !== undefined) throw new Error();
 * ```
 */
export function byteCount(v: unknown): number | undefined {
  return typeof v === "number" && v >= 0 && v !== Infinity ? v + 0 : undefined;
}

/**
 * The peak rss so far: the one place that keeps it. The function it
 * returns notes a figure (invalid ones are ignored) and returns the largest
 * of the peaks and rss values noted, 0 while none: never below an rss seen
 * before, even when a runtime's own peak lags behind.
 */
function peakRss(): (figure: unknown) => number {
  let bytes = 0;
  return (figure) => {
    const v = byteCount(figure);
    if (v !== undefined && v > bytes) bytes = v;
    return bytes;
  };
}

type Fields = Record<string, unknown>;

function read(reader: Reader | undefined): Fields | undefined {
  if (reader === undefined) return undefined;
  try {
    const v = reader();
    return typeof v === "object" && v !== null ? v as Fields : undefined;
  } catch {
    return undefined;
  }
}

// The sampler of process.memoryUsage and Deno.memoryUsage (the same fields,
// with each runtime's quirks handled here). Its sampleUse() leaves out the
// peak rss, which costs a process.resourceUsage() call (about 10% of a
// sample), for a LiveMemUse text that does not show it. A closure rather
// than a class: its state needs no `this.#` at every use, which keeps the
// bundle smaller.
function memoryUsageSampler(
  runtime: RuntimeName,
  usage: Reader,
  features: Pick<RuntimeFeatures, "heapStatistics" | "resourceUsage">,
): Sampler {
  const peak = peakRss();
  // heap_size_limit is configuration, not use: read it once (null: not yet).
  let heapLimit: unknown = null;
  // Bun's figures mean other things: bun_figures.ts turns them round.
  let bun: ReturnType<typeof bunNormalizer> | undefined;
  const sampleUse = (): MemorySample | undefined => {
    const raw = read(usage);
    if (raw === undefined) return undefined;
    const s: MemorySample = { runtime };
    try {
      // Field by field, each kept as soon as it is read (a later getter may
      // throw), rather than in a loop: this is the refresh path, and a loop
      // over the names makes every access a keyed one (several times
      // slower on V8).
      const rss = raw.rss as number | undefined;
      if (rss !== undefined) s.rss = rss;
      const heapTotal = raw.heapTotal as number | undefined;
      if (heapTotal !== undefined) s.heapTotal = heapTotal;
      const heapUsed = raw.heapUsed as number | undefined;
      if (heapUsed !== undefined) s.heapUsed = heapUsed;
      const external = raw.external as number | undefined;
      if (external !== undefined) s.external = external;
      // Deno's arrayBuffers is always 0: unknown, not zero.
      const arrayBuffers = runtime === "deno"
        ? undefined
        : raw.arrayBuffers as number | undefined;
      if (arrayBuffers !== undefined) s.arrayBuffers = arrayBuffers;
      if (heapLimit === null) {
        heapLimit = read(features.heapStatistics)?.heap_size_limit;
      }
      if (heapLimit !== undefined) s.heapLimit = heapLimit as number;
    } catch {
      // A getter threw: keep the fields read so far.
    }
    peak(s.rss);
    if (runtime === "bun") {
      // The figures as read: breakdown() judges them, as for every runtime,
      // and the normalizer computes only with byte counts.
      return (bun ??= bunNormalizer())(s);
    }
    // workerd's nodejs_compat answers with zeros: that is "unavailable".
    return s.rss || s.heapTotal || s.heapUsed || s.external || s.arrayBuffers
      ? s
      : undefined;
  };
  return {
    runtime,
    // The use, the heap limit and the peak rss (from resourceUsage().maxRSS,
    // in KiB; known only where the runtime reports it).
    sample(): MemorySample | undefined {
      const s = sampleUse();
      if (s === undefined) return undefined;
      try {
        const maxRSS = byteCount(read(features.resourceUsage)?.maxRSS);
        if (maxRSS !== undefined) s.peakRss = peak(maxRSS * 1024);
      } catch {
        // A getter threw: the peak stays unknown.
      }
      return s;
    },
    sampleUse,
  };
}

/**
 * Tracks the peak rss of any sampler: each sample gets `peakRss`, the
 * largest of the peaks and rss values it has reported so far (absent while
 * none is known). The reporter wraps its sampler in it; the built-in
 * sampler keeps its own peak the same way, but only where the runtime
 * reports one.
 *
 * @param sampler The sampler to follow.
 * @returns A sampler whose samples carry the peak so far (copies: a sampler
 * may hand out the same, even frozen, object each time).
 *
 * @example The peak of a sampler that reports none
 * ```ts
 * import assert from "node:assert/strict";
 * import { trackPeak } from "./samplers.ts";
 * let rss = 64;
 * const s = trackPeak({ runtime: "node", sample: () => ({ runtime: "node", rss }) });
 * assert.equal(s.sample()?.peakRss, 64);
 * rss = 32;
 * assert.equal(s.sample()?.peakRss, 64);
 * ```
 */
export function trackPeak(sampler: Sampler): Sampler {
  const peak = peakRss();
  return {
    get runtime(): RuntimeName {
      return sampler.runtime;
    },
    sample(): MemorySample | undefined {
      const s = sampler.sample();
      if (typeof s !== "object" || s === null) return s;
      peak(s.rss);
      const bytes = peak(s.peakRss);
      return bytes > 0 ? { ...s, peakRss: bytes } : s;
    },
  };
}

/**
 * A sampler that knows nothing, for runtimes without a memory API.
 *
 * @param runtime The runtime to report.
 * @default runtime "unknown"
 * @returns A sampler whose `sample()` always returns `undefined`.
 *
 * @example An unavailable sampler
 * ```ts
 * import { unavailableSampler } from "./samplers.ts";
 * const s = unavailableSampler("workerd");
 * if (s.sample() !== undefined || s.runtime !== "workerd") throw new Error();
 * ```
 */
export function unavailableSampler(runtime: RuntimeName = "unknown"): Sampler {
  return { runtime, sample: () => undefined };
}

/**
 * The best sampler for the runtime whose features are given: `Deno.memoryUsage`
 * on Deno, `process.memoryUsage` on Node and Bun (and wherever it exists),
 * `performance.memory` in Chromium pages, else an unavailable one.
 *
 * @param features The features found by `detectRuntime`.
 * @returns A sampler; it never throws.
 *
 * @example A sampler for a fake workerd scope whose memoryUsage returns zeros
 * ```ts
 * import { detectRuntime } from "./runtime.ts";
 * import { samplerFor } from "./samplers.ts";
 * const zeros = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
 * const scope = { WebSocketPair() {}, process: { memoryUsage: () => zeros } };
 * const s = samplerFor(detectRuntime(scope));
 * if (s.runtime !== "workerd" || s.sample() !== undefined) throw new Error();
 * ```
 */
export function samplerFor(features: RuntimeFeatures): Sampler {
  const { name, memoryUsage, performanceMemory: memory } = features;
  if (memoryUsage !== undefined) {
    return memoryUsageSampler(name, memoryUsage, features);
  }
  if (memory !== undefined) {
    // Chromium's performance.memory (pages only): heap figures under other
    // names, read by the same sampler rather than one of its own (fewer
    // bytes in the bundle). A throw or a missing object is no sample, and
    // the limit is read once, like V8's heap_size_limit.
    return memoryUsageSampler(name, () => {
      const m = memory() as Fields;
      return { heapTotal: m.totalJSHeapSize, heapUsed: m.usedJSHeapSize };
    }, {
      heapStatistics: () => ({
        heap_size_limit: (memory() as Fields).jsHeapSizeLimit,
      }),
    });
  }
  return unavailableSampler(name);
}

/**
 * Returns the best sampler for the current runtime, found by feature
 * detection when called (never at import). It needs no Deno permission.
 *
 * @returns A sampler for the current runtime; it never throws.
 *
 * @example Sampling the current process
 * ```ts
 * import { detectSampler } from "./samplers.ts";
 * const sampler = detectSampler();
 * const sample = sampler.sample();
 * // On Deno, Bun and Node the rss is known.
 * if ((sample?.rss ?? 0) <= 0) throw new Error("no rss");
 * ```
 */
export function detectSampler(): Sampler {
  return samplerFor(detectRuntime());
}
