/**
 * pino: a `mixin` that adds the memory use, as numbers of bytes, to every
 * record. It imports nothing from pino.
 *
 * @module
 */

import type { LiveMemUseJSON } from "../live_mem_use.ts";
import { type FieldOptions, fieldOptions } from "./field.ts";

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
