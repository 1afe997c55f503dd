/**
 * The Prometheus text exposition format (version 0.0.4) of one livemem
 * sample: a `# HELP` and a `# TYPE` line per known figure, then its value
 * with a `runtime` label.
 *
 * @module
 */

import { PROMETHEUS_METRICS } from "./prometheus_names.ts";
import { figureOf } from "./source.ts";

/** The content type to serve {@link exposition}'s text with. */
export const PROMETHEUS_CONTENT_TYPE =
  "text/plain; version=0.0.4; charset=utf-8";

/**
 * Escapes a label value as the text format wants it: backslash, double
 * quote and line feed get a backslash.
 *
 * @param value The label value.
 * @returns The escaped value, to put between double quotes.
 *
 * @example Escaping
 * ```ts
 * import { escapeLabelValue } from "./exposition.ts";
 * if (escapeLabelValue('a"b\\c\nd') !== 'a\\"b\\\\c\\nd') throw new Error();
 * ```
 */
export function escapeLabelValue(value: string): string {
  return /["\\\n]/.test(value)
    ? value.replace(/["\\\n]/g, (c) => c === "\n" ? "\\n" : "\\" + c)
    : value;
}

/**
 * Writes the exposition of one `LiveMemUse.toJSON()` result. Figures that
 * are absent or not finite numbers are left out with their `# HELP` and
 * `# TYPE` lines; with none known the text is empty.
 *
 * @param json What `toJSON()` returned.
 * @returns The text, each line ending with a line feed.
 *
 * @example One figure
 * ```ts
 * import assert from "node:assert/strict";
 * import { exposition } from "./exposition.ts";
 * assert.equal(
 *   exposition({ runtime: "deno", rss: 52428800 }),
 *   "# HELP process_resident_memory_bytes Resident set size of the process in bytes.\n" +
 *     "# TYPE process_resident_memory_bytes gauge\n" +
 *     'process_resident_memory_bytes{runtime="deno"} 52428800\n',
 * );
 * ```
 */
export function exposition(json: object): string {
  const runtime = (json as { runtime?: unknown }).runtime;
  const labels = `{runtime="${
    escapeLabelValue(typeof runtime === "string" ? runtime : "unknown")
  }"} `;
  let text = "";
  for (const { field, name, help } of PROMETHEUS_METRICS) {
    const v = figureOf(json, field);
    if (v === undefined) continue;
    text += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" +
      name + labels + v + "\n";
  }
  return text;
}
