/**
 * Ways to plug livemem into the loggers people already use, and a reporter
 * that writes memory lines on its own. None of them imports a logger: they
 * hand each logger the shape it takes (pino's `mixin`, a winston format).
 * LogTape and the console need no adapter: pass the `LiveMemUse` itself.
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
export { pinoMixin, type PinoMixinOptions } from "./lib/integrations/pino.ts";
export {
  type WinstonFormat,
  winstonFormat,
  type WinstonFormatOptions,
} from "./lib/integrations/winston.ts";
