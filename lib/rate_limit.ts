/**
 * Rate limiting with Go's `textui.LiveMemUse` semantics: sample on the first
 * read, then only when strictly more than the interval has passed.
 *
 * @module
 */

import { optionError } from "./options.ts";

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
 * The default clock: `performance.now()` (monotonic) where it exists, else
 * `Date.now()`.
 *
 * @returns The clock function.
 *
 * @example Reading the default clock
 * ```ts
 * import { defaultClock } from "./rate_limit.ts";
 * const now = defaultClock();
 * if (!(now() >= 0)) throw new Error("clock");
 * ```
 */
export function defaultClock(): () => number {
  const perf = globalThis.performance;
  return typeof perf?.now === "function" ? () => perf.now() : Date.now;
}

/**
 * Checks an `interval` option: a finite number >= 0.
 *
 * @param name The option name, for the error message.
 * @param value The value to check.
 * @returns `value`, as a number.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When `value` is NaN, infinite or negative.
 *
 * @example Accepting and rejecting intervals
 * ```ts
 * import { checkInterval } from "./rate_limit.ts";
 * checkInterval("interval", 250);
 * let threw = false;
 * try { checkInterval("interval", -1); } catch (e) { threw = e instanceof RangeError; }
 * if (!threw) throw new Error("-1 was accepted");
 * ```
 */
export function checkInterval(name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw optionError(name, "a number of milliseconds", value);
  }
  if (!(value >= 0 && value !== Infinity)) {
    throw optionError(name, "a finite number >= 0", value, RangeError);
  }
  return value;
}

/**
 * Checks a `now` option: a function, or `undefined` for the default clock.
 *
 * @param value The value to check.
 * @returns The clock to use.
 * @throws {TypeError} When `value` is neither a function nor `undefined`.
 *
 * @example Picking a clock
 * ```ts
 * import { checkClock } from "./rate_limit.ts";
 * const fixed = () => 42;
 * if (checkClock(fixed) !== fixed) throw new Error();
 * ```
 */
export function checkClock(value: unknown): () => number {
  if (value === undefined) return defaultClock();
  if (typeof value !== "function") {
    throw optionError("now", "a function", value);
  }
  return value as () => number;
}

/**
 * Wraps `fn` so it runs at most once per `interval` milliseconds: the first
 * call runs it; a later call runs it again only when strictly more than
 * `interval` ms passed since the last run, else returns the cached result.
 * A clock that goes backwards or returns NaN also triggers a run, so a bad
 * clock costs freshness checks, never staleness. If `fn` throws, the error
 * propagates and nothing is cached.
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
  if (typeof fn !== "function") throw optionError("fn", "a function", fn);
  if (typeof opts !== "object" || opts === null) {
    throw optionError("options", "an object", opts);
  }
  const interval = checkInterval("interval", opts.interval);
  const now = checkClock(opts.now);
  let last = NaN; // NaN: never sampled, so the first call samples.
  let value: T;
  return () => {
    const t = now();
    const elapsed = t - last;
    // interval 0 samples on every call, even when the clock has not moved.
    if (elapsed >= 0 && elapsed <= interval && interval > 0) return value;
    value = fn();
    last = t;
    return value;
  };
}
