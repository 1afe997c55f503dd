/**
 * {@link LiveMemUse}: a log field that prints the live memory use of the
 * process, re-sampled at most once per interval. The JS counterpart of Go's
 * `textui.LiveMemUse`.
 *
 * @module
 */

import { type Breakdown, breakdown, formatBreakdown } from "./breakdown.ts";
import { optionError } from "./options.ts";
import { checkClock, checkInterval } from "./rate_limit.ts";
import {
  checkSampler,
  detectSampler,
  MemoryUsageSampler,
  type RuntimeName,
  type Sampler,
} from "./samplers.ts";

/** Options of {@link LiveMemUse}. */
export interface LiveMemUseOptions {
  /**
   * Milliseconds between samples for this instance: a read re-samples only
   * when strictly more than this has passed. A finite number >= 0.
   *
   * @default {LiveMemUse.updateInterval} read at each call, so changing it later takes effect
   */
  interval?: number;
  /**
   * Where the figures come from.
   *
   * @default {detectSampler()} the best sampler for the current runtime
   */
  sampler?: Sampler;
  /**
   * The clock, in milliseconds; only differences matter.
   *
   * @default {performance.now} (monotonic); `Date.now` where there is no `performance`
   */
  now?: () => number;
  /**
   * Whether the text also shows the headroom: the peak rss so far and the
   * heap limit, where the runtime knows them cheaply and without a
   * permission (` ; peak=… ; limit=…` after the whole, see
   * `formatBreakdown`). A sample then also reads the peak rss (about 10%
   * more per sample on Node); a cached read costs the same. `toJSON()`
   * carries `peakRss` and `heapLimit` either way.
   *
   * @default {false}
   */
  headroom?: boolean;
}

/**
 * What {@link LiveMemUse.toJSON} returns: the runtime the sampler reads, and
 * the fields of the {@link Breakdown} that are known, in bytes, with its
 * inconsistencies only when there are some.
 */
export type LiveMemUseJSON = Omit<Breakdown, "inconsistencies"> & {
  /** The runtime the sampler reads. */
  runtime: RuntimeName;
  /** What did not add up, when something did not. */
  inconsistencies?: string[];
};

// Symbol.for keys, so no node: or Deno import is needed to hook inspect.
const nodeInspect: unique symbol = /* @__PURE__ */ Symbol.for(
  "nodejs.util.inspect.custom",
) as never;
const denoInspect: unique symbol = /* @__PURE__ */ Symbol.for(
  "Deno.customInspect",
) as never;

const FIELDS = [
  "rss",
  "heapTotal",
  "heapUsed",
  "heapFree",
  "external",
  "arrayBuffers",
  "other",
  "heapLimit",
  "peakRss",
] as const;

/**
 * A value that stringifies as the current memory use of the process, for log
 * lines: `rss=63.8MiB (heap=15.3MiB (used:10.2MiB + free:5.1MiB) ; external=50.6MiB (arrayBuffers:50.0MiB) ; other=-2.1MiB)`.
 *
 * Sampling costs microseconds, so it happens on the first read and then only
 * when strictly more than the interval passed; between samples a read
 * returns the stored text (one clock read). `toString()`, `toJSON()` and
 * `console.log` never throw: when the sampler fails, the text is
 * `unavailable`.
 *
 * @example Putting it on every log line
 * ```ts
 * import { LiveMemUse } from "./live_mem_use.ts";
 * const mem = new LiveMemUse();
 * const line = `step 3 mem=${mem}`;
 * if (!/^step 3 mem=rss=[\d,.]+[KMG]iB \(heap=/.test(line)) throw new Error(line);
 * ```
 *
 * @example Headroom: the peak rss and the heap limit in the text
 * ```ts
 * import { LiveMemUse } from "./live_mem_use.ts";
 * const mem = new LiveMemUse({ headroom: true });
 * // Deno and Node know both; Bun knows the peak only.
 * const text = String(mem);
 * if (!/\) ; peak=[\d,.]+[KMG]iB( ; limit=[\d,.]+[KMG]iB)?$/.test(text)) throw new Error(text);
 * ```
 *
 * @example A fixed sampler, for a deterministic text
 * ```ts
 * import assert from "node:assert/strict";
 * import { LiveMemUse } from "./live_mem_use.ts";
 * const MiB = 2 ** 20;
 * const mem = new LiveMemUse({
 *   sampler: {
 *     runtime: "node",
 *     sample: () => ({
 *       runtime: "node", rss: 64 * MiB, heapTotal: 16 * MiB, heapUsed: 10 * MiB,
 *       external: 40 * MiB, arrayBuffers: 32 * MiB,
 *     }),
 *   },
 * });
 * assert.equal(
 *   String(mem),
 *   "rss=64.0MiB (heap=16.0MiB (used:10.0MiB + free:6.0MiB) ; external=40.0MiB (arrayBuffers:32.0MiB) ; other=8.0MiB)",
 * );
 * assert.equal(mem.toJSON().other, 8 * MiB);
 * ```
 */
export class LiveMemUse {
  static #updateInterval = 1000;

  /**
   * Milliseconds between samples for instances without their own `interval`
   * (Go's `LiveMemUseUpdateInterval`). Read at each call, so a change takes
   * effect on the next read.
   *
   * @default {1000}
   * @throws {TypeError} When set to something that is not a number.
   * @throws {RangeError} When set to NaN, an infinite or a negative number.
   */
  static get updateInterval(): number {
    return LiveMemUse.#updateInterval;
  }
  static set updateInterval(ms: number) {
    LiveMemUse.#updateInterval = checkInterval("LiveMemUse.updateInterval", ms);
  }

  #sampler: Sampler;
  #interval: number | undefined;
  #now: () => number;
  // NaN: never sampled, so the first read samples.
  #last = NaN;
  #text = "unavailable";
  #parts: Breakdown | undefined;
  #runtime: RuntimeName = "unknown";
  #headroom: boolean;
  // Without headroom the text does not show the peak rss: the built-in
  // sampler then samples without it (#split), and toJSON() adds it, once
  // per sample (#peakDue).
  #split: boolean;
  #peakDue = false;

  /**
   * Creates the field; it samples on its first read, not here.
   *
   * @param opts The interval, sampler and clock.
   * @throws {TypeError} When `opts` is not an object, `interval` is not a
   * number, `sampler` has no `sample()` method, `now` is not a function or
   * `headroom` is not a boolean.
   * @throws {RangeError} When `interval` is NaN, infinite or negative.
   */
  constructor(opts: LiveMemUseOptions = {}) {
    if (typeof opts !== "object" || opts === null) {
      throw optionError("options", "an object", opts);
    }
    const { interval, sampler, now, headroom } = opts;
    this.#interval = interval === undefined
      ? undefined
      : checkInterval("interval", interval);
    if (headroom !== undefined && typeof headroom !== "boolean") {
      throw optionError("headroom", "a boolean", headroom);
    }
    this.#headroom = headroom === true;
    this.#sampler = checkSampler(sampler) ?? detectSampler();
    this.#split = this.#sampler instanceof MemoryUsageSampler && !headroom;
    const clock = checkClock(now);
    // Only a user clock can throw or return a non-number (whose valueOf
    // could throw in toString's subtraction); the default one stays
    // unwrapped so the cached read is just the clock read and a comparison.
    this.#now = now === undefined ? clock : () => {
      try {
        const t: unknown = clock();
        return typeof t === "number" ? t : NaN;
      } catch {
        return NaN;
      }
    };
  }

  /**
   * The log text, re-sampled when strictly more than the interval passed
   * since the last sample. Never throws.
   *
   * @returns The text, or `unavailable` when the sampler knows nothing.
   */
  toString(): string {
    const t = this.#now();
    const elapsed = t - this.#last;
    const interval = this.#interval ?? LiveMemUse.#updateInterval;
    // NaN (first read, bad clock), a clock going back and interval 0 all
    // re-sample.
    if (elapsed >= 0 && elapsed <= interval && interval > 0) return this.#text;
    this.#refresh(t);
    return this.#text;
  }

  #refresh(t: number): void {
    this.#last = t;
    this.#parts = undefined;
    this.#peakDue = false;
    this.#text = "unavailable";
    try {
      const sampler = this.#sampler;
      const runtime: unknown = sampler.runtime;
      this.#runtime = typeof runtime === "string"
        ? runtime as RuntimeName
        : "unknown";
      const sample = this.#split
        ? (sampler as MemoryUsageSampler).sampleUse()
        : sampler.sample();
      if (sample === undefined || sample === null) return;
      this.#peakDue = this.#split;
      this.#parts = breakdown(sample);
      this.#text = formatBreakdown(this.#parts, this.#headroom);
    } catch {
      // A hostile sampler or sample: keep "unavailable" and the parts, if any.
    }
  }

  /**
   * The same sample as the text, as numbers of bytes for JSON loggers
   * (`JSON.stringify` calls it). Unknown fields are absent. Never throws.
   *
   * @returns The runtime, the breakdown in bytes, the peak rss and heap
   * limit where known, and the inconsistencies when there are some.
   */
  toJSON(): LiveMemUseJSON {
    this.toString();
    const json: LiveMemUseJSON = { runtime: this.#runtime };
    const parts = this.#parts;
    if (parts === undefined) return json;
    if (this.#peakDue) {
      this.#peakDue = false;
      (this.#sampler as MemoryUsageSampler).addPeakRss(parts);
    }
    for (const k of FIELDS) {
      const v = parts[k];
      if (v !== undefined) json[k] = v;
    }
    if (parts.inconsistencies.length > 0) {
      json.inconsistencies = [...parts.inconsistencies];
    }
    return json;
  }

  /**
   * `${mem}` and `"" + mem` print the text. Defined because a class with
   * `toJSON` makes engines look harder for the string conversion (about
   * 40 ns a template on V8); this keeps a cached read at the floor.
   *
   * @returns The same text as `toString()`.
   */
  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  /**
   * Node and Bun: `console.log(mem)` and `util.inspect` print the text.
   *
   * @returns The same text as `toString()`.
   */
  [nodeInspect](): string {
    return this.toString();
  }

  /**
   * Deno: `console.log(mem)` and `Deno.inspect` print the text.
   *
   * @returns The same text as `toString()`.
   */
  [denoInspect](): string {
    return this.toString();
  }
}
