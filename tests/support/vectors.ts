/** Loads the Go golden vectors and turns their arguments into JS values. */

import { readFile } from "node:fs/promises";

/** One encoded argument of a vector (tests/testdata/README.md). */
export interface EncodedArg {
  k: string;
  v?: unknown;
}

/** A `sprintf.json` case. */
export interface SprintfCase {
  format: string;
  args: EncodedArg[];
  want: string;
}

/** A `units.json` case. */
export interface UnitsCase {
  kind: "iec" | "metric";
  value: EncodedArg;
  unit: string;
  format: string;
  grouped: boolean;
  want: string;
}

const SPECIAL: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
  "-0": -0,
};

/** The JS value an encoded argument stands for. */
export function decode(a: EncodedArg): unknown {
  switch (a.k) {
    case "num":
      return typeof a.v === "string" ? SPECIAL[a.v] : a.v;
    case "bigint":
      return BigInt(a.v as string);
    case "str":
    case "bool":
      return a.v;
    case "null":
      return null;
    case "undefined":
      return undefined;
    case "arr":
      return (a.v as EncodedArg[]).map(decode);
    case "bytes":
      return new Uint8Array(a.v as number[]);
    case "obj":
      return Object.fromEntries(
        Object.entries(a.v as Record<string, EncodedArg>).map((
          [k, v],
        ) => [k, decode(v)]),
      );
    case "stringer": {
      const text = a.v as string;
      return { toString: () => text };
    }
    case "error":
      return new Error(a.v as string);
  }
  throw new Error(`unknown vector kind ${a.k}`);
}

/** The folder of this repository's copy of the vectors. */
export const testdata: URL = new URL("../testdata/", import.meta.url);

/** The shared source of the vectors, next to the repository. */
export const shared: URL = new URL("../../../shared/vectors/", import.meta.url);

/** Reads and parses a JSON file. */
export async function readJson<T>(url: URL): Promise<T> {
  return JSON.parse(await readFile(url, "utf8")) as T;
}
