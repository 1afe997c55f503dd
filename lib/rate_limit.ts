/**
 * Rate limiting with Go's `textui.LiveMemUse` semantics: sample on the first
 * read, then only when strictly more than the interval has passed.
 *
 * @module
 */

import {
  checkFunction,
  checkInterval,
  checkOptions,
  option,
  optionError,
} from "./options.ts";
import { defaultClock } from "./runtime.ts";

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /**
   * Milliseconds a value stays fresh: a call re-samples only when strictly
   * more than this has passed since the last sample. `0` samples every time.
   */
  interval: number;
  /**
   * The clock, in milliseconds. Only differences matter.
   *
   * @default {performance.now} (monotonic); `Date.now` where there is no `performance`
   */
  now?: () => number;
}

/**
 * The freshness rule of Go's `textui.LiveMemUse`, shared by {@link rateLimit}
 * and `LiveMemUse`: a value sampled at `last` is still fresh at `now` when
 * no more than `interval` ms passed (exactly `interval` is still fresh).
 * A first read (`last` NaN), a clock that went back or returned NaN, and
 * `interval` 0 all mean "sample again": a bad clock costs samples, never
 * staleness.
 *
 * @param last When the value was sampled; NaN when never.
 * @param now The clock now.
 * @param interval Milliseconds a value stays fresh, >= 0.
 * @returns Whether the value sampled at `last` may still be used.
 *
 * @example The boundary is strict
 * ```ts
 * import { isFresh } from "./rate_limit.ts";
 * if (!isFresh(0, 1000, 1000) || isFresh(0, 1000.5, 1000)) throw new Error();
 * if (isFresh(NaN, 0, 1000) || isFresh(10, 5, 1000) || isFresh(0, 0, 0)) throw new Error();
 * ```
 */
export function isFresh(last: number, now: number, interval: number): boolean {
  const elapsed = now - last;
  return elapsed >= 0 && elapsed <= interval && interval > 0;
}

/**
 * Wraps `fn` so it runs at most once per `interval` milliseconds: the first
 * call runs it; a later call runs it again only when strictly more than
 * `interval` ms passed since the last run, else returns the cached result
 * (see {@link isFresh}). If `fn` throws, the error propagates and nothing
 * is cached.
 *
 * @typeParam T The result of `fn`.
 * @param fn The function to rate-limit, such as a sampler.
 * @param opts The interval and the clock.
 * @returns The rate-limited function.
 * @throws {TypeError} When `opts.interval` is not a number or `opts.now` not a function.
 * @throws {RangeError} When `opts.interval` is NaN, infinite or negative.
 *
 * @example Reads within the interval share one sample
 * ```ts
 * import assert from "node:assert/strict";
 * import { rateLimit } from "./rate_limit.ts";
 * let t = 0, runs = 0;
 * const read = rateLimit(() => ++runs, { interval: 1000, now: () => t });
 * assert.equal(read(), 1);
 * t = 1000; // not strictly more than the interval
 * assert.equal(read(), 1);
 * t = 1000.5;
 * assert.equal(read(), 2);
 * ```
 */
export function rateLimit<T>(fn: () => T, opts: RateLimitOptions): () => T {
  if (typeof fn !== "function") {
    throw optionError("rateLimit: fn", "a function", fn);
  }
  checkOptions("rateLimit", opts);
  const interval = checkInterval(
    option("rateLimit", "interval"),
    opts.interval,
  );
  const now = checkFunction(option("rateLimit", "now"), opts.now) ??
    defaultClock();
  let last = NaN; // NaN: never sampled, so the first call samples.
  let value: T;
  return () => {
    const t = now();
    if (isFresh(last, t, interval)) return value;
    value = fn();
    last = t;
    return value;
  };
}
