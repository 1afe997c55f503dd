/**
 * Ways to plug livemem into the loggers people already use, and a reporter
 * that writes memory lines on its own. None of them imports a logger: they
 * hand each logger the shape it takes (pino's options, a winston format,
 * a LogTape formatter). The console needs no adapter: print the `LiveMemUse`
 * itself, or its text.
 *
 * @example The field on every pino line
 * ```ts
 * import { pinoOptions } from "@livemem/livemem/integrations";
 *
 * // pino({ ...pinoOptions(), ...yours }, destination) calls this hook.
 * const { hooks } = pinoOptions();
 * const line = hooks.streamWrite('{"level":30,"msg":"done"}\n');
 * if (typeof JSON.parse(line).mem.runtime !== "string") throw new Error(line);
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
