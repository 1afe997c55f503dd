/**
 * What the logger adapters share: the `mem` field and its key, checked.
 *
 * @module
 */

import { LiveMemUse } from "../live_mem_use.ts";
import { optionError } from "../options.ts";

/** Options every logger adapter takes. */
export interface FieldOptions {
  /**
   * The field to log. Share one between loggers: it samples at most once
   * per its interval, however many lines print it.
   *
   * @default {new LiveMemUse()} one for this adapter
   */
  mem?: LiveMemUse;
  /**
   * The name of the field on each record.
   *
   * @default {"mem"}
   */
  key?: string;
}

/**
 * Checks the options of an adapter and fills in the defaults.
 *
 * @param opts The options, as the user gave them.
 * @returns The field and its key.
 * @throws {TypeError} When `opts` is not an object, `mem` is not a
 * `LiveMemUse` or `key` is not a non-empty string.
 *
 * @example Defaults
 * ```ts
 * import { fieldOptions } from "./field.ts";
 * const { mem, key } = fieldOptions({});
 * if (key !== "mem" || !String(mem)) throw new Error();
 * ```
 */
export function fieldOptions(
  opts: FieldOptions,
): { mem: LiveMemUse; key: string } {
  if (typeof opts !== "object" || opts === null) {
    throw optionError("options", "an object", opts);
  }
  const { mem, key = "mem" } = opts;
  // By shape, not instanceof: two copies of livemem may meet in one program.
  if (
    mem !== undefined &&
    (typeof mem !== "object" || mem === null ||
      typeof mem.toJSON !== "function")
  ) {
    throw optionError("mem", "a LiveMemUse", mem);
  }
  if (typeof key !== "string" || key === "") {
    throw optionError("key", "a non-empty string", key);
  }
  return { mem: mem ?? new LiveMemUse(), key };
}
