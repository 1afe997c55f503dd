/**
 * {@link heapTrend}: the value of `LiveMemWatch`'s `trend` option, a
 * {@link TrendTracker} fed by the runtime's garbage collections
 * (`heap_gc.ts`), with the heap read right after each one.
 *
 * Nothing runs until `heapTrend()` is called, and then nothing runs of its
 * own: only the runtime's collections call it, one cheap heap reading each.
 * The collection listener holds the tracker weakly, so a trend that is
 * dropped stops watching at the next collection.
 *
 * @module
 */

import { type GcWatch, watchGc } from "./heap_gc.ts";
import type { TrendSource } from "./live_mem_watch.ts";
import { defaultClock, detectGc } from "./runtime.ts";
import type { MemorySample } from "./samplers.ts";
import {
  type TrendOptions,
  type TrendSnapshot,
  TrendTracker,
} from "./trend.ts";

/**
 * A running trend of the heap after collection: give it to `LiveMemWatch`
 * as its `trend` option, or read it with {@link HeapTrend.snapshot}. Made
 * by {@link heapTrend}.
 */
export class HeapTrend implements TrendSource {
  #tracker: TrendTracker;
  #watch: GcWatch | undefined;

  /**
   * Starts watching the collections of the runtime whose globals are
   * `scope`.
   *
   * @param options The window and the leak rule.
   * @param scope The global scope whose collections are watched.
   * @default options {}
   * @default scope globalThis
   * @throws {TypeError} When `options` is not an object or an option is not
   * a number, naming it and the value.
   * @throws {RangeError} When an option is out of range, naming it and the
   * value.
   */
  constructor(options: TrendOptions = {}, scope: object = globalThis) {
    const tracker = new TrendTracker(options);
    this.#tracker = tracker;
    const gc = detectGc(scope);
    const read = gc.heapUsed;
    if (read === undefined) return;
    const ref = typeof WeakRef === "function"
      ? new WeakRef(tracker)
      : { deref: () => tracker };
    const now = defaultClock();
    this.#watch = watchGc(gc, (full) => {
      const t = ref.deref();
      if (t === undefined) return false;
      const heap = read();
      // 0 is no reading (workerd's nodejs_compat answers zeros).
      if (typeof heap === "number" && heap > 0) t.record(now(), heap, full);
      return true;
    });
  }

  /**
   * How collections are observed: `observer` (Node's `PerformanceObserver`),
   * `sentinel` (`FinalizationRegistry`), or `undefined` where they cannot
   * be (then the figures stay unknown and `leak` false).
   */
  get source(): "observer" | "sentinel" | undefined {
    return this.#watch?.source;
  }

  /** Stops watching; the figures stay as they were. */
  stop(): void {
    this.#watch?.stop();
  }

  /**
   * What the trend says now: the heap after the last observed collection,
   * the trend and the leak flag. On Bun, whose `heapUsed` is already the
   * heap after the last collection (`heapAsOf: "lastGC"`), the live heap is
   * the sample's own `heapUsed`, known before any collection was observed.
   *
   * @param sample The sample just taken, if any.
   * @returns The live heap and trend where known, and the leak flag.
   */
  snapshot(sample?: MemorySample): TrendSnapshot {
    const s = this.#tracker.snapshot();
    const used = sample?.heapAsOf === "lastGC" ? sample.heapUsed : undefined;
    return typeof used === "number" && used > 0 && used !== s.liveHeap
      ? { ...s, liveHeap: used }
      : s;
  }
}

/**
 * Starts a trend of the heap after garbage collection, for the `trend`
 * option of `LiveMemWatch`: `new LiveMemWatch({ trend: heapTrend() })` adds
 * `liveHeap`, `trend` (bytes per minute) and `leak` to its JSON and
 * ` ; live=… trend=+1.2MiB/min` to its text. Collections are observed with
 * a `PerformanceObserver` on Node and `FinalizationRegistry` sentinels
 * elsewhere; neither needs a permission or keeps the process alive.
 *
 * @param options The window and the leak rule.
 * @default options {}
 * @returns The running trend.
 * @throws {TypeError} When `options` is not an object or an option is not
 * a number, naming it and the value.
 * @throws {RangeError} When an option is out of range, naming it and the
 * value.
 *
 * @example The trend on every log line
 * ```ts
 * import assert from "node:assert/strict";
 * import { heapTrend, LiveMemWatch } from "@livemem/livemem/watch";
 * const mem = new LiveMemWatch({ trend: heapTrend({ window: 120 }) });
 * // Until a collection was observed only Bun knows its live heap; no leak yet.
 * assert.match(String(mem), /^rss=.*\)( ; live=[\d,.]+(B|[KMG]iB))?$/);
 * assert.equal(mem.toJSON().leak, false);
 * assert.throws(() => heapTrend({ window: 2 }), RangeError);
 * ```
 */
export function heapTrend(options: TrendOptions = {}): HeapTrend {
  return new HeapTrend(options);
}
