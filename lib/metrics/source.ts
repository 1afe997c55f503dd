/**
 * Where the metrics exporters take their figures: a `LiveMemUse`, so they
 * share its sampler and rate limit with the log lines that print it.
 *
 * @module
 */

import { LiveMemUse } from "../live_mem_use.ts";
import { optionError } from "../options.ts";

/**
 * What an exporter reads: a `LiveMemUse`, of which it calls `toJSON()` and
 * nothing else.
 */
export interface MemSource {
  /** The figures of the latest sample, in bytes, as `LiveMemUse` gives them. */
  toJSON(): object;
}

/** Options every metrics exporter takes. */
export interface SourceOptions {
  /**
   * Where the figures come from: a `LiveMemUse`. Pass the one your log
   * lines print, so a scrape, an export and a log line share one sample per
   * its interval.
   *
   * @default {new LiveMemUse()} one for this exporter
   */
  mem?: MemSource;
}

/**
 * Checks the options of an exporter and gives its source of figures.
 *
 * @param opts The options, as the user gave them.
 * @returns The `LiveMemUse` to read.
 * @throws {TypeError} When `opts` is not an object or `mem` has no
 * `toJSON()` method.
 *
 * @example A default source
 * ```ts
 * import { sourceOption } from "./source.ts";
 * const mem = sourceOption({});
 * if (typeof mem.toJSON() !== "object") throw new Error();
 * ```
 */
export function sourceOption(opts: SourceOptions): MemSource {
  if (typeof opts !== "object" || opts === null) {
    throw optionError("options", "an object", opts);
  }
  const { mem } = opts;
  if (mem === undefined) return new LiveMemUse();
  // By shape, not instanceof: two copies of livemem may meet in one program.
  if (
    typeof mem !== "object" || mem === null ||
    typeof (mem as { toJSON?: unknown }).toJSON !== "function"
  ) {
    throw optionError("mem", "a LiveMemUse", mem);
  }
  return mem;
}

/**
 * One figure of a `toJSON()` result, when it is a finite number: an absent,
 * non-numeric or non-finite field is unknown, never exported as a number.
 *
 * @param json What `toJSON()` returned.
 * @param field The field, such as `rss`.
 * @returns The figure, or `undefined` when it is not known.
 *
 * @example Known and unknown figures
 * ```ts
 * import { figureOf } from "./source.ts";
 * if (figureOf({ rss: 1024 }, "rss") !== 1024) throw new Error();
 * if (figureOf({ rss: NaN }, "rss") !== undefined) throw new Error();
 * if (figureOf({}, "heapLimit") !== undefined) throw new Error();
 * ```
 */
export function figureOf(json: object, field: string): number | undefined {
  const v = (json as Record<string, unknown>)[field];
  return typeof v === "number" && v - v === 0 ? v : undefined;
}
