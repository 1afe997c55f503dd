/**
 * {@link LiveMemUse}: a log field that prints the live memory use of the
 * process, re-sampled at most once per interval. The JS counterpart of Go's
 * `textui.LiveMemUse`.
 *
 * @module
 */

import { type Breakdown, breakdown, formatBreakdown } from "./breakdown.ts";
import {
  checkBoolean,
  checkFunction,
  checkInterval,
  checkOptions,
  checkSampler,
  option,
} from "./options.ts";
import { isFresh } from "./rate_limit.ts";
import { defaultClock, type RuntimeName } from "./runtime.ts";
import { detectSampler, type MemorySample, type Sampler } from "./samplers.ts";

/**
 * What a subclass adds to each sample (`LiveMemWatch` in `livemem/watch`
 * adds the memory limit, the headroom and the trend): called once per
 * sample, after `breakdown()`, with the breakdown and the sample; it returns
 * the text to append to the line and the figures to add to the JSON, or
 * `undefined` for nothing. A throw leaves the sample as the breakdown made
 * it.
 */
export type SampleExtension = (
  parts: Breakdown,
  sample: MemorySample,
) => SampleExtras | undefined;

/** The additions of a {@link SampleExtension} to one sample. */
export interface SampleExtras {
  /** Appended to the text, such as ` ; memoryLimit=256.0MiB`. */
  readonly text: string;
  /** Added to the JSON after the breakdown's figures. */
  readonly figures: object;
}

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
  inconsistencies?: readonly string[];
};

/**
 * The JSON form of one sample, frozen: it is handed to every caller until
 * the next sample, so none of them can change what the others get. The
 * figures come in the breakdown's order (the whole, its parts, the
 * headroom), then an extension's. Exported for `LiveMemWatch`, which hands
 * `onPressure` the JSON of the sample that crossed.
 *
 * @param runtime The runtime the sampler reads.
 * @param parts The sample's breakdown; without one, the runtime alone.
 * @param extras What an extension added to the sample.
 * @returns The frozen JSON.
 */
export function jsonOf(
  runtime: RuntimeName,
  // Without a sample (the sampler knew nothing), the runtime alone.
  parts: Breakdown = { inconsistencies: [] },
  extras?: SampleExtras,
): Readonly<LiveMemUseJSON> {
  const { inconsistencies, ...figures } = parts;
  const json: LiveMemUseJSON = { runtime, ...figures, ...extras?.figures };
  if (inconsistencies.length > 0) {
    // The breakdown's own list: it is this instance's, made for this sample.
    json.inconsistencies = Object.freeze(inconsistencies);
  }
  return Object.freeze(json);
}

// console.log(mem), util.inspect and Deno.inspect print the text. The hooks
// are put on the prototype by the first constructor call rather than
// declared in the class: a computed key there is code a bundler must keep,
// and importing only `iec` must leave LiveMemUse out. Symbol.for keys, so
// no node: or Deno import is needed.
let inspectHooked = false;
function hookInspect(proto: Record<symbol, unknown>): void {
  inspectHooked = true;
  // `${mem}` and `"" + mem` too (Symbol.toPrimitive): a class with toJSON
  // makes engines look harder for the string conversion (about 40 ns a
  // template on V8); this keeps a cached read at the floor.
  // Deno's console and Deno.inspect honour Node's symbol too (checked on
  // Deno 2.9), so one key serves Node, Bun and Deno: fewer bytes.
  proto[Symbol.for("nodejs.util.inspect.custom")] =
    proto[Symbol.toPrimitive] =
      function (this: LiveMemUse): string {
        return this.toString();
      };
}

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
 *
 * @example JSON for structured loggers, built once per sample
 * ```ts
 * import assert from "node:assert/strict";
 * import { LiveMemUse } from "./live_mem_use.ts";
 * const mem = new LiveMemUse({ interval: 60_000 });
 * const json = mem.toJSON();
 * assert.ok(Object.isFrozen(json) && json === mem.toJSON());
 * assert.equal(mem.toJSONString(), JSON.stringify(json));
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
  #headroom: boolean;
  // Whether a text-only refresh may use the sampler's sampleUse(): the text
  // then shows no peak, and the sampler has the cheaper read.
  #lean: boolean;
  // The current sample. #last is NaN before the first, so the first read
  // samples. #full: whether it came from sample() (with the peak rss), which
  // toJSON() needs. #json and #jsonText are built from it on first use.
  #last = NaN;
  #full = true;
  #runtime: RuntimeName = "unknown";
  #parts: Breakdown | undefined;
  #text = "unavailable";
  #json: Readonly<LiveMemUseJSON> | undefined;
  #jsonText: string | undefined;
  #extend: SampleExtension | undefined;
  #extras: SampleExtras | undefined;

  /**
   * Creates the field; it samples on its first read, not here.
   *
   * @param opts The interval, sampler and clock.
   * @param extension For subclasses: what to add to each sample.
   * @throws {TypeError} When `opts` is not an object, `interval` is not a
   * number, `sampler` has no `sample()` method, `now` is not a function or
   * `headroom` is not a boolean.
   * @throws {RangeError} When `interval` is NaN, infinite or negative.
   */
  constructor(opts: LiveMemUseOptions = {}, extension?: SampleExtension) {
    this.#extend = extension;
    const { interval, sampler, now, headroom } = checkOptions(
      "LiveMemUse",
      opts,
    );
    this.#interval = interval === undefined
      ? undefined
      : checkInterval(option("LiveMemUse", "interval"), interval);
    this.#headroom = checkBoolean(option("LiveMemUse", "headroom"), headroom) ??
      false;
    this.#sampler = checkSampler(option("LiveMemUse", "sampler"), sampler) ??
      detectSampler();
    // By shape: any sampler may offer the cheaper read.
    this.#lean = !this.#headroom &&
      typeof this.#sampler.sampleUse === "function";
    const clock = checkFunction(option("LiveMemUse", "now"), now);
    // Only a user clock can throw or return a non-number (whose valueOf
    // could throw in the freshness check's subtraction); the default one
    // stays unwrapped so a cached read is just the clock read and a
    // comparison.
    this.#now = clock === undefined ? defaultClock() : () => {
      try {
        const t: unknown = clock();
        return typeof t === "number" ? t : NaN;
      } catch {
        return NaN;
      }
    };
    if (!inspectHooked) {
      hookInspect(LiveMemUse.prototype as unknown as Record<symbol, unknown>);
    }
  }

  /**
   * The log text, re-sampled when strictly more than the interval passed
   * since the last sample. Never throws.
   *
   * @returns The text, or `unavailable` when the sampler knows nothing.
   */
  toString(): string {
    const t = this.#now();
    if (!isFresh(this.#last, t, this.#interval ?? LiveMemUse.#updateInterval)) {
      this.#refresh(t, !this.#lean);
    }
    return this.#text;
  }

  /**
   * The same sample as the text, as numbers of bytes for JSON loggers
   * (`JSON.stringify` calls it). Unknown fields are absent. The object is
   * frozen and the same between samples, so a cached read costs about what
   * a cached `toString()` does. Never throws.
   *
   * @returns The runtime, the breakdown in bytes, the peak rss and heap
   * limit where known, and the inconsistencies when there are some.
   */
  toJSON(): Readonly<LiveMemUseJSON> {
    const t = this.#now();
    // A sample taken for the text alone has no peak rss: the JSON takes a
    // full one, once, which the text then shows too.
    if (
      !isFresh(this.#last, t, this.#interval ?? LiveMemUse.#updateInterval) ||
      !this.#full
    ) {
      this.#refresh(t, true);
    }
    return this.#json ??= jsonOf(this.#runtime, this.#parts, this.#extras);
  }

  /**
   * `JSON.stringify(mem.toJSON())`, computed once per sample: for loggers
   * that take a line's fields as text. Never throws.
   *
   * @returns The JSON text of {@link LiveMemUse.toJSON}.
   */
  toJSONString(): string {
    const json = this.toJSON();
    return this.#jsonText ??= JSON.stringify(json);
  }

  #refresh(t: number, full: boolean): void {
    this.#last = t;
    this.#full = full;
    this.#parts =
      this.#json =
      this.#jsonText =
      this.#extras =
        undefined;
    this.#text = "unavailable";
    try {
      const sampler = this.#sampler;
      const runtime: unknown = sampler.runtime;
      this.#runtime = typeof runtime === "string"
        ? runtime as RuntimeName
        : "unknown";
      const sample = full ? sampler.sample() : sampler.sampleUse!();
      if (sample === undefined || sample === null) return;
      const parts = this.#parts = breakdown(sample);
      this.#text = formatBreakdown(parts, this.#headroom);
      const extras = this.#extras = this.#extend?.(parts, sample);
      if (extras) this.#text += extras.text;
    } catch {
      // A hostile sampler or sample: keep "unavailable" and the parts, if any.
    }
  }
}
