/**
 * Runtime detection: the one place that looks at the global scope to find
 * the memory APIs and the clock of Deno, Bun, Node, workerd and browsers
 * (the reporter's host facilities are probed beside it, in `host.ts`).
 *
 * Detection is by feature, never by user agent, and happens only when
 * {@link detectRuntime} is called: nothing runs at import, no `node:` module
 * is imported statically, and a builtin is reached only through
 * `process.getBuiltinModule` where the runtime already has it, so the module
 * still bundles into an edge function.
 *
 * @module
 */

/** The runtime a sample comes from, found by feature detection. */
export type RuntimeName =
  | "deno"
  | "bun"
  | "node"
  | "workerd"
  | "edge-runtime"
  | "browser"
  | "unknown";

/** A zero-argument function that reads one memory figure source. */
export type Reader = () => unknown;

/** The memory APIs found in a global scope, each bound to its owner. */
export interface RuntimeFeatures {
  /** The runtime, from the features found. */
  readonly name: RuntimeName;
  /**
   * `Deno.memoryUsage` on Deno where it exists, else `process.memoryUsage`
   * (Node, Bun, Deno's node compat, workerd's nodejs_compat).
   */
  readonly memoryUsage?: Reader;
  /** `process.resourceUsage` (its `maxRSS` is the peak rss in KiB). */
  readonly resourceUsage?: Reader;
  /** Reads Chromium's `performance.memory` (a getter, so read on each call). */
  readonly performanceMemory?: Reader;
  /**
   * `v8.getHeapStatistics`, on Node and Deno only: there it costs under a
   * microsecond, while on Bun the same API walks the whole heap.
   */
  readonly heapStatistics?: Reader;
}

// A loose view of the globals we probe; everything is optional because any
// of them may be missing or replaced by the host.
interface Probe {
  Deno?: { memoryUsage?: unknown };
  Bun?: unknown;
  EdgeRuntime?: unknown;
  WebSocketPair?: unknown;
  document?: unknown;
  WorkerGlobalScope?: unknown;
  process?: {
    memoryUsage?: unknown;
    resourceUsage?: unknown;
    getBuiltinModule?: unknown;
    versions?: { node?: unknown; bun?: unknown };
  };
  performance?: { memory?: unknown };
}

function bind(owner: unknown, fn: unknown): Reader | undefined {
  return typeof fn === "function" ? () => fn.call(owner) : undefined;
}

/**
 * Finds the memory APIs in `scope` by feature. Never throws: a scope whose
 * getters throw is treated as having nothing.
 *
 * @param scope The global scope to probe.
 * @default scope globalThis
 * @returns The features found.
 *
 * @example Probing the current runtime
 * ```ts
 * import { detectRuntime } from "./runtime.ts";
 * const features = detectRuntime();
 * if (typeof features.name !== "string") throw new Error("no name");
 * ```
 */
export function detectRuntime(scope: object = globalThis): RuntimeFeatures {
  try {
    const g = scope as Probe;
    const deno = g.Deno;
    const proc = g.process;
    const versions = proc?.versions;
    const name: RuntimeName = typeof deno === "object" && deno !== null
      ? "deno"
      : g.Bun !== undefined || typeof versions?.bun === "string"
      ? "bun"
      // Vercel's Edge Runtime names itself in this global.
      : typeof g.EdgeRuntime === "string"
      ? "edge-runtime"
      // workerd is the only runtime with WebSocketPair; checked before
      // "node" because nodejs_compat gives it a `process` too.
      : typeof g.WebSocketPair === "function"
      ? "workerd"
      : typeof versions?.node === "string"
      ? "node"
      : typeof g.document === "object" ||
          typeof g.WorkerGlobalScope === "function"
      ? "browser"
      : "unknown";
    const perf = g.performance;
    return {
      name,
      memoryUsage:
        (name === "deno" ? bind(deno, deno?.memoryUsage) : undefined) ??
          bind(proc, proc?.memoryUsage),
      resourceUsage: bind(proc, proc?.resourceUsage),
      performanceMemory: perf !== undefined && perf !== null && "memory" in perf
        ? () => perf.memory
        : undefined,
      heapStatistics: name === "node" || name === "deno"
        ? lazyHeapStatistics(proc)
        : undefined,
    };
  } catch {
    return { name: "unknown" };
  }
}

// Resolves node:v8 on first use only, so detection stays cheap and a runtime
// without getBuiltinModule (Node < 22.3) simply has no heap limit. The
// sampler reads it once, through read(), which turns a throw into unknown.
function lazyHeapStatistics(proc: Probe["process"]): Reader | undefined {
  const get = proc?.getBuiltinModule;
  return typeof get === "function"
    ? () =>
      (get.call(proc, "node:v8") as { getHeapStatistics(): unknown })
        .getHeapStatistics()
    : undefined;
}

/**
 * The default clock: `performance.now()` (monotonic) where it exists, else
 * `Date.now()`.
 *
 * @returns The clock function, in milliseconds.
 *
 * @example Reading the default clock
 * ```ts
 * import { defaultClock } from "./runtime.ts";
 * const now = defaultClock();
 * if (!(now() >= 0)) throw new Error("clock");
 * ```
 */
export function defaultClock(): () => number {
  const perf = globalThis.performance;
  return typeof perf?.now === "function" ? () => perf.now() : Date.now;
}

// What containerLimit() reads; any of it may be missing.
interface LimitProbe {
  Deno?: {
    permissions?: {
      querySync?(desc: { name: "sys"; kind: "systemMemoryInfo" }): {
        state?: unknown;
      };
    };
  };
  process?: {
    constrainedMemory?(): unknown;
    getBuiltinModule?(id: string): unknown;
  };
}

/**
 * The container's memory limit (the cgroup's), in bytes, where the runtime
 * gives it cheaply and without a permission: `process.constrainedMemory()`
 * on Node and Bun, and on Deno only while the `sys` permission is already
 * granted (`Deno.permissions.querySync` never prompts). No limit is
 * `undefined`, never a number: Node says 2^64 - 1 without a cgroup limit
 * and Bun the machine's memory, so anything at or above 2^53 or at or above
 * `os.totalmem()` is no limit.
 *
 * @param scope The global scope to read.
 * @default scope globalThis
 * @returns The limit, or `undefined` when there is none or it is unknown.
 * Never throws.
 *
 * @example Node's answer without a cgroup limit is no limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { containerLimit } from "./runtime.ts";
 * assert.equal(containerLimit({ process: { constrainedMemory: () => 2 ** 64 - 1 } }), undefined);
 * assert.equal(containerLimit({ process: { constrainedMemory: () => 2 ** 28 } }), 2 ** 28);
 * ```
 */
export function containerLimit(scope: object = globalThis): number | undefined {
  try {
    const { Deno: deno, process: proc } = scope as LimitProbe;
    if (
      typeof deno === "object" && deno !== null &&
      deno.permissions?.querySync?.({ name: "sys", kind: "systemMemoryInfo" })
          ?.state !== "granted"
    ) return undefined;
    const limit = proc?.constrainedMemory?.();
    if (typeof limit !== "number" || !(limit > 0 && limit < 2 ** 53)) {
      return undefined;
    }
    const os = proc?.getBuiltinModule?.("node:os") as
      | { totalmem?(): unknown }
      | undefined;
    const total = os?.totalmem?.();
    return typeof total === "number" && limit >= total ? undefined : limit;
  } catch {
    return undefined;
  }
}

/** The `PerformanceObserver` class, as far as the `gc` watch uses it. */
export interface GcObserverClass {
  new (callback: (list: { getEntries(): unknown[] }) => void): {
    observe(options: { entryTypes: string[] }): void;
    disconnect(): void;
  };
}

/** The `FinalizationRegistry` class, as far as the sentinels use it. */
export interface GcRegistryClass {
  new (callback: (token: unknown) => void): {
    register(target: object, token: unknown): void;
  };
}

/** What a global scope offers for watching garbage collections. */
export interface GcFeatures {
  /**
   * `PerformanceObserver`, only where its `supportedEntryTypes` has `gc`
   * (Node): it reports every collection with its kind.
   */
  readonly Observer?: GcObserverClass;
  /** `FinalizationRegistry`: sentinels, where there is no observer. */
  readonly Registry?: GcRegistryClass;
  /** `queueMicrotask`, or a direct call without it. */
  readonly later: (fn: () => void) => void;
  /**
   * The cheapest reader of the heap used: `v8.getHeapStatistics()`'s
   * `used_heap_size` on Node and Deno (under a microsecond), the
   * `heapUsed` of `process.memoryUsage()` on Bun (updated by collections
   * only; its heap statistics walk the heap), `performance.memory`'s
   * `usedJSHeapSize` in Chromium. It may throw or return anything.
   */
  readonly heapUsed?: Reader;
}

interface GcProbe {
  PerformanceObserver?: { supportedEntryTypes?: unknown };
  FinalizationRegistry?: unknown;
  queueMicrotask?: unknown;
}

/**
 * Finds what `scope` offers for watching garbage collections without a
 * native addon. Only `heapTrend()` asks, so a bundle without it carries
 * none of this. Never throws: a scope whose getters throw offers nothing.
 *
 * @param scope The global scope to probe.
 * @default scope globalThis
 * @returns The features found.
 *
 * @example What the current runtime offers
 * ```ts
 * import { detectGc } from "./runtime.ts";
 * const gc = detectGc();
 * if (gc.Observer === undefined && gc.Registry === undefined) throw new Error("no watch");
 * ```
 */
export function detectGc(scope: object = globalThis): GcFeatures {
  const direct = (fn: () => void) => fn();
  try {
    const g = scope as GcProbe;
    const Observer = g.PerformanceObserver;
    const types = Observer?.supportedEntryTypes;
    const queue = g.queueMicrotask;
    const r = detectRuntime(scope);
    const field = (read: Reader | undefined, key: string) =>
      read && (() => (read() as Record<string, unknown> | undefined)?.[key]);
    return {
      Observer: typeof Observer === "function" && Array.isArray(types) &&
          types.includes("gc")
        ? Observer as unknown as GcObserverClass
        : undefined,
      Registry: typeof g.FinalizationRegistry === "function"
        ? g.FinalizationRegistry as GcRegistryClass
        : undefined,
      later: typeof queue === "function" ? (fn) => queue.call(g, fn) : direct,
      heapUsed: field(r.heapStatistics, "used_heap_size") ??
        (r.name === "bun" ? field(r.memoryUsage, "heapUsed") : undefined) ??
        field(r.performanceMemory, "usedJSHeapSize") ??
        field(r.memoryUsage, "heapUsed"),
    };
  } catch {
    return { later: direct };
  }
}
