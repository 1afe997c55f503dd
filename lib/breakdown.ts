/**
 * The breakdown of a memory sample into parts that sum to their wholes, and
 * the log text of it: the JS counterpart of Go's
 * `Ready+Prepared=… (Ready=… (data:… + fragOverhead:… + idle:…) ; Prepared=…)`.
 *
 * @module
 */

import { figure } from "./figure.ts";
import { describeValue } from "./options.ts";
import type { MemorySample } from "./samplers.ts";
import { byteCount } from "./samplers.ts";

/**
 * A sample split into parts, in bytes. Parts sum to their wholes:
 * `rss = heapTotal + external + other` and `heapTotal = heapUsed + heapFree`.
 * A field is absent when an input it needs is unknown or invalid.
 */
export interface Breakdown {
  /** Resident set size: the whole. */
  rss?: number;
  /** The JS heap. */
  heapTotal?: number;
  /** The part of the heap in use. */
  heapUsed?: number;
  /** `heapTotal - heapUsed`; negative when `heapUsed` is stale (Bun). */
  heapFree?: number;
  /** Memory outside the heap owned by JS objects. */
  external?: number;
  /** The part of `external` held by ArrayBuffers. */
  arrayBuffers?: number;
  /**
   * `rss - heapTotal - external`: code, stacks, allocator overhead. Negative
   * when heap or external pages are reserved but not resident yet.
   */
  other?: number;
  /** The largest size the heap may grow to. */
  heapLimit?: number;
  /** The peak rss so far. */
  peakRss?: number;
  /** `"lastGC"` when the heap figures are as of the last GC (Bun). */
  heapAsOf?: "lastGC";
  /**
   * What did not add up, in words (empty when all is consistent): invalid
   * inputs (treated as unknown), `heapUsed > heapTotal`, negative `other`…
   * Go's textui panics on these; a log line should still print.
   */
  inconsistencies: string[];
}

// A valid input, or undefined after noting why it is not one.
function input(raw: unknown, name: string, bad: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const v = byteCount(raw);
  if (v === undefined) {
    bad.push(`${name} is not a byte count: ${describeValue(raw)}`);
  }
  return v;
}

/**
 * Breaks a sample down into its parts and lists its inconsistencies. Never
 * throws: invalid fields (NaN, negative, not numbers) are reported and
 * treated as unknown, and so is a sample that is not an object.
 *
 * @param sample A sample, such as one from `detectSampler().sample()`.
 * @returns The parts, in bytes, and the inconsistencies found.
 *
 * @example Node-like figures
 * ```ts
 * import assert from "node:assert/strict";
 * import { breakdown } from "./breakdown.ts";
 * const b = breakdown({
 *   runtime: "node", rss: 100, heapTotal: 40, heapUsed: 30, external: 70,
 * });
 * assert.equal(b.heapFree, 10);
 * assert.equal(b.other, -10); // rss < heapTotal + external
 * assert.equal(b.inconsistencies.length, 1);
 * ```
 */
export function breakdown(sample: MemorySample): Breakdown {
  const b: Breakdown = { inconsistencies: [] };
  const bad = b.inconsistencies;
  if (typeof sample !== "object" || sample === null) {
    bad.push(`sample is not an object: ${describeValue(sample)}`);
    return b;
  }
  // Field by field rather than in a loop: this is the refresh path.
  let rss: number | undefined, heapTotal: number | undefined;
  let heapUsed: number | undefined, external: number | undefined;
  let arrayBuffers: number | undefined, heapLimit: number | undefined;
  let peakRss: number | undefined;
  try {
    // Not a figure: a mark that the heap figures are as of the last GC.
    if (sample.heapAsOf === "lastGC") b.heapAsOf = "lastGC";
    rss = input(sample.rss, "rss", bad);
    heapTotal = input(sample.heapTotal, "heapTotal", bad);
    heapUsed = input(sample.heapUsed, "heapUsed", bad);
    external = input(sample.external, "external", bad);
    arrayBuffers = input(sample.arrayBuffers, "arrayBuffers", bad);
    heapLimit = input(sample.heapLimit, "heapLimit", bad);
    peakRss = input(sample.peakRss, "peakRss", bad);
  } catch (e) {
    bad.push(
      `reading the sample threw: ${
        e instanceof Error ? e.message : describeValue(e)
      }`,
    );
  }
  // Set in the order the JSON form lists them: the whole, its parts, then
  // the headroom.
  if (
    !(rss || heapTotal || heapUsed || external || arrayBuffers) &&
    (rss ?? heapTotal ?? heapUsed ?? external ?? arrayBuffers) !== undefined
  ) {
    // workerd's nodejs_compat reports zeros: unavailable, not 0 bytes.
    bad.push("all figures are 0: treated as unavailable");
    rss =
      heapTotal =
      heapUsed =
      external =
      arrayBuffers =
        undefined;
  }
  if (rss !== undefined) b.rss = rss;
  if (heapTotal !== undefined) b.heapTotal = heapTotal;
  if (heapUsed !== undefined) b.heapUsed = heapUsed;
  if (heapTotal !== undefined && heapUsed !== undefined) {
    b.heapFree = heapTotal - heapUsed;
    if (b.heapFree < 0) {
      bad.push(`heapUsed ${heapUsed} > heapTotal ${heapTotal}`);
    }
  }
  if (external !== undefined) b.external = external;
  if (arrayBuffers !== undefined) b.arrayBuffers = arrayBuffers;
  if (rss !== undefined && heapTotal !== undefined && external !== undefined) {
    const other = rss - heapTotal - external;
    if (other < 0) {
      bad.push(`rss ${rss} < heapTotal ${heapTotal} + external ${external}`);
    }
    // Only absurd figures (near Number.MAX_VALUE) overflow: no -Infinity
    // (the message above already says rss is short).
    if (other !== -Infinity) b.other = other;
  }
  if (heapLimit !== undefined) b.heapLimit = heapLimit;
  if (peakRss !== undefined) b.peakRss = peakRss;
  // A comparison with an unknown (undefined) figure is false.
  if (arrayBuffers! > external!) {
    bad.push(`arrayBuffers ${arrayBuffers} > external ${external}`);
  }
  if (peakRss! < rss!) bad.push(`peakRss ${peakRss} < rss ${rss}`);
  return b;
}

/**
 * Renders a breakdown as the log text, every figure `%.1f` of `iec(bytes,
 * "B")` through the grouping printer (see {@link figure}):
 *
 * - all known: `rss=… (heap=… (used:… + free:…) ; external=… (arrayBuffers:…) ; other=…)`
 * - a part with unknown inputs is left out with its label (Deno: no
 *   `(arrayBuffers:…)`); a part whose whole is unknown takes the whole's
 *   place under its own name (`heapUsed=…`, `arrayBuffers=…`);
 * - no rss (browsers): `heap=… (used:… + free:…) ; limit=…`;
 * - nothing: `unavailable`.
 *
 * With `headroom`, the known peak rss and heap limit follow the whole:
 * `rss=… (…) ; peak=… ; limit=…` (the browser form already ends with the
 * limit, and has no peak).
 *
 * @param b A breakdown from {@link breakdown}.
 * @param headroom Whether to add ` ; peak=…` and ` ; limit=…` where known.
 * @default headroom false
 * @returns The text, such as `rss=63.8MiB (heap=15.3MiB (used:10.2MiB + free:5.1MiB) ; …)`.
 *
 * @example The browser form
 * ```ts
 * import assert from "node:assert/strict";
 * import { breakdown, formatBreakdown } from "./breakdown.ts";
 * const b = breakdown({
 *   runtime: "browser", heapTotal: 16 * 2 ** 20, heapUsed: 10 * 2 ** 20, heapLimit: 2 ** 32,
 * });
 * assert.equal(
 *   formatBreakdown(b),
 *   "heap=16.0MiB (used:10.0MiB + free:6.0MiB) ; limit=4.0GiB",
 * );
 * ```
 *
 * @example Headroom: the peak rss and the heap limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { breakdown, formatBreakdown } from "./breakdown.ts";
 * const MiB = 2 ** 20;
 * const b = breakdown({
 *   runtime: "deno", rss: 64 * MiB, heapTotal: 16 * MiB, heapUsed: 10 * MiB,
 *   external: 8 * MiB, peakRss: 80 * MiB, heapLimit: 4096 * MiB,
 * });
 * assert.equal(
 *   formatBreakdown(b, true),
 *   "rss=64.0MiB (heap=16.0MiB (used:10.0MiB + free:6.0MiB) ; external=8.0MiB ; other=40.0MiB) ; peak=80.0MiB ; limit=4.0GiB",
 * );
 * ```
 */
export function formatBreakdown(b: Breakdown, headroom = false): string {
  const { rss, heapTotal, heapUsed, heapFree, external, arrayBuffers } = b;
  // A part whose whole is unknown takes the whole's place under its name.
  const heap = heapTotal === undefined
    ? labelled("heapUsed=", heapUsed)
    : heapUsed === undefined || heapFree === undefined
    ? labelled("heap=", heapTotal)
    : labelled("heap=", heapTotal) + labelled(" (used:", heapUsed) +
      labelled(" + free:", heapFree) + ")";
  const ext = external === undefined
    ? labelled("arrayBuffers=", arrayBuffers)
    : arrayBuffers === undefined
    ? labelled("external=", external)
    : labelled("external=", external) +
      labelled(" (arrayBuffers:", arrayBuffers) + ")";
  let parts = heap && ext ? heap + " ; " + ext : heap + ext;
  let text: string;
  if (rss !== undefined) {
    parts += labelled(" ; other=", b.other);
    text = labelled("rss=", rss) + (parts ? " (" + parts + ")" : "");
    if (!headroom) return text;
    text += labelled(" ; peak=", b.peakRss);
  } else {
    if (!parts) return "unavailable";
    text = parts;
  }
  return text + labelled(" ; limit=", b.heapLimit);
}

// `label` and the figure of `bytes`, or nothing when `bytes` is unknown.
function labelled(label: string, bytes: number | undefined): string {
  return bytes === undefined ? "" : label + figure(bytes);
}
