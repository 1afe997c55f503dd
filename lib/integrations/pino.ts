/**
 * pino: the options that put the memory use, as numbers of bytes, on every
 * record ({@link pinoOptions}), and the older `mixin` ({@link pinoMixin}).
 * It imports nothing from pino.
 *
 * @module
 */

import type { LiveMemUseJSON } from "../live_mem_use.ts";
import { optionError } from "../options.ts";
import { type FieldOptions, fieldOptions } from "./field.ts";
import { jsonSplicer } from "./splice.ts";

/**
 * pino's `hooks` option, as far as livemem touches it: `streamWrite` is
 * composed with the field, the others are passed on as they are.
 */
export interface PinoHooks {
  /**
   * Gets each finished line and returns it, changed (pino's `streamWrite`).
   */
  streamWrite?: (s: string) => string;
  /**
   * Gets the arguments of each log call (pino's `logMethod`): passed on.
   *
   * @param args The arguments of the call.
   * @param method The log method, to call with `method.apply(this, args)`.
   * @param level The level's number.
   */
  logMethod?(
    this: unknown,
    args: unknown[],
    method: (...args: unknown[]) => void,
    level: number,
  ): void;
}

/** Options of {@link pinoOptions}. */
export interface PinoOptionsOptions<H extends PinoHooks = PinoHooks>
  extends FieldOptions {
  /**
   * Your own pino `hooks`, if any. Pass them here rather than next to the
   * spread: `pino({ ...pinoOptions(), hooks })` would replace the hook
   * that adds the field. Your `streamWrite` sees pino's line first; the
   * field is added to what it returns.
   *
   * @default {{}}
   */
  hooks?: H;
}

/** What {@link pinoOptions} returns: pino options to spread. */
export interface PinoFieldOptions<H extends PinoHooks = PinoHooks> {
  /** Your hooks, with a `streamWrite` that adds the field. */
  hooks: Omit<H, "streamWrite"> & { streamWrite: (s: string) => string };
}

/**
 * The pino options that add the field to every record, at the cost of one
 * cached read a line: `pino({ ...pinoOptions(), ...yours }, destination)`.
 *
 * They set pino's `hooks.streamWrite`, which gets each line as pino wrote
 * it, and splice in `"mem":<mem.toJSONString()>` before its closing `}`:
 * the field's JSON text is made once per sample, so a line between samples
 * costs what writing those bytes costs (a cached read and two string
 * concatenations), and pino serializes nothing more. The line stays one
 * valid JSON object with any other option (`messageKey`, `nestedKey`,
 * `formatters`, `timestamp`, `base`, `crlf`, `redact`, custom levels), in
 * child loggers, multistreams and transports (the hook runs before pino
 * hands the line to a worker). `redact` paths inside `mem` do not apply:
 * use {@link pinoMixin} for that. A record with a `mem` key of its own
 * then has it twice, `JSON.parse` keeping ours (use `key` to rename).
 *
 * @param opts The field, its key, and hooks of your own to keep.
 * @default opts {}
 * @returns `{ hooks }` for pino's options.
 * @throws {TypeError} When `opts` is not an object, `mem` is not a
 * `LiveMemUse`, `key` is not a non-empty string, `hooks` is not an object
 * or its `streamWrite` is not a function.
 *
 * @example The mem field on every pino line
 * ```ts
 * import assert from "node:assert/strict";
 * import { Writable } from "node:stream";
 * import pino from "pino";
 * import { pinoOptions } from "./pino.ts";
 *
 * const lines: string[] = [];
 * const sink = new Writable({
 *   write(chunk, _encoding, done) {
 *     lines.push(String(chunk));
 *     done();
 *   },
 * });
 * const log = pino({ ...pinoOptions(), base: null }, sink);
 * log.child({ request: 7 }).info("compacted segment 12");
 * const record = JSON.parse(lines[0]);
 * assert.equal(record.msg, "compacted segment 12");
 * assert.equal(record.request, 7);
 * assert.ok(record.mem.rss > 0 && record.mem.heapUsed > 0);
 * ```
 *
 * @example Keeping a streamWrite hook of your own
 * ```ts
 * import assert from "node:assert/strict";
 * import { pinoOptions } from "./pino.ts";
 *
 * const { hooks } = pinoOptions({
 *   hooks: { streamWrite: (s) => s.replaceAll("hunter2", "***") },
 * });
 * const line = hooks.streamWrite('{"msg":"password hunter2"}\n');
 * assert.equal(JSON.parse(line).msg, "password ***");
 * assert.equal(typeof JSON.parse(line).mem.runtime, "string");
 * ```
 */
export function pinoOptions<H extends PinoHooks = PinoHooks>(
  opts: PinoOptionsOptions<H> = {},
): PinoFieldOptions<H> {
  const { mem, key } = fieldOptions(opts);
  const hooks = opts.hooks ?? ({} as H);
  if (typeof hooks !== "object" || hooks === null) {
    throw optionError("hooks", "an object", hooks);
  }
  const theirs = hooks.streamWrite;
  if (theirs !== undefined && typeof theirs !== "function") {
    throw optionError("hooks.streamWrite", "a function", theirs);
  }
  const splice = jsonSplicer(mem, key);
  const streamWrite = theirs === undefined
    ? splice
    : (s: string) => splice(theirs(s));
  return { hooks: { ...hooks, streamWrite } };
}

/** Options of {@link pinoMixin}. */
export type PinoMixinOptions = FieldOptions;

/**
 * A pino `mixin`: pino calls it for every record it writes and merges what
 * it returns, here `{ mem: mem.toJSON() }` (`rss`, `heapTotal`, `heapUsed`,
 * `heapFree`, `external`, `arrayBuffers`, `other`, `heapLimit`, `peakRss`
 * in bytes, where known). The field samples at most once per its interval.
 * For a human-readable line, pino-pretty or a `messageFormat` can print
 * `String(mem)`.
 *
 * @param opts The field and the key to put it under.
 * @default opts {}
 * @returns The mixin, for `pino({ mixin })`.
 * @throws {TypeError} When `opts` is not an object, `mem` is not a
 * `LiveMemUse` or `key` is not a non-empty string.
 *
 * @example The mem field on every pino record
 * ```ts
 * import assert from "node:assert/strict";
 * import { Writable } from "node:stream";
 * import pino from "pino";
 * import { pinoMixin } from "./pino.ts";
 *
 * const lines: string[] = [];
 * const sink = new Writable({
 *   write(chunk, _encoding, done) {
 *     lines.push(String(chunk));
 *     done();
 *   },
 * });
 * const log = pino({ mixin: pinoMixin() }, sink);
 * log.info("compacted segment 12");
 * const record = JSON.parse(lines[0]);
 * assert.equal(record.msg, "compacted segment 12");
 * assert.ok(record.mem.rss > 0 && record.mem.heapUsed > 0);
 * ```
 */
export function pinoMixin(
  opts: PinoMixinOptions = {},
): () => Record<string, LiveMemUseJSON> {
  const { mem, key } = fieldOptions(opts);
  return () => ({ [key]: mem.toJSON() });
}
