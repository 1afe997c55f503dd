/**
 * {@link LiveMemWatch}: a {@link LiveMemUse} that also knows the limit that
 * will stop the process, the bytes left before it, the pressure on it, the
 * trend of the heap after collection, and what one step changed. Its own
 * module (the `livemem/watch` entry), so that `LiveMemUse` alone stays
 * small.
 *
 * @module
 */

import { breakdown } from "./breakdown.ts";
import { figure, signedFigure } from "./figure.ts";
import {
  formatHeadroom,
  type HeadroomFigures,
  headroomOf,
  nearer,
  usedFraction,
} from "./headroom.ts";
import {
  jsonOf,
  LiveMemUse,
  type LiveMemUseJSON,
  type LiveMemUseOptions,
} from "./live_mem_use.ts";
import {
  type MemoryDelta,
  memoryDelta,
  type MemoryMark,
} from "./memory_delta.ts";
import {
  checkBoolean,
  checkFunction,
  checkInterval,
  checkNumber,
  checkOptions,
  checkSampler,
  option,
  optionError,
} from "./options.ts";
import {
  type PressureLevel,
  pressureLevels,
  type PressureOptions,
} from "./pressure.ts";
import { containerLimit, type RuntimeName } from "./runtime.ts";
import {
  byteCount,
  detectSampler,
  type MemorySample,
  type Sampler,
} from "./samplers.ts";

// A crossing not yet reported: its level and the JSON of its sample.
interface Crossing {
  level?: PressureLevel;
  json?: Readonly<LiveMemWatchJSON>;
}

/** What the `trend` option takes: a `HeapTrend` from `heapTrend()`. */
export interface TrendSource {
  /**
   * The trend's figures as of `sample`, the sample just taken. May throw
   * (then no trend in that sample).
   */
  snapshot(sample: MemorySample): TrendFigures | undefined;
}

/** A trend's figures. */
export interface TrendFigures {
  /** The heap used after the last observed collection, bytes. */
  liveHeap?: number;
  /**
   * Bytes per minute: least-squares slope of the post-collection heap over
   * the window.
   */
  trend?: number;
  /** Whether the post-collection heap kept growing (the leak rule). */
  leak?: boolean;
}

/**
 * What {@link LiveMemWatch.toJSON} returns: {@link LiveMemUseJSON}, then the
 * headroom and, with a trend, its figures, each where known.
 */
export type LiveMemWatchJSON =
  & LiveMemUseJSON
  & HeadroomFigures
  & TrendFigures;

/** Options of {@link LiveMemWatch}: those of `LiveMemUse`, and more. */
export interface LiveMemWatchOptions extends LiveMemUseOptions {
  /**
   * A limit on rss in bytes, for platforms that have one but no API for it
   * (Cloudflare Workers: 128 MiB per isolate; Deno Deploy; Supabase Edge):
   * `memoryLimit` is then the smaller of it and the container's limit. A
   * finite number > 0.
   *
   * @default {undefined} the container's limit only, where the runtime gives it
   */
  limit?: number;
  /**
   * Called when the fraction of the nearest limit in use crosses into
   * `warn` or `critical`, and back to `ok` (see `pressure`), with the new
   * level and the JSON of the sample that crossed: once per crossing, after
   * the read that sampled it. Checked at each sample, so only while the
   * field is read. Its exceptions and rejections are dropped. With it,
   * every sample is a full one (with the peak rss, about 10% more a sample
   * on Node), so the JSON of a crossing is whole.
   *
   * @default {undefined}
   */
  onPressure?: (
    level: PressureLevel,
    json: Readonly<LiveMemWatchJSON>,
  ) => unknown;
  /**
   * The thresholds of `onPressure`: fractions of the nearest limit in use,
   * `max(heapUsed / heapLimit, rss / memoryLimit)`.
   *
   * @default {{ warn: 0.8, critical: 0.95, margin: 0.05 }}
   */
  pressure?: PressureOptions;
  /**
   * A trend of the heap after garbage collection, from `heapTrend()`: adds
   * `liveHeap`, `trend` (bytes per minute) and `leak` to the JSON and
   * ` ; live=… trend=+1.2MiB/min` to the text. Without it nothing watches
   * the collections.
   *
   * @default {undefined}
   */
  trend?: TrendSource;
}

/**
 * A {@link LiveMemUse} that also watches the limits: its JSON adds
 * `memoryLimit` (the limit on rss: the container's, or the `limit` option)
 * and `headroom` (bytes left before the nearest limit), and with `headroom:
 * true` its text ends with ` ; memoryLimit=… ; headroom=…` where a memory
 * limit is known (without one, the headroom is `limit` minus `used`, both
 * on the line already). It can call
 * `onPressure` when the use crosses a threshold, show the trend of the heap
 * after collection (`trend: heapTrend()`), and tell what a step changed
 * ({@link LiveMemWatch.mark}, {@link LiveMemWatch.since}).
 *
 * @example A platform's limit, and the headroom left
 * ```ts
 * import assert from "node:assert/strict";
 * import { LiveMemWatch } from "@livemem/livemem/watch";
 * const mem = new LiveMemWatch({ limit: 128 * 2 ** 20, headroom: true });
 * const json = mem.toJSON();
 * assert.ok(json.memoryLimit! <= 128 * 2 ** 20);
 * assert.ok(json.headroom! <= json.memoryLimit! - json.rss!);
 * assert.match(String(mem), / ; memoryLimit=[\d.]+MiB ; headroom=/);
 * ```
 *
 * @example Pressure, once per crossing
 * ```ts
 * import assert from "node:assert/strict";
 * import { LiveMemWatch } from "@livemem/livemem/watch";
 * const MiB = 2 ** 20;
 * let rss = 50 * MiB;
 * const levels: string[] = [];
 * const mem = new LiveMemWatch({
 *   interval: 0,
 *   limit: 100 * MiB,
 *   sampler: { runtime: "node", sample: () => ({ runtime: "node", rss }) },
 *   onPressure: (level) => void levels.push(level),
 * });
 * for (const mib of [50, 80, 79, 81, 96, 94, 60]) {
 *   rss = mib * MiB;
 *   String(mem);
 * }
 * assert.deepEqual(levels, ["warn", "critical", "ok"]);
 * ```
 */
export class LiveMemWatch extends LiveMemUse {
  #sampler: Sampler;
  #onPressure: LiveMemWatchOptions["onPressure"];
  // The level the last sample crossed into and its JSON, until onPressure
  // is called.
  #crossing: Crossing;

  /**
   * Creates the field; it samples on its first read, not here.
   *
   * @param opts The options of `LiveMemUse`, the limit, pressure and trend.
   * @throws {TypeError} When an option of `LiveMemUse` is wrong, `limit` is
   * not a number, `onPressure` is not a function, `pressure` is not an
   * object or `trend` has no `snapshot()` method.
   * @throws {RangeError} When an option of `LiveMemUse` is out of range,
   * `limit` is not finite and > 0, or a `pressure` threshold is not from 0
   * to 1 (`warn` below `critical`).
   */
  constructor(opts: LiveMemWatchOptions = {}) {
    const { limit, onPressure, trend, headroom } = checkOptions(
      "LiveMemWatch",
      opts,
    );
    const name = (key: string) => option("LiveMemWatch", key);
    if (limit !== undefined) {
      checkNumber(
        name("limit"),
        limit,
        "a size in bytes > 0",
        (v) => v > 0 && v < Infinity,
      );
    }
    // LiveMemUse's own options, checked here too so a message names the
    // class the program constructs.
    if (opts.interval !== undefined) {
      checkInterval(name("interval"), opts.interval);
    }
    checkFunction(name("now"), opts.now);
    checkBoolean(name("headroom"), headroom);
    // Checked even without onPressure: a mistyped threshold is a mistake.
    const step = pressureLevels(opts.pressure, name);
    checkFunction(name("onPressure"), onPressure);
    if (
      trend !== undefined &&
      typeof (trend as Partial<TrendSource> | null)?.snapshot !== "function"
    ) {
      throw optionError(name("trend"), "a value from heapTrend()", trend);
    }
    const sampler = checkSampler(name("sampler"), opts.sampler) ??
      detectSampler();
    // The container's limit is configuration: read once.
    let container: number | undefined;
    let read = false;
    const crossing: Crossing = {};
    // With onPressure every sample is a full one (with the peak rss), so
    // the JSON of a crossing is whole: no cheaper text-only samples.
    const reads: Sampler = onPressure === undefined ? sampler : {
      get runtime() {
        return sampler.runtime;
      },
      sample: () => sampler.sample(),
    };
    super({ ...opts, sampler: reads }, (parts, sample) => {
      if (!read) {
        read = true;
        container = containerLimit();
      }
      // 0, like no number, is no limit.
      const own = byteCount(sample.memoryLimit) || undefined;
      const memoryLimit = nearer(nearer(own, container), limit);
      const figures: HeadroomFigures & TrendFigures = headroomOf(
        parts,
        memoryLimit,
      );
      let text = headroom === true ? formatHeadroom(figures) : "";
      if (trend !== undefined) text += addTrend(figures, trend, sample);
      const extras = { text, figures };
      const level = step(usedFraction(parts, memoryLimit));
      if (level !== undefined) {
        // This sample's JSON: a read inside the callback may sample again.
        const runtime: unknown = sampler.runtime;
        crossing.level = level;
        crossing.json = jsonOf(
          typeof runtime === "string" ? runtime as RuntimeName : "unknown",
          parts,
          extras,
        );
      }
      return extras;
    });
    this.#sampler = sampler;
    this.#onPressure = onPressure;
    this.#crossing = crossing;
  }

  /**
   * The log text, as `LiveMemUse`'s, with ` ; memoryLimit=… ; headroom=…`
   * (with `headroom: true` and a memory limit known) and the trend, where
   * known. Never throws.
   *
   * @returns The text, or `unavailable` when the sampler knows nothing.
   */
  override toString(): string {
    const text = super.toString();
    this.#alarm();
    return text;
  }

  /**
   * The JSON of the sample, as `LiveMemUse`'s, with `memoryLimit`,
   * `headroom` and the trend's figures, where known. Never throws.
   *
   * @returns The frozen JSON of the current sample.
   */
  override toJSON(): Readonly<LiveMemWatchJSON> {
    const json = super.toJSON() as Readonly<LiveMemWatchJSON>;
    this.#alarm();
    return json;
  }

  // Calls onPressure after a crossing: the extension runs inside a read,
  // the callback after it, when the sample is whole (a read inside the
  // callback sees all of it). Nothing the callback does reaches the program.
  #alarm(): void {
    const { level, json } = this.#crossing;
    if (level === undefined) return;
    this.#crossing.level = this.#crossing.json = undefined;
    if (this.#onPressure === undefined) return;
    try {
      const r = this.#onPressure(level, json!) as
        | PromiseLike<unknown>
        | undefined;
      if (typeof r?.then === "function") r.then(undefined, () => {});
    } catch {
      // Dropped: a callback's failure is not the program's.
    }
  }

  /**
   * Records the memory use now, for {@link LiveMemWatch.since}: a fresh
   * sample, not the cached one. Never throws.
   *
   * @returns The rss, heap used and external bytes, where known (frozen).
   *
   * @example The memory one step kept
   * ```ts
   * import { LiveMemWatch } from "@livemem/livemem/watch";
   * const mem = new LiveMemWatch();
   * const start = mem.mark();
   * const kept = new Float64Array(1_000_000);
   * const line = `step done ${mem.since(start)}`;
   * if (!/^step done Δrss=[+-][\d,.]+(B|[KMG]iB) Δheap=/.test(line) || !kept) throw new Error(line);
   * ```
   */
  mark(): MemoryMark {
    const mark: { -readonly [K in keyof MemoryMark]: number } = {};
    try {
      const sampler = this.#sampler;
      // A mark needs no peak rss: the cheaper read where there is one.
      const sample = typeof sampler.sampleUse === "function"
        ? sampler.sampleUse()
        : sampler.sample();
      if (sample !== undefined && sample !== null) {
        const { rss, heapUsed, external } = breakdown(sample);
        if (rss !== undefined) mark.rss = rss;
        if (heapUsed !== undefined) mark.heapUsed = heapUsed;
        if (external !== undefined) mark.external = external;
      }
    } catch {
      // A hostile sampler: a mark that knows nothing.
    }
    return Object.freeze(mark);
  }

  /**
   * What changed since `mark`, from a fresh sample: prints
   * `Δrss=+8.0MiB Δheap=+3.2MiB Δexternal=+0.0B`; its `toJSON()` gives the
   * differences in bytes. A figure either sample lacks is left out.
   *
   * @param mark A mark from {@link LiveMemWatch.mark} (of any instance).
   * @returns The differences.
   * @throws {TypeError} When `mark` is not an object.
   */
  since(mark: MemoryMark): MemoryDelta {
    if (typeof mark !== "object" || mark === null) {
      throw optionError("LiveMemWatch.since: mark", "a mark from mark()", mark);
    }
    return memoryDelta(mark, this.mark());
  }
}

// The trend's figures, checked (a byte count, a finite rate, a boolean),
// into `figures`; returns their text.
function addTrend(
  figures: TrendFigures,
  trend: TrendSource,
  sample: MemorySample,
): string {
  let got: TrendFigures | undefined;
  try {
    got = trend.snapshot(sample);
  } catch {
    return "";
  }
  if (typeof got !== "object" || got === null) return "";
  const { liveHeap, trend: rate, leak } = got;
  let text = "";
  const live = byteCount(liveHeap);
  if (live !== undefined) {
    figures.liveHeap = live;
    text += " live=" + figure(live);
  }
  if (typeof rate === "number" && rate - rate === 0) {
    figures.trend = rate;
    text += " trend=" + signedFigure(rate) + "/min";
  }
  if (typeof leak === "boolean") {
    figures.leak = leak;
    if (leak) text += " leak=true";
  }
  return text && " ;" + text;
}
