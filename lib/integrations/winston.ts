/**
 * winston: a format that adds the memory use to every record. It imports
 * nothing from winston (or logform): a winston format is any object with a
 * `transform(info)` method.
 *
 * @module
 */

import { optionError } from "../options.ts";
import { type FieldOptions, fieldOptions } from "./field.ts";
import { jsonSplicer } from "./splice.ts";

// logform's (triple-beam's) key of the finished line, by Symbol.for.
const MESSAGE = /* @__PURE__ */ Symbol.for("message");

/** Options of {@link winstonFormat}. */
export interface WinstonFormatOptions extends FieldOptions {
  /**
   * `json` puts `mem.toJSON()` (numbers of bytes) on the record, for
   * `format.json()` and other structured output; `text` puts the log text
   * (`rss=… (…)`), for `format.printf` and `format.simple()` lines. Both go
   * before the format that writes the line. `line` goes after
   * `format.json()` (or any format that makes the line one JSON object) and
   * splices the field's cached JSON text into the finished line, so
   * `format.json()` serializes nothing more: the cheapest, and the record
   * object itself does not carry the field.
   *
   * @default {"json"}
   */
  form?: "json" | "text" | "line";
}

/** A winston (logform) format: what `winston.format(fn)()` returns. */
export interface WinstonFormat {
  /**
   * Adds the field to `info` and returns it.
   *
   * @param info The record.
   * @returns The same record.
   */
  transform<T extends object>(info: T): T;
}

/**
 * A winston format that sets `info.mem` on every record: the JSON of the
 * field (numbers of bytes), or its text with `form: "text"`. Use it in
 * `format.combine(…)` before the format that writes the record; the field
 * samples at most once per its interval. With `form: "line"` it goes after
 * `format.json()` instead and adds `"mem":{…}` to the finished JSON line
 * (a line that does not end with `}` is left as it is).
 *
 * @param opts The field, the key to put it under and the form.
 * @default opts {}
 * @returns The format, for `format.combine(winstonFormat(), format.json())`.
 * @throws {TypeError} When `opts` is not an object, `mem` is not a
 * `LiveMemUse`, `key` is not a non-empty string or `form` is not `json` or
 * `text`.
 *
 * @example The mem field on every winston record
 * ```ts
 * import assert from "node:assert/strict";
 * import { Writable } from "node:stream";
 * import winston from "winston";
 * import { winstonFormat } from "./winston.ts";
 *
 * const lines: string[] = [];
 * const stream = new Writable({
 *   write(chunk, _encoding, done) {
 *     lines.push(String(chunk));
 *     done();
 *   },
 * });
 * const log = winston.createLogger({
 *   format: winston.format.combine(
 *     winstonFormat({ form: "text" }),
 *     winston.format.printf((info) => `${info.level}: ${info.message} mem=${info.mem}`),
 *   ),
 *   transports: [new winston.transports.Stream({ stream })],
 * });
 * log.info("compacted segment 12");
 * assert.match(lines[0], /^info: compacted segment 12 mem=rss=/);
 * ```
 */
export function winstonFormat(opts: WinstonFormatOptions = {}): WinstonFormat {
  const { mem, key } = fieldOptions(opts);
  const form = opts.form ?? "json";
  if (form !== "json" && form !== "text" && form !== "line") {
    throw optionError("form", '"json", "text" or "line"', form);
  }
  if (form === "line") return lineFormat(jsonSplicer(mem, key));
  const text = form === "text";
  return {
    transform<T extends object>(info: T): T {
      (info as Record<string, unknown>)[key] = text
        ? mem.toString()
        : mem.toJSON();
      return info;
    },
  };
}

/** The `line` form: the field spliced into `info[MESSAGE]`. */
function lineFormat(splice: (line: string) => string): WinstonFormat {
  return {
    transform<T extends object>(info: T): T {
      const record = info as Record<symbol, unknown>;
      const line = record[MESSAGE];
      if (typeof line === "string") record[MESSAGE] = splice(line);
      return info;
    },
  };
}
