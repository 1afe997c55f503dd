/**
 * The headroom of a sample: the limit on rss that will stop the process,
 * and the bytes left before the nearest limit. Pure: the container's limit
 * is read by `containerLimit()` in `runtime.ts` and handed in.
 *
 * @module
 */

import type { Breakdown } from "./breakdown.ts";
import { figure } from "./figure.ts";

/** The headroom figures of one sample, in bytes, each where known. */
export interface HeadroomFigures {
  /**
   * The limit on rss that will stop the process: the smaller of the
   * container's limit and the `limit` option.
   */
  memoryLimit?: number;
  /**
   * Bytes left before the nearest limit: the smaller of `heapLimit -
   * heapUsed` and `memoryLimit - rss`, of the pairs known; negative past a
   * limit.
   */
  headroom?: number;
}

/**
 * The headroom of a breakdown, given the memory limit.
 *
 * @param b The sample's breakdown (its rss, heap used and heap limit).
 * @param memoryLimit The limit on rss, if any.
 * @returns The memory limit and the headroom, where known.
 *
 * @example The nearer limit wins
 * ```ts
 * import assert from "node:assert/strict";
 * import { headroomOf } from "./headroom.ts";
 * const MiB = 2 ** 20;
 * const b = { rss: 200 * MiB, heapUsed: 40 * MiB, heapLimit: 4096 * MiB, inconsistencies: [] };
 * assert.deepEqual(headroomOf(b, 256 * MiB), { memoryLimit: 256 * MiB, headroom: 56 * MiB });
 * assert.deepEqual(headroomOf(b, undefined), { headroom: 4056 * MiB });
 * ```
 */
export function headroomOf(
  b: Pick<Breakdown, "rss" | "heapUsed" | "heapLimit">,
  memoryLimit: number | undefined,
): HeadroomFigures {
  const { rss, heapUsed, heapLimit } = b;
  const figures: HeadroomFigures = {};
  if (memoryLimit !== undefined) figures.memoryLimit = memoryLimit;
  const heap = heapLimit !== undefined && heapUsed !== undefined
    ? heapLimit - heapUsed
    : undefined;
  const mem = memoryLimit !== undefined && rss !== undefined
    ? memoryLimit - rss
    : undefined;
  const left = nearer(heap, mem);
  if (left !== undefined) figures.headroom = left;
  return figures;
}

/**
 * The smaller of two figures (limits, bytes left), either possibly unknown.
 *
 * @param a A limit, if known.
 * @param b Another, if known.
 * @returns The smaller, `undefined` when neither is known.
 */
export function nearer(
  a: number | undefined,
  b: number | undefined,
): number | undefined {
  return a === undefined || b !== undefined && b < a ? b : a;
}

/**
 * The fraction of the nearest limit in use: `max(heapUsed / heapLimit,
 * rss / memoryLimit)` over the pairs known.
 *
 * @param b The sample's breakdown.
 * @param memoryLimit The limit on rss, if any.
 * @returns The fraction, `undefined` when no limit is known.
 *
 * @example The larger fraction
 * ```ts
 * import { usedFraction } from "./headroom.ts";
 * const b = { rss: 192, heapUsed: 10, heapLimit: 100, inconsistencies: [] };
 * if (usedFraction(b, 256) !== 0.75 || usedFraction(b, undefined) !== 0.1) throw new Error();
 * ```
 */
export function usedFraction(
  b: Pick<Breakdown, "rss" | "heapUsed" | "heapLimit">,
  memoryLimit: number | undefined,
): number | undefined {
  const { rss, heapUsed, heapLimit } = b;
  const heap = heapLimit && heapUsed !== undefined
    ? heapUsed / heapLimit
    : undefined;
  const mem = memoryLimit && rss !== undefined ? rss / memoryLimit : undefined;
  return heap === undefined || mem !== undefined && mem > heap ? mem : heap;
}

/**
 * The headroom's text: ` ; memoryLimit=… ; headroom=…` where a memory
 * limit is known. Without one the headroom is the heap limit minus the heap
 * used, both already on the line (`limit=`, `used:`), so nothing is added.
 *
 * @param f The headroom figures.
 * @returns The text to append to the line (empty without a memory limit).
 *
 * @example With and without a memory limit
 * ```ts
 * import { formatHeadroom } from "./headroom.ts";
 * const MiB = 2 ** 20;
 * if (formatHeadroom({ memoryLimit: 256 * MiB, headroom: 56 * MiB }) !== " ; memoryLimit=256.0MiB ; headroom=56.0MiB") {
 *   throw new Error();
 * }
 * if (formatHeadroom({ headroom: 4 * 1024 * MiB }) !== "") throw new Error();
 * ```
 */
export function formatHeadroom(f: HeadroomFigures): string {
  return f.memoryLimit === undefined
    ? ""
    : " ; memoryLimit=" + figure(f.memoryLimit) +
      (f.headroom === undefined ? "" : " ; headroom=" + figure(f.headroom));
}
