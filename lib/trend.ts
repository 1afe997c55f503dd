/**
 * The heap that survives collection, and its trend: a bounded window of
 * post-collection heap readings, the least-squares slope over it, and a
 * leak rule in the spirit of memwatch's ("the heap after full collections
 * kept growing"), without a native addon.
 *
 * Pure: readings come in through {@link TrendTracker.record} with their time
 * and whether a full collection happened, from whatever observes the
 * collections (`heap_trend.ts` on a real runtime, a test by hand). It only
 * produces figures; the text is the field's job.
 *
 * @module
 */

import { checkNumber, checkOptions, option } from "./options.ts";

/** The window and the leak rule of `heapTrend()` (also taken by `TrendTracker`). */
export interface TrendOptions {
  /**
   * Milliseconds one point of the window covers: a reading less than this
   * after the first reading of the last point merges into it (the point
   * keeps its lowest reading), so a burst of collections costs one point.
   * 0 makes every reading a point. A finite number >= 0.
   *
   * @default {1000}
   */
  interval?: number;
  /**
   * Points kept, the oldest dropped first: with the default interval, about
   * the last minute. A whole number from 3 to 100000.
   *
   * @default {60}
   */
  window?: number;
  /**
   * N: the leak flag needs a row of at least this many collections in a
   * row without the heap giving back what it had grown. A whole number from
   * 2 to 100000.
   *
   * @default {5}
   */
  collections?: number;
  /**
   * The leak flag needs the row to span at least this many milliseconds,
   * so a program filling its caches at start is not called leaking at once.
   * A finite number >= 0.
   *
   * @default {5000}
   */
  span?: number;
  /**
   * Noise, in bytes: a rise of the heap after a full collection counts only
   * when it is larger than this and than 1/16 of the heap it rose from.
   * A finite number >= 0.
   *
   * @default {1048576}
   */
  threshold?: number;
}

/** What the readings say; a figure only where it is known. */
export interface TrendSnapshot {
  /** The heap used right after the last observed collection, in bytes. */
  liveHeap?: number;
  /**
   * Bytes per minute: the least-squares slope of the post-collection heap
   * over the window (once it has 3 points spread over time).
   */
  trend?: number;
  /** Whether the heap after full collections kept growing. */
  leak: boolean;
}

function finiteAtLeast(key: string, v: unknown, fallback: number): number {
  return v === undefined ? fallback : checkNumber(
    name(key),
    v,
    "a finite number >= 0",
    (n) => n >= 0 && n < Infinity,
  );
}

function wholeFrom(
  key: string,
  v: unknown,
  min: number,
  fallback: number,
): number {
  return v === undefined ? fallback : checkNumber(
    name(key),
    v,
    `a whole number from ${min} to 100000`,
    (n) => Number.isInteger(n) && n >= min && n <= 1e5,
  );
}

const name = (key: string) => option("heapTrend", key);

/** One point of the window: the readings of one interval. */
interface Point {
  /** When the point opened (its first reading). */
  start: number;
  /** When its lowest reading was taken. */
  t: number;
  /** Its lowest reading: the heap closest to what really survives. */
  min: number;
}

/**
 * The run of collections since the heap last fell below the middle of the
 * run's range: a full collection in a steady program takes the heap back to
 * about where the run started, which ends the run there.
 */
interface Row {
  /** When its first and its last readings were taken. */
  start: number;
  end: number;
  /** Its lowest and highest readings. */
  low: number;
  high: number;
  /** The collections (readings) in it. */
  count: number;
  /**
   * The heap after its last two full collections, oldest first (full ones
   * less than an interval apart count as one, at their lowest); before its
   * second full collection, the first is its first reading.
   */
  floors: number[];
  /** When its last full collection was read (NaN before one). */
  fullAt: number;
}

/**
 * Keeps the post-collection heap readings and says what they show.
 *
 * - **liveHeap**: the last reading.
 * - **trend**: the least-squares slope of each point's lowest reading over
 *   its time, in bytes per minute, once the window has 3 points.
 * - **leak**: a *row* is the run of collections since the heap last fell
 *   below the middle of the run's range (by more than `threshold`). Leak is
 *   true when the current row has lasted at least `collections` collections
 *   over at least `span` ms, and the heap after its last full collection is
 *   higher, by more than the noise (`threshold`, and 1/16 of the lower
 *   figure), than after the full collection before it in the row (or than
 *   the row's first reading, when there was none). A full collection's
 *   reading is about what is live, so such a rise shows live memory grew.
 *   Between full collections the heap after a minor one grows in every
 *   program (garbage promoted to the old generation waits for the next full
 *   one), so only full collections may raise the flag, as in memwatch;
 *   minor ones feed the trend and the row's length.
 *
 * @example A heap that keeps what it allocates
 * ```ts
 * import assert from "node:assert/strict";
 * import { TrendTracker } from "./trend.ts";
 * const MiB = 2 ** 20;
 * const tracker = new TrendTracker();
 * // A collection every second, a full one every third, 2 MiB more each time.
 * for (let i = 0; i < 10; i++) tracker.record(i * 1000, (10 + 2 * i) * MiB, i % 3 === 0);
 * assert.deepEqual(tracker.snapshot(), { liveHeap: 28 * MiB, trend: 120 * MiB, leak: true });
 * ```
 */
export class TrendTracker {
  #interval: number;
  #window: number;
  #collections: number;
  #span: number;
  #threshold: number;
  #points: Point[] = [];
  #row: Row | undefined;
  #last: number | undefined;
  #cached: TrendSnapshot | undefined;

  /**
   * @param options The window and the leak rule.
   * @default options {}
   * @throws {TypeError} When `options` is not an object or an option is not
   * a number, naming it and the value.
   * @throws {RangeError} When an option is out of range, naming it and the
   * value.
   */
  constructor(options: TrendOptions = {}) {
    const o = checkOptions("heapTrend", options);
    this.#interval = finiteAtLeast("interval", o.interval, 1000);
    this.#window = wholeFrom("window", o.window, 3, 60);
    this.#collections = wholeFrom("collections", o.collections, 2, 5);
    this.#span = finiteAtLeast("span", o.span, 5000);
    this.#threshold = finiteAtLeast("threshold", o.threshold, 2 ** 20);
  }

  /**
   * Records the heap read right after one or more collections. A reading
   * that is not a byte count, or a time that is not finite, is ignored.
   *
   * @param t When, in milliseconds (only differences matter).
   * @param heap The heap used, in bytes.
   * @param full Whether a full collection happened since the last reading.
   */
  record(t: number, heap: number, full: boolean): void {
    if (!(heap >= 0 && heap < Infinity) || !(Math.abs(t) < Infinity)) return;
    this.#last = heap;
    this.#cached = undefined;
    this.#addPoint(t, heap);
    this.#extendRow(t, heap, full);
  }

  #addPoint(t: number, heap: number): void {
    const points = this.#points;
    const p = points[points.length - 1];
    const age = p === undefined ? NaN : t - p.start;
    if (age >= 0 && age < this.#interval) {
      if (heap < p.min) {
        p.min = heap;
        p.t = t;
      }
      return;
    }
    points.push({ start: t, t, min: heap });
    if (points.length > this.#window) points.shift();
  }

  #extendRow(t: number, heap: number, full: boolean): void {
    const r = this.#row;
    if (
      r === undefined ||
      heap < (r.low + r.high) / 2 && r.high - heap > this.#threshold
    ) {
      this.#row = {
        start: t,
        end: t,
        low: heap,
        high: heap,
        count: 1,
        floors: [heap],
        fullAt: full ? t : NaN,
      };
      return;
    }
    r.end = t;
    r.count++;
    if (heap < r.low) r.low = heap;
    if (heap > r.high) r.high = heap;
    if (!full) return;
    const floors = r.floors;
    if (t - r.fullAt < this.#interval) {
      const i = floors.length - 1;
      if (heap < floors[i]) floors[i] = heap;
    } else {
      floors.push(heap);
      if (floors.length > 2) floors.shift();
    }
    r.fullAt = t;
  }

  /**
   * What the readings say now; computed once per new reading.
   *
   * @returns The live heap and the trend where known, and the leak flag.
   */
  snapshot(): TrendSnapshot {
    if (this.#cached !== undefined) return this.#cached;
    const s: TrendSnapshot = { leak: this.#leaking() };
    if (this.#last !== undefined) s.liveHeap = this.#last;
    const slope = slopePerMinute(this.#points);
    if (slope !== undefined) s.trend = slope;
    return this.#cached = s;
  }

  #leaking(): boolean {
    const r = this.#row;
    if (r === undefined || r.floors.length < 2) return false;
    if (r.count < this.#collections || r.end - r.start < this.#span) {
      return false;
    }
    const [before, last] = r.floors;
    return last - before > Math.max(this.#threshold, before / 16);
  }
}

// Least squares of (t, min), centred for precision; undefined with fewer
// than 3 points or all at one time.
function slopePerMinute(points: readonly Point[]): number | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  let mt = 0, mv = 0;
  for (const p of points) {
    mt += p.t;
    mv += p.min;
  }
  mt /= n;
  mv /= n;
  let stv = 0, stt = 0;
  for (const p of points) {
    const dt = p.t - mt;
    stv += dt * (p.min - mv);
    stt += dt * dt;
  }
  if (!(stt > 0)) return undefined;
  const slope = stv / stt * 60_000;
  // -0 and the rounding dust of a flat heap read as 0.
  return Math.abs(slope) < 1e-9 ? 0 : slope;
}
