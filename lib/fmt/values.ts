/**
 * How a JS value maps to the Go value it prints as (tests/testdata/README.md):
 * its kind and its Go type name.
 *
 * @module
 */

import { formatter } from "./protocol.ts";

/** The Go kinds the printer distinguishes. */
export type Kind =
  | "nil"
  | "bool"
  | "int"
  | "float"
  | "int64"
  | "bigint"
  | "string"
  | "bytes"
  | "formatter"
  | "error"
  | "stringer"
  | "slice"
  | "map"
  | "entries"
  | "uint8";

// Literals, not `2n ** 63n`: a bundler keeps an exponentiation it cannot fold.
const INT64_MIN = -9223372036854775808n; // -(2^63)
const INT64_MAX = 9223372036854775807n; // 2^63 - 1

/** Whether `n` acts as a Go `int` (a safe integer that is not -0). */
export function isGoInt(n: number): boolean {
  return Number.isSafeInteger(n) && !Object.is(n, -0);
}

/** Whether a bigint fits Go's `int64`. */
export function fitsInt64(n: bigint): boolean {
  return n >= INT64_MIN && n <= INT64_MAX;
}

function hasCustomToString(v: object): boolean {
  const f = (v as { toString?: unknown }).toString;
  return typeof f === "function" && f !== Object.prototype.toString;
}

/** Classifies a value; getters and proxies may throw, which callers catch. */
export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case "undefined":
      return "nil";
    case "boolean":
      return "bool";
    case "number":
      return isGoInt(v) ? "int" : "float";
    case "bigint":
      return fitsInt64(v) ? "int64" : "bigint";
    case "string":
      return "string";
    case "symbol":
    case "function":
      return "stringer";
  }
  if (v === null) return "nil";
  const o = v as Record<PropertyKey, unknown>;
  if (typeof o[formatter] === "function") return "formatter";
  if (v instanceof Uint8Array) return "bytes";
  if (Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof Set) {
    return "slice";
  }
  if (v instanceof Error) return "error";
  if (v instanceof Map) return "entries";
  if (hasCustomToString(v as object)) return "stringer";
  return "map";
}

/** The Go type name printed in `%!d(type=value)` and `%!(EXTRA type=value)`. */
export function typeName(v: unknown, kind: Kind): string {
  switch (kind) {
    case "int":
      return "int";
    case "float":
      return "float64";
    case "int64":
      return "int64";
    case "bigint":
      return "*big.Int";
    case "string":
      return "string";
    case "bool":
      return "bool";
    case "bytes":
      return "[]uint8";
    case "uint8":
      return "uint8";
    case "slice":
      return sliceType(v);
    case "map":
      return "map[string]interface {}";
    case "entries":
      return "map[interface {}]interface {}";
  }
  if (typeof v === "symbol") return "symbol";
  if (typeof v === "function") return "func";
  return constructorName(v) ?? "object";
}

function sliceType(v: unknown): string {
  if (Array.isArray(v) || v instanceof Set) return "[]interface {}";
  const name = constructorName(v) ?? "";
  const m = /^(Int|Uint|Float|BigInt|BigUint)(\d+)(Clamped)?Array$/.exec(name);
  if (!m) return "[]interface {}";
  const base = m[1] === "BigInt"
    ? "int"
    : m[1] === "BigUint"
    ? "uint"
    : m[1].toLowerCase();
  return "[]" + base + m[2];
}

function constructorName(v: unknown): string | undefined {
  const c = (v as { constructor?: { name?: unknown } }).constructor;
  return typeof c?.name === "string" && c.name ? c.name : undefined;
}
