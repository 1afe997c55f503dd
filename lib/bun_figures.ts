/**
 * Bun's memory figures, normalized: Bun's `process.memoryUsage()` has Node's
 * field names but JavaScriptCore's meanings (measured on Bun 1.4.5, see
 * docs/runtimes.md), so a few of its figures must be turned round or left
 * out before they may stand beside Node's in a log line:
 *
 * - `heapUsed` is the heap size JSC measured at the end of the last garbage
 *   collection, and that size includes the heap's extra memory (ArrayBuffer
 *   contents, Buffers, big strings), which `external` also reports. The part
 *   the heap's own cells take is `heapUsed - external`, both as the
 *   collection saw them. Before the first collection Bun puts `heapTotal`
 *   there instead: not a measurement of use.
 * - `heapTotal` is only JSC's blocks of small cells: large objects (an array
 *   of a million elements, say) live outside them, so it is not the size of
 *   the heap, and `heapUsed` (which counts them) can exceed it by far.
 * - `external` counts ArrayBuffer objects at once, but typed arrays, Buffers
 *   and strings only once a collection has visited them; `arrayBuffers`
 *   counts the ArrayBuffer objects only. A 0 in either means "nothing
 *   counted yet", not "nothing there".
 *
 * So livemem reports on Bun the rss, the heap's used part as of the last
 * collection, `external` and `arrayBuffers` when not 0, no `heapTotal`, and
 * marks the sample with `heapAsOf: "lastGC"`.
 *
 * @module
 */

/**
 * A normalized Bun sample: the shape of a `MemorySample` from Bun, written
 * out here so this module imports nothing (samplers.ts imports it).
 */
export interface BunSample {
  /** Always `"bun"`. */
  runtime: "bun";
  /** The resident set size now. */
  rss?: number;
  /** The heap's used part at the last collection, extra memory left out. */
  heapUsed?: number;
  /** The extra memory the heap has counted, when not 0. */
  external?: number;
  /** The ArrayBuffer objects the heap has counted, when not 0. */
  arrayBuffers?: number;
  /** The heap figures are as of the last collection. */
  heapAsOf: "lastGC";
}

/**
 * The figures of one `process.memoryUsage()` call on Bun, already checked to
 * be byte counts (absent when not).
 */
export interface BunUsage {
  /** `rss`: the resident set size now. */
  rss?: number;
  /** `heapTotal`: JSC's blocks of small cells now. */
  heapTotal?: number;
  /** `heapUsed`: the heap size, extra memory included, at the last collection. */
  heapUsed?: number;
  /** `external`: the heap's extra memory (see the module documentation). */
  external?: number;
  /** `arrayBuffers`: the ArrayBuffer objects the heap has counted. */
  arrayBuffers?: number;
}

/**
 * Normalizes Bun's readings, one sampler's worth: it remembers the last
 * collection it saw, so the used part stays that collection's figure until
 * the next one. Reads no global; never throws.
 *
 * @returns The normalizer: it takes one reading of Bun's
 * `process.memoryUsage()`, as read (only byte counts enter its
 * arithmetic), and returns the sample, with `heapAsOf: "lastGC"`, or
 * `undefined` when nothing is known.
 *
 * @example After a collection: the used part is heapUsed - external
 * ```ts
 * import assert from "node:assert/strict";
 * import { bunNormalizer } from "./bun_figures.ts";
 * const MiB = 2 ** 20;
 * const bun = bunNormalizer();
 * const usage = {
 *   rss: 125 * MiB, heapTotal: 15 * MiB, heapUsed: 81 * MiB, external: 65 * MiB, arrayBuffers: 64 * MiB,
 * };
 * assert.deepEqual(bun(usage), {
 *   runtime: "bun", heapAsOf: "lastGC", rss: 125 * MiB, heapUsed: 16 * MiB,
 *   external: 65 * MiB, arrayBuffers: 64 * MiB,
 * });
 * // 8 MiB more of ArrayBuffers, no collection since: the used part stays.
 * const later = { ...usage, external: 73 * MiB, arrayBuffers: 72 * MiB };
 * assert.equal(bun(later)?.heapUsed, 16 * MiB);
 * ```
 *
 * @example Before the first collection: no used part, no false zeros
 * ```ts
 * import assert from "node:assert/strict";
 * import { bunNormalizer } from "./bun_figures.ts";
 * const fresh = { rss: 24_000_000, heapTotal: 543_744, heapUsed: 543_744, external: 0, arrayBuffers: 0 };
 * assert.deepEqual(bunNormalizer()(fresh), {
 *   runtime: "bun", heapAsOf: "lastGC", rss: 24_000_000,
 * });
 * ```
 */
// Whether a figure is a byte count (samplers.ts's byteCount, written out
// here so this module imports nothing): only those go into arithmetic.
function isBytes(v: unknown): v is number {
  return typeof v === "number" && v >= 0 && v !== Infinity;
}

export function bunNormalizer(): (usage: BunUsage) => BunSample | undefined {
  // Bun's heapUsed after the last collection seen, and its external in the
  // first sample that showed it: the extra memory inside that heapUsed, or
  // more when ArrayBuffers were made between the collection and the sample
  // (extra memory only grows between collections), so the used part errs
  // low, never high. A closure, not a class: fewer bytes in a bundle.
  let heapSize = NaN;
  let extra = 0;
  return (usage) => {
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = usage;
    const s: BunSample = { runtime: "bun", heapAsOf: "lastGC" };
    if (rss !== undefined) s.rss = rss;
    // Bun 1.4.5 reports heapUsed === heapTotal, to the byte, until the
    // first collection; after one, heapUsed is a measured size (equal to
    // heapTotal only by a coincidence that costs one sample its used part).
    if (
      isBytes(heapUsed) && isBytes(heapTotal) && heapUsed !== heapTotal &&
      isBytes(external)
    ) {
      // heapUsed changes at each collection: its extra memory is what
      // external says at the first sight of it.
      if (heapUsed !== heapSize) {
        heapSize = heapUsed;
        extra = external;
      }
      const used = heapUsed - extra;
      // No heap is empty: 0 or less means ArrayBuffers outgrew the cells
      // since the collection, and the used part is unknown.
      if (used > 0) s.heapUsed = used;
    }
    // 0 is "nothing counted yet" (see the module documentation).
    if (external) s.external = external;
    if (arrayBuffers) s.arrayBuffers = arrayBuffers;
    return rss || s.heapUsed || external || arrayBuffers ? s : undefined;
  };
}
