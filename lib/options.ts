/**
 * Errors for bad options: every constructor and function that takes options
 * names the option and the value it got, without running user code.
 *
 * @module
 */

/**
 * The error for an option with a bad value, naming both:
 * `${name} must be ${rule}, got ${describeValue(value)}`.
 *
 * @param name The option name.
 * @param rule What the option must be, such as `a function`.
 * @param value The value it got.
 * @param type `RangeError` for a value of the right type but out of range.
 * @default type TypeError
 * @returns The error, to throw.
 *
 * @example A TypeError for a clock that is no function
 * ```ts
 * import { optionError } from "./options.ts";
 * const e = optionError("now", "a function", 42);
 * if (!(e instanceof TypeError) || e.message !== "now must be a function, got 42") throw e;
 * ```
 */
export function optionError(
  name: string,
  rule: string,
  value: unknown,
  type: TypeErrorConstructor | RangeErrorConstructor = TypeError,
): Error {
  return new type(`${name} must be ${rule}, got ${describeValue(value)}`);
}

/**
 * Describes a value for an error message without calling user code.
 *
 * @param value Any value.
 * @returns A short description, such as `-1`, `"1s"` or `object`.
 *
 * @example Describing values
 * ```ts
 * import { describeValue } from "./options.ts";
 * if (describeValue("1s") !== '"1s"' || describeValue(-0) !== "-0") throw new Error();
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (Object.is(value, -0)) return "-0";
  // Objects and functions by their type only: String() could run user code.
  return typeof value === "object" && value !== null ||
      typeof value === "function"
    ? typeof value
    : String(value);
}
