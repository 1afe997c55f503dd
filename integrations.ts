/**
 * Ways to plug livemem into the loggers people already use, and a reporter
 * that writes memory lines on its own. None of them imports a logger: they
 * hand each logger the shape it takes (pino's options, a winston format,
 * a LogTape formatter). The console needs no adapter: print the `LiveMemUse`
 * itself, or its text.
 *
 * @example A pino mixin
 * ```ts
 * import { pinoMixin } from "./integrations.ts";
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
export {
  type PinoFieldOptions,
  type PinoHooks,
  pinoMixin,
  type PinoMixinOptions,
  pinoOptions,
  type PinoOptionsOptions,
} from "./lib/integrations/pino.ts";
export {
  logtapeFormatter,
  type LogTapeFormatterOptions,
} from "./lib/integrations/logtape.ts";
export {
  type WinstonFormat,
  winstonFormat,
  type WinstonFormatOptions,
} from "./lib/integrations/winston.ts";
