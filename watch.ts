/**
 * `livemem/watch`: {@link LiveMemWatch}, a `LiveMemUse` that also knows the
 * limit that will stop the process (the container's, or one you give), the
 * bytes left before the nearest limit, the pressure on it (`onPressure`,
 * once per crossing), the trend of the heap after garbage collection
 * (`trend: heapTrend()`), and what one step changed (`mark()`, `since()`).
 * A separate entry, so that a program importing only `LiveMemUse` carries
 * none of it.
 *
 * @example The headroom on every log line
 * ```ts
 * import { LiveMemWatch } from "@livemem/livemem/watch";
 *
 * // A platform with a 512 MiB limit and no API for it.
 * const mem = new LiveMemWatch({ headroom: true, limit: 512 * 2 ** 20 });
 * const line = `request done mem=${mem}`;
 * if (!/ ; memoryLimit=512\.0MiB ; headroom=[\d,.]+[KMG]iB$/.test(line)) throw new Error(line);
 * ```
 *
 * @module
 */

export {
  LiveMemWatch,
  type LiveMemWatchJSON,
  type LiveMemWatchOptions,
  type TrendFigures,
  type TrendSource,
} from "./lib/live_mem_watch.ts";
export type { HeadroomFigures } from "./lib/headroom.ts";
export type { MemoryDelta, MemoryMark } from "./lib/memory_delta.ts";
export type { PressureLevel, PressureOptions } from "./lib/pressure.ts";
export { containerLimit } from "./lib/runtime.ts";
export { HeapTrend, heapTrend } from "./lib/heap_trend.ts";
export type { TrendOptions, TrendSnapshot } from "./lib/trend.ts";
// The base class and the types the signatures above name.
export {
  LiveMemUse,
  type LiveMemUseJSON,
  type LiveMemUseOptions,
  type SampleExtension,
  type SampleExtras,
} from "./lib/live_mem_use.ts";
export type { Breakdown } from "./lib/breakdown.ts";
export type { MemorySample, Sampler } from "./lib/samplers.ts";
export type { RuntimeName } from "./lib/runtime.ts";
