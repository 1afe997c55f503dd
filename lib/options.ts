/**
 * Errors for bad options, and the checkers that raise them: every
 * constructor and function that takes options names the option and the
 * value it got, without running user code. One style for every message:
 * `<api>: option "<name>" must be <rule>, got <value>` (see {@link option}),
 * `<api>: options must be an object, got <value>` for the object itself.
 *
 * A checker returns the value when it is good and `undefined` when it was
 * left out (the caller picks the default), and throws otherwise.
 *
 * @module
 */

/**
 * The error for an option with a bad value, naming both:
 * `${name} must be ${rule}, got ${describeValue(value)}`.
 *
 * @param name What is named, such as `LiveMemUse: option "now"` (see
 * {@link option}).
 * @param rule What the option must be, such as `a function`.
 * @param value The value it got.
 * @param type `RangeError` for a value of the right type but out of range.
 * @default type TypeError
 * @param got What it got, when more is to be said than the value's
 * description (such as what a method of it is).
 * @default got describeValue(value)
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
  got: string = describeValue(value),
): Error {
  return new type(`${name} must be ${rule}, got ${got}`);
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

/**
 * The name of an option in messages: `LiveMemUse: option "interval"`.
 *
 * @param api The function or class that takes the option.
 * @param name The option.
 * @returns The name to give the checkers.
 *
 * @example
 * ```ts
 * import { option } from "./options.ts";
 * if (option("rateLimit", "now") !== 'rateLimit: option "now"') throw new Error();
 * ```
 */
export function option(api: string, name: string): string {
  return `${api}: option "${name}"`;
}

/**
 * Checks an options object.
 *
 * @typeParam T The options type.
 * @param api The function or class that takes it, for the message.
 * @param value The options as given.
 * @returns `value`.
 * @throws {TypeError} When `value` is not an object.
 *
 * @example
 * ```ts
 * import { checkOptions } from "./options.ts";
 * let message = "";
 * try { checkOptions("LiveMemUse", null); } catch (e) { message = (e as Error).message; }
 * if (message !== "LiveMemUse: options must be an object, got null") throw new Error(message);
 * ```
 */
export function checkOptions<T>(api: string, value: T): T {
  if (typeof value !== "object" || value === null) {
    throw optionError(`${api}: options`, "an object", value);
  }
  return value;
}

/**
 * Checks an option that must be a function.
 *
 * @param name The option's name in messages (see {@link option}).
 * @param value The value to check.
 * @returns `value`, or `undefined` when left out.
 * @throws {TypeError} When `value` is neither a function nor `undefined`.
 *
 * @example Picking a clock
 * ```ts
 * import { checkFunction } from "./options.ts";
 * const fixed = () => 42;
 * if (checkFunction("now", fixed) !== fixed) throw new Error();
 * ```
 */
export function checkFunction<T>(name: string, value: T): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw optionError(name, "a function", value);
  }
  return value;
}

/**
 * Checks an option that must be a boolean.
 *
 * @param name The option's name in messages (see {@link option}).
 * @param value The value to check.
 * @returns `value`, or `undefined` when left out.
 * @throws {TypeError} When `value` is neither a boolean nor `undefined`.
 *
 * @example
 * ```ts
 * import { checkBoolean } from "./options.ts";
 * if (checkBoolean("headroom", true) !== true) throw new Error();
 * ```
 */
export function checkBoolean(
  name: string,
  value: unknown,
): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    throw optionError(name, "a boolean", value);
  }
  return value;
}

/**
 * Checks an interval of a cache: a finite number of milliseconds >= 0.
 *
 * @param name What is named in messages (see {@link option}).
 * @param value The value to check.
 * @returns `value`, as a number.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When `value` is NaN, infinite or negative.
 *
 * @example Accepting and rejecting intervals
 * ```ts
 * import { checkInterval } from "./options.ts";
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
 * What a timer's interval must be: timers take delays up to 2 ** 31 - 1
 * ms (a larger one fires at once in Node).
 */
export const TIMER_INTERVAL_RULE =
  "a whole number of milliseconds from 1 to 2147483647";

/**
 * Checks a number option against its rule: a `TypeError` for anything but a
 * number, a `RangeError` for a number outside the rule, both with `rule` in
 * the message.
 *
 * @param name What is named in messages (see {@link option}).
 * @param value The value to check.
 * @param rule What the value must be, as the message says it.
 * @param inRange Whether a number is within the rule.
 * @returns `value`, as a number.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When `inRange(value)` is false.
 *
 * @example A fraction
 * ```ts
 * import { checkNumber } from "./options.ts";
 * const rule = "a fraction from 0 to 1";
 * let threw = false;
 * try { checkNumber("warn", 1.5, rule, (v) => v >= 0 && v <= 1); } catch (e) { threw = e instanceof RangeError; }
 * if (!threw || checkNumber("warn", 0.5, rule, (v) => v >= 0 && v <= 1) !== 0.5) throw new Error();
 * ```
 */
export function checkNumber(
  name: string,
  value: unknown,
  rule: string,
  inRange: (v: number) => boolean,
): number {
  if (typeof value !== "number") throw optionError(name, rule, value);
  if (!inRange(value)) throw optionError(name, rule, value, RangeError);
  return value;
}

/**
 * Checks the interval of a timer (see {@link TIMER_INTERVAL_RULE}).
 *
 * @param name What is named in messages (see {@link option}).
 * @param value The value to check.
 * @returns `value`, as a number.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When `value` is not a whole number from 1 to
 * 2147483647.
 *
 * @example
 * ```ts
 * import { checkTimerInterval } from "./options.ts";
 * let threw = false;
 * try { checkTimerInterval("interval", 0.5); } catch (e) { threw = e instanceof RangeError; }
 * if (!threw || checkTimerInterval("interval", 250) !== 250) throw new Error();
 * ```
 */
export function checkTimerInterval(name: string, value: unknown): number {
  return checkNumber(
    name,
    value,
    TIMER_INTERVAL_RULE,
    (v) => Number.isInteger(v) && v >= 1 && v <= 2147483647,
  );
}

/**
 * Checks an option that is one of a few strings.
 *
 * @typeParam T The strings.
 * @param name What is named in messages (see {@link option}).
 * @param value The value to check.
 * @param choices The strings allowed.
 * @returns `value`.
 * @throws {TypeError} When `value` is none of them, listing them.
 *
 * @example
 * ```ts
 * import { checkChoice } from "./options.ts";
 * if (checkChoice("format", "json", ["text", "json"]) !== "json") throw new Error();
 * ```
 */
export function checkChoice<const T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(value as T)) {
    const listed = choices.map((c) => JSON.stringify(c));
    const rule = listed.length > 1
      ? `${listed.slice(0, -1).join(", ")} or ${listed.at(-1)}`
      : listed.join("");
    throw optionError(name, rule, value);
  }
  return value as T;
}

/**
 * Checks a `sampler` option, by shape only: an object with a `sample()`
 * method (two copies of livemem may meet in one program, so no
 * `instanceof`).
 *
 * @typeParam T The sampler type.
 * @param name What is named in messages (see {@link option}).
 * @param value The option as given.
 * @returns The sampler, or `undefined` when left out.
 * @throws {TypeError} When `value` is neither, naming what it got.
 *
 * @example Accepting and rejecting samplers
 * ```ts
 * import { checkSampler } from "./options.ts";
 * const s = { runtime: "unknown", sample: () => undefined };
 * if (checkSampler("sampler", s) !== s || checkSampler("sampler", undefined) !== undefined) {
 *   throw new Error();
 * }
 * ```
 */
export function checkSampler<T>(name: string, value: T): T | undefined {
  if (value === undefined) return undefined;
  const isObject = typeof value === "object" && value !== null;
  const sample = isObject ? (value as { sample?: unknown }).sample : undefined;
  if (typeof sample === "function") return value;
  throw optionError(
    name,
    "an object with a sample() method",
    value,
    TypeError,
    // Short: what its sample is, the rest the rule says (fewer bytes).
    isObject ? "sample: " + describeValue(sample) : undefined,
  );
}
