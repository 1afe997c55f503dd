/**
 * LogTape: a formatter wrapper that adds the memory use, as numbers of
 * bytes, to every JSON line a LogTape formatter makes. It imports nothing
 * from LogTape.
 *
 * @module
 */

import { optionError } from "../options.ts";
import { type FieldOptions, fieldOptions } from "./field.ts";
import { jsonSplicer } from "./splice.ts";

/** Options of {@link logtapeFormatter}. */
export type LogTapeFormatterOptions = FieldOptions;

/**
 * Wraps a LogTape text formatter that makes JSON lines (`jsonLinesFormatter`,
 * `getJsonLinesFormatter(…)`, or your own) so that each line also carries
 * `"mem":{…}` as the last member of its object. The field's JSON text is
 * made once per sample and spliced into the finished line, so the formatter
 * serializes nothing more; a line that does not end with `}` is left as it
 * is. Give the result to a sink (`getStreamSink(stream, { formatter })`,
 * `getConsoleSink({ formatter })`'s text formatters, a file sink).
 *
 * The field is at the top level of the line, beside `message` and
 * `properties`. For it in `properties`, or in a text line, pass the field
 * itself instead: `getLogger(…).with({ mem })` (JSON formatters call its
 * `toJSON()`, text formatters print its text for a `{mem}` placeholder).
 *
 * @param formatter The formatter to wrap: a record in, a JSON line out.
 * @param opts The field and its key.
 * @default opts {}
 * @returns The wrapped formatter.
 * @throws {TypeError} When `formatter` is not a function, `opts` is not an
 * object, `mem` is not a `LiveMemUse` or `key` is not a non-empty string.
 *
 * @example The mem field on every JSON line
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   configureSync,
 *   getLogger,
 *   jsonLinesFormatter,
 *   resetSync,
 * } from "@logtape/logtape";
 * import { logtapeFormatter } from "./logtape.ts";
 *
 * const lines: string[] = [];
 * const format = logtapeFormatter(jsonLinesFormatter);
 * configureSync({
 *   sinks: { collect: (record) => void lines.push(format(record)) },
 *   loggers: [
 *     { category: "app", sinks: ["collect"], lowestLevel: "info" },
 *     { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
 *   ],
 * });
 * getLogger("app").info("compacted segment {n}", { n: 12 });
 * resetSync();
 * const record = JSON.parse(lines[0]);
 * assert.equal(record.message, "compacted segment 12");
 * assert.ok(record.mem.rss > 0 && record.mem.heapUsed > 0);
 * ```
 */
export function logtapeFormatter<R>(
  formatter: (record: R) => string,
  opts: LogTapeFormatterOptions = {},
): (record: R) => string {
  if (typeof formatter !== "function") {
    throw optionError("formatter", "a function", formatter);
  }
  const { mem, key } = fieldOptions(opts);
  const splice = jsonSplicer(mem, key);
  return (record) => splice(formatter(record));
}
