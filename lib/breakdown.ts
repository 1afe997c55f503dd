/**
 * The breakdown of a memory sample into parts that sum to their wholes, and
 * the log text of it: the JS counterpart of Go's
 * `Ready+Prepared=… (Ready=… (data:… + fragOverhead:… + idle:…) ; Prepared=…)`.
 *
 * @module
 */

import { Printer } from "./fmt/printer.ts";
import { describeValue } from "./rate_limit.ts";
import type { MemorySample } from "./samplers.ts";
import { byteCount } from "./samplers.ts";
import { iec } from "./units.ts";

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
  /**
   * What did not add up, in words (empty when all is consistent): invalid
   * inputs (treated as unknown), `heapUsed > heapTotal`, negative `other`…
   * Go's textui panics on these; a log line should still print.
   */
  inconsistencies: string[];
}

// The figures of memory use; heapLimit and peakRss are not use.
const USE = [
  "rss",
  "heapTotal",
  "heapUsed",
  "external",
  "arrayBuffers",
] as const;

const INPUTS = [...USE, "heapLimit", "peakRss"] as const;

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
  try {
    for (const k of INPUTS) {
      const raw: unknown = sample[k];
      if (raw === undefined) continue;
      const v = byteCount(raw);
      if (v === undefined) {
        bad.push(`${k} is not a byte count: ${describeValue(raw)}`);
      } else b[k] = v;
    }
  } catch (e) {
    bad.push(
      `reading the sample threw: ${
        e instanceof Error ? e.message : describeValue(e)
      }`,
    );
  }
  if (USE.some((k) => b[k] !== undefined) && USE.every((k) => !b[k])) {
    // workerd's nodejs_compat reports zeros: unavailable, not 0 bytes.
    bad.push("all figures are 0: treated as unavailable");
    for (const k of USE) delete b[k];
  }
  const { rss, heapTotal, heapUsed, external, arrayBuffers, peakRss } = b;
  if (heapTotal !== undefined && heapUsed !== undefined) {
    b.heapFree = heapTotal - heapUsed;
    if (b.heapFree < 0) {
      bad.push(`heapUsed ${heapUsed} > heapTotal ${heapTotal}`);
    }
  }
  if (rss !== undefined && heapTotal !== undefined && external !== undefined) {
    b.other = rss - heapTotal - external;
    if (b.other < 0) {
      bad.push(`rss ${rss} < heapTotal ${heapTotal} + external ${external}`);
    }
  }
  if (
    external !== undefined && arrayBuffers !== undefined &&
    arrayBuffers > external
  ) {
    bad.push(`arrayBuffers ${arrayBuffers} > external ${external}`);
  }
  if (rss !== undefined && peakRss !== undefined && peakRss < rss) {
    bad.push(`peakRss ${peakRss} < rss ${rss}`);
  }
  return b;
}

// Created on first use so importing this module allocates nothing.
let printer: Printer | undefined;

/**
 * Renders a breakdown as the log text: every figure `%.1f` of `iec(bytes,
 * "B")` through the grouping printer, in one `sprintf` call.
 *
 * - all known: `rss=… (heap=… (used:… + free:…) ; external=… (arrayBuffers:…) ; other=…)`
 * - a part with unknown inputs is left out with its label (Deno: no
 *   `(arrayBuffers:…)`); a part whose whole is unknown takes the whole's
 *   place under its own name (`heapUsed=…`, `arrayBuffers=…`);
 * - no rss (browsers): `heap=… (used:… + free:…) ; limit=…`;
 * - nothing: `unavailable`.
 *
 * @param b A breakdown from {@link breakdown}.
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
 */
export function formatBreakdown(b: Breakdown): string {
  const args: unknown[] = [];
  const fig = (v: number): string => {
    args.push(iec(v, "B"));
    return "%.1f";
  };
  // Figures are taken in text order: fig() pushes its argument.
  const whole = b.rss !== undefined ? `rss=${fig(b.rss)}` : undefined;
  const parts: string[] = [];
  if (b.heapTotal !== undefined) {
    parts.push(
      b.heapUsed !== undefined && b.heapFree !== undefined
        ? `heap=${fig(b.heapTotal)} (used:${fig(b.heapUsed)} + free:${
          fig(b.heapFree)
        })`
        : `heap=${fig(b.heapTotal)}`,
    );
  } else if (b.heapUsed !== undefined) {
    parts.push(`heapUsed=${fig(b.heapUsed)}`);
  }
  if (b.external !== undefined) {
    parts.push(
      b.arrayBuffers !== undefined
        ? `external=${fig(b.external)} (arrayBuffers:${fig(b.arrayBuffers)})`
        : `external=${fig(b.external)}`,
    );
  } else if (b.arrayBuffers !== undefined) {
    parts.push(`arrayBuffers=${fig(b.arrayBuffers)}`);
  }
  let format: string;
  if (whole !== undefined) {
    if (b.other !== undefined) parts.push(`other=${fig(b.other)}`);
    format = parts.length === 0 ? whole : `${whole} (${parts.join(" ; ")})`;
  } else {
    if (parts.length === 0) return "unavailable";
    if (b.heapLimit !== undefined) parts.push(`limit=${fig(b.heapLimit)}`);
    format = parts.join(" ; ");
  }
  printer ??= new Printer({ grouping: true });
  return printer.sprintf(format, ...args);
}
