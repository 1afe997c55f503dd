/**
 * Ways to plug livemem into the loggers people already use, and a reporter
 * that writes memory lines on its own. None of them imports a logger: they
 * hand each logger the shape it takes (pino's `mixin`, a winston format).
 * LogTape and the console need no adapter: pass the `LiveMemUse` itself.
 *
 * @example A pino mixin
 * ```ts
 * import { pinoMixin } from "@livemem/livemem/integrations";
 *
 * const mixin = pinoMixin();
 * const { mem } = mixin() as { mem: { runtime: string } };
 * if (typeof mem.runtime !== "string") throw new Error();
 * ```
 *
 * @module
 */

export {
  type Reporter,
  type ReporterFormat,
  type ReporterHost,
  type ReporterOptions,
  startReporter,
} from "./lib/reporter.ts";
export { type FieldOptions } from "./lib/integrations/field.ts";
export { pinoMixin, type PinoMixinOptions } from "./lib/integrations/pino.ts";
export {
  type WinstonFormat,
  winstonFormat,
  type WinstonFormatOptions,
} from "./lib/integrations/winston.ts";
// The types the options and results above refer to, so this entry's
// documentation is complete on its own (the values come from the main entry).
export type {
  Breakdown,
  LiveMemUse,
  LiveMemUseJSON,
  MemorySample,
  RuntimeName,
  Sampler,
} from "./mod.ts";
