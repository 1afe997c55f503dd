/**
 * Pressure: how much of the nearest limit is in use, as a level (`ok`,
 * `warn`, `critical`) that changes once per crossing. A level is entered at
 * its threshold and left only `margin` below it, so a figure hovering at a
 * threshold crosses once, not at every sample.
 *
 * @module
 */

import { checkNumber, optionError } from "./options.ts";

/** A pressure level, from the fraction of the nearest limit in use. */
export type PressureLevel = "ok" | "warn" | "critical";

/**
 * The thresholds of the pressure levels, as fractions of the nearest limit
 * in use: `max(heapUsed / heapLimit, rss / memoryLimit)` over the limits
 * known. Each a number from 0 to 1, `warn` below `critical`.
 */
export interface PressureOptions {
  /**
   * The fraction in use at which `warn` is entered.
   *
   * @default {0.8}
   */
  warn?: number;
  /**
   * The fraction in use at which `critical` is entered.
   *
   * @default {0.95}
   */
  critical?: number;
  /**
   * How far below its threshold the fraction must fall before a level is
   * left.
   *
   * @default {0.05}
   */
  margin?: number;
}

const LEVELS: readonly PressureLevel[] = ["ok", "warn", "critical"];

// One threshold: a number from 0 to 1.
function fraction(name: string, value: unknown, fallback: number): number {
  return value === undefined ? fallback : checkNumber(
    name,
    value,
    "a fraction from 0 to 1",
    (v) => v >= 0 && v <= 1,
  );
}

/**
 * The level stepper of `LiveMemWatch`'s `onPressure`: the function it
 * returns takes each sample's fraction of the nearest limit in use and
 * returns the new level when the level changed (the first level other than
 * `ok` counts as a change), else `undefined`. A sample with no limit known
 * (`undefined`) leaves the level as it is.
 *
 * @param opts The thresholds.
 * @param name The full name of an option key, for the errors.
 * @returns The stepper, which starts at `ok`.
 * @throws {TypeError} When `opts` or a threshold has the wrong type.
 * @throws {RangeError} When a threshold is not from 0 to 1, or `warn` is
 * not below `critical`.
 *
 * @example A figure hovering at the warn threshold crosses once
 * ```ts
 * import assert from "node:assert/strict";
 * import { pressureLevels } from "./pressure.ts";
 * const step = pressureLevels({}, (key) => key);
 * const levels = [0.5, 0.8, 0.79, 0.81, 0.79, 0.7].map(step);
 * assert.deepEqual(levels, [undefined, "warn", undefined, undefined, undefined, "ok"]);
 * ```
 */
export function pressureLevels(
  opts: PressureOptions | undefined,
  name: (key: string) => string,
): (used: number | undefined) => PressureLevel | undefined {
  if (opts !== undefined && (typeof opts !== "object" || opts === null)) {
    throw optionError(name("pressure"), "an object", opts);
  }
  const warn = fraction(name("pressure.warn"), opts?.warn, 0.8);
  const critical = fraction(name("pressure.critical"), opts?.critical, 0.95);
  const margin = fraction(name("pressure.margin"), opts?.margin, 0.05);
  if (!(warn < critical)) {
    throw optionError(
      name("pressure.warn"),
      `below critical (${critical})`,
      warn,
      RangeError,
    );
  }
  let level = 0;
  return (used) => {
    if (used === undefined) return undefined;
    const up = used >= critical ? 2 : used >= warn ? 1 : 0;
    const down = used >= critical - margin ? 2 : used >= warn - margin ? 1 : 0;
    const next = up > level ? up : down < level ? down : level;
    if (next === level) return undefined;
    level = next;
    return LEVELS[next];
  };
}
