/**
 * livemem puts the live memory use of a JavaScript process into every log
 * line, on Deno, Bun, Node.js, edge runtimes and browsers: the counterpart
 * of Go's `textui.LiveMemUse`, with a Go-exact `sprintf` and IEC/SI units.
 *
 * @example A memory field on a log line
 * ```ts
 * import { LiveMemUse } from "@livemem/livemem";
 *
 * const mem = new LiveMemUse();
 * const line = `request done mem=${mem}`;
 * if (!/mem=(rss=|heap=|unavailable)/.test(line)) throw new Error(line);
 * ```
 *
 * @example Go-style formatting with IEC prefixes
 * ```ts
 * import { iec, Printer, sprintf } from "@livemem/livemem";
 *
 * if (sprintf("%.1f", iec(123456789, "B")) !== "117.7MiB") throw new Error();
 * if (new Printer({ grouping: true }).sprintf("%v", iec(1023)) !== "1,023B") {
 *   throw new Error();
 * }
 * ```
 *
 * @module
 */

export { Printer, type PrinterOptions, sprintf } from "./lib/fmt/printer.ts";
export {
  type FormatState,
  type Formatter,
  formatter,
} from "./lib/fmt/protocol.ts";
export { iec, metric, type Quantity } from "./lib/units.ts";
export type { RuntimeName } from "./lib/runtime.ts";
export {
  detectSampler,
  type MemorySample,
  type Sampler,
} from "./lib/samplers.ts";
export { rateLimit, type RateLimitOptions } from "./lib/rate_limit.ts";
export { type Breakdown, breakdown } from "./lib/breakdown.ts";
export {
  LiveMemUse,
  type LiveMemUseJSON,
  type LiveMemUseOptions,
  type SampleExtension,
  type SampleExtras,
} from "./lib/live_mem_use.ts";
