/**
 * Samplers: one per source of memory figures, all behind {@link Sampler},
 * each returning a normalized {@link MemorySample} and never throwing.
 *
 * @module
 */

import { BunNormalizer } from "./bun_figures.ts";
import { describeValue } from "./options.ts";
import { detectRuntime, type Reader, type RuntimeFeatures } from "./runtime.ts";

/** The runtime a sample comes from, found by feature detection. */
export type RuntimeName =
  | "deno"
  | "bun"
  | "node"
  | "workerd"
  | "browser"
  | "unknown";

/**
 * One reading of the memory use of the process, in bytes. A field is absent
 * when the runtime does not really report it (Deno's `arrayBuffers`, rss in
 * a browser): absent means unknown, never 0.
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

/**
 * The sampler of `process.memoryUsage` and `Deno.memoryUsage` (the same
 * fields, with each runtime's quirks handled here). Exported for
 * `LiveMemUse` only: its log text does not show the peak rss, which costs
 * a `process.resourceUsage()` call (about 10% of a sample), so it samples
 * with {@link MemoryUsageSampler.sampleUse} and adds the peak (with
 * {@link MemoryUsageSampler.addPeakRss}) only when `toJSON()` asks for it.
 *
 * @example The Node sampler over a fake `process`
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectRuntime } from "./runtime.ts";
 * import { MemoryUsageSampler, samplerFor } from "./samplers.ts";
 * const usage = { rss: 4096, heapTotal: 2048, heapUsed: 1024, external: 512, arrayBuffers: 256 };
 * const process = {
 *   versions: { node: "24.0.0" },
 *   memoryUsage: () => usage,
 *   resourceUsage: () => ({ maxRSS: 8 }), // KiB
 * };
 * const sampler = samplerFor(detectRuntime({ process }));
 * assert.ok(sampler instanceof MemoryUsageSampler);
 * assert.deepEqual(sampler.sampleUse(), { runtime: "node", ...usage });
 * assert.equal(sampler.sample()?.peakRss, 8192);
 * ```
 */
export class MemoryUsageSampler implements Sampler {
  /** The runtime this sampler reads. */
  readonly runtime: RuntimeName;
  #usage: Reader;
  #features: RuntimeFeatures;
  // heap_size_limit is configuration, not use: read it once.
  #heapLimit: number | undefined | null = null;
  // Bun's figures mean other things: bun_figures.ts turns them round.
  #bun: BunNormalizer | undefined;

  /**
   * Wraps one `memoryUsage` function; use {@link samplerFor} to get one.
   *
   * @param runtime The runtime to report.
   * @param usage `process.memoryUsage` or `Deno.memoryUsage`, bound.
   * @param features Where the peak rss and heap limit come from.
   */
  constructor(runtime: RuntimeName, usage: Reader, features: RuntimeFeatures) {
    this.runtime = runtime;
    this.#usage = usage;
    this.#features = features;
  }

  /**
   * Reads the memory use, the peak rss and the heap limit. Never throws.
   *
   * @returns The sample, or `undefined` when nothing is known.
   */
  sample(): MemorySample | undefined {
    const s = this.sampleUse();
    if (s !== undefined) this.addPeakRss(s);
    return s;
  }

  /**
   * Reads the memory use and the heap limit, without the peak rss. Never
   * throws.
   *
   * @returns The sample, or `undefined` when nothing is known.
   */
  sampleUse(): MemorySample | undefined {
    const raw = read(this.#usage);
    if (raw === undefined) return undefined;
    const s: MemorySample = { runtime: this.runtime };
    try {
      // Field by field rather than in a loop: this is the refresh path.
      const rss = byteCount(raw.rss);
      if (rss !== undefined) s.rss = rss;
      const heapTotal = byteCount(raw.heapTotal);
      if (heapTotal !== undefined) s.heapTotal = heapTotal;
      const heapUsed = byteCount(raw.heapUsed);
      if (heapUsed !== undefined) s.heapUsed = heapUsed;
      const external = byteCount(raw.external);
      if (external !== undefined) s.external = external;
      // Deno's arrayBuffers is always 0: unknown, not zero.
      const arrayBuffers = this.runtime === "deno"
        ? undefined
        : byteCount(raw.arrayBuffers);
      if (arrayBuffers !== undefined) s.arrayBuffers = arrayBuffers;
      if (this.#heapLimit === null) {
        this.#heapLimit = byteCount(
          read(this.#features.heapStatistics)?.heap_size_limit,
        );
      }
      if (this.#heapLimit !== undefined) s.heapLimit = this.#heapLimit;
    } catch {
      // A getter threw: keep the fields read so far.
    }
    if (this.runtime === "bun") {
      return (this.#bun ??= new BunNormalizer()).normalize(s);
    }
    // workerd's nodejs_compat answers with zeros: that is "unavailable".
    return s.rss || s.heapTotal || s.heapUsed || s.external || s.arrayBuffers
      ? s
      : undefined;
  }

  /**
   * Adds the peak rss so far, from `process.resourceUsage().maxRSS`, to a
   * sample or a breakdown of one, where it is known: never below its rss.
   * Never throws.
   *
   * @param s The sample or breakdown, which gets `peakRss`.
   */
  addPeakRss(s: { rss?: number; peakRss?: number }): void {
    try {
      const peak = byteCount(read(this.#features.resourceUsage)?.maxRSS);
      // maxRSS is in KiB.
      if (peak !== undefined) s.peakRss = Math.max(peak * 1024, s.rss ?? 0);
    } catch {
      // A getter threw: the peak stays unknown.
    }
  }
}

// Chromium's performance.memory: heap figures only, pages only.
function performanceMemorySampler(
  runtime: RuntimeName,
  memory: Reader,
): Sampler {
  return {
    runtime,
    sample() {
      const m = read(memory);
      if (m === undefined) return undefined;
      try {
        const s: MemorySample = { runtime };
        const total = byteCount(m.totalJSHeapSize);
        const used = byteCount(m.usedJSHeapSize);
        const limit = byteCount(m.jsHeapSizeLimit);
        if (!total && !used) return undefined;
        if (total !== undefined) s.heapTotal = total;
        if (used !== undefined) s.heapUsed = used;
        if (limit !== undefined) s.heapLimit = limit;
        return s;
      } catch {
        return undefined;
      }
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
  const { name, memoryUsage } = features;
  if (memoryUsage !== undefined) {
    return new MemoryUsageSampler(name, memoryUsage, features);
  }
  if (features.performanceMemory !== undefined) {
    return performanceMemorySampler(name, features.performanceMemory);
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

/**
 * Validates a `sampler` option: `undefined` (the default) or an object with a
 * `sample()` method.
 *
 * @param value The option as given.
 * @returns The sampler, or undefined when none was given.
 * @throws {TypeError} When `value` is neither, naming what it got.
 *
 * @example Accepting and rejecting samplers
 * ```ts
 * import { checkSampler } from "./samplers.ts";
 * const s = { runtime: "unknown" as const, sample: () => undefined };
 * if (checkSampler(s) !== s || checkSampler(undefined) !== undefined) throw new Error();
 * ```
 */
export function checkSampler(value: unknown): Sampler | undefined {
  if (value === undefined) return undefined;
  const sample = typeof value === "object" && value !== null
    ? (value as { sample?: unknown }).sample
    : undefined;
  if (typeof sample === "function") return value as Sampler;
  throw new TypeError(
    `sampler must be an object with a sample() method, got ${
      typeof value === "object" && value !== null
        ? "an object whose sample is " + describeValue(sample)
        : describeValue(value)
    }`,
  );
}
