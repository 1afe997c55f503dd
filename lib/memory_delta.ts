/**
 * What changed between two samples, for per-step and per-request log
 * lines: `Δrss=+8.0MiB Δheap=+3.2MiB Δexternal=+0.0B`.
 *
 * @module
 */

import { signedFigure } from "./figure.ts";

/** The figures a mark records, in bytes, each where known. */
export interface MemoryMark {
  /** Resident set size. */
  readonly rss?: number;
  /** The part of the heap in use. */
  readonly heapUsed?: number;
  /** Memory outside the heap owned by JS objects. */
  readonly external?: number;
}

/**
 * The differences between two marks, in bytes: what `LiveMemUse.since`
 * returns. A figure is absent unless both marks know it.
 */
export interface MemoryDelta {
  /** `Δrss=+8.0MiB Δheap=+3.2MiB Δexternal=+0.0B`, or `unavailable`. */
  toString(): string;
  /** The differences in bytes: `{ rss, heapUsed, external }`, where known. */
  toJSON(): MemoryMark;
}

// The figures, with their labels in the text.
const FIGURES = [["rss", "rss"], ["heapUsed", "heap"], [
  "external",
  "external",
]] as const;

/**
 * The differences from `from` to `to`, as a value that prints as text and
 * stringifies as JSON.
 *
 * @param from The earlier mark.
 * @param to The later mark.
 * @returns The delta.
 *
 * @example A step that kept 8 MiB
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryDelta } from "./memory_delta.ts";
 * const MiB = 2 ** 20;
 * const d = memoryDelta({ rss: 64 * MiB, heapUsed: 9 * MiB }, { rss: 72 * MiB, heapUsed: 8 * MiB });
 * assert.equal(`${d}`, "Δrss=+8.0MiB Δheap=-1.0MiB");
 * assert.deepEqual(d.toJSON(), { rss: 8 * MiB, heapUsed: -MiB });
 * ```
 */
export function memoryDelta(from: MemoryMark, to: MemoryMark): MemoryDelta {
  const json: Record<string, number> = {};
  let text = "";
  for (const [name, label] of FIGURES) {
    const a = from[name], b = to[name];
    if (typeof a !== "number" || typeof b !== "number") continue;
    const d = b - a;
    json[name] = d;
    text += (text && " ") + "Δ" + label + "=" + signedFigure(d);
  }
  text ||= "unavailable";
  const toString = (): string => text;
  return Object.freeze({
    toString,
    toJSON: () => Object.freeze(json),
    // `${delta}`, console.log and util.inspect print the text.
    [Symbol.toPrimitive]: toString,
    [Symbol.for("nodejs.util.inspect.custom")]: toString,
  });
}
