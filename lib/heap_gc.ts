/**
 * Garbage collections, observed without a native addon, from what
 * `detectGc()` (in `runtime.ts`) found. Nothing runs unless called.
 *
 * - Node: a `PerformanceObserver` for `gc` entries, which reports every
 *   collection with its kind (a `FinalizationRegistry` sentinel fires there
 *   only at full collections: two or three in eight seconds of a leak).
 * - elsewhere (Deno, Bun, browsers, whose observers have no `gc` entries):
 *   `FinalizationRegistry` sentinels. A young one, re-armed at each firing,
 *   tells that a collection happened. Old ones, each kept reachable through
 *   three collections (so the engine has moved it out of its young
 *   generation) and then let go, die only in a full collection: their
 *   firing tells that one happened. They are staggered, so one still being
 *   aged leaves the others watching.
 *
 * Neither keeps the process alive: an observer and a registry hold no
 * handle of the event loop. A registry nothing references is collected
 * itself and then calls nothing, so {@link watchGc} returns a
 * {@link GcWatch} to keep: the sentinels' watch ends when it is dropped.
 *
 * @module
 */

import type { GcFeatures } from "./runtime.ts";

/**
 * Called after one or more collections, with whether one of them was full.
 * Returns `false` to stop watching.
 */
export type GcListener = (full: boolean) => boolean;

/** A running watch: keep it referenced for as long as it is to run. */
export interface GcWatch {
  /** How the collections are observed. */
  readonly source: "observer" | "sentinel";
  /** Stops watching. */
  stop(): void;
}

/** `NODE_PERFORMANCE_GC_MAJOR` of `perf_hooks.constants`: a full collection. */
const MAJOR = 4;

/**
 * Starts watching collections with what `gc` offers: the observer where
 * there is one, else sentinels. Never throws.
 *
 * @param gc What `detectGc()` found.
 * @param listener Called after collections; its exceptions are dropped.
 * @returns The watch, or `undefined` when collections cannot be watched.
 *
 * @example Watching the current runtime
 * ```ts
 * import { watchGc } from "./heap_gc.ts";
 * import { detectGc } from "./runtime.ts";
 * const watch = watchGc(detectGc(), () => true);
 * if (watch === undefined) throw new Error("not watched");
 * watch.stop();
 * ```
 */
export function watchGc(
  gc: GcFeatures,
  listener: GcListener,
): GcWatch | undefined {
  const call = (full: boolean): boolean => {
    try {
      return listener(full) !== false;
    } catch {
      return true;
    }
  };
  try {
    return observe(gc, call) ?? sentinels(gc, call);
  } catch {
    return undefined;
  }
}

function observe(gc: GcFeatures, call: GcListener): GcWatch | undefined {
  const Observer = gc.Observer;
  if (Observer === undefined) return undefined;
  const observer = new Observer((list) => {
    let full = false;
    try {
      for (const e of list.getEntries()) {
        const entry = e as { detail?: { kind?: unknown }; kind?: unknown };
        // detail.kind since Node 16, kind before.
        if ((entry.detail?.kind ?? entry.kind) === MAJOR) full = true;
      }
    } catch {
      // Entries unreadable: still a collection.
    }
    if (!call(full)) observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
  return { source: "observer", stop: () => observer.disconnect() };
}

const YOUNG = 0;
const OLD = 1;
/** Collections an old sentinel is kept through before it is let go. */
const AGE = 3;
/** Old sentinels aged at once; at most this many let go and not yet seen. */
const AGING = 2;
const RELEASED = 8;

function sentinels(gc: GcFeatures, call: GcListener): GcWatch | undefined {
  const Registry = gc.Registry;
  if (Registry === undefined) return undefined;
  let stopped = false;
  let scheduled = false;
  let full = false;
  let seen = 0;
  let released = 0;
  let aging: { target: object; born: number }[] = [];
  // An old sentinel is armed, kept reachable through AGE collections, then
  // let go; a full collection takes every one let go.
  const age = (): void => {
    const kept = aging.filter((a) => seen - a.born < AGE);
    released += aging.length - kept.length;
    aging = kept;
    if (aging.length < AGING && released < RELEASED) {
      const target = {};
      aging.push({ target, born: seen });
      registry.register(target, OLD);
    }
  };
  // One call per collection, however many sentinels it took.
  const flush = (): void => {
    scheduled = false;
    const wasFull = full;
    full = false;
    if (!call(wasFull)) stopped = true;
  };
  const registry = new Registry((token) => {
    if (stopped) return;
    if (token === OLD) {
      full = true;
      released = Math.max(0, released - 1);
    } else {
      seen++;
      registry.register({}, YOUNG);
      age();
    }
    if (!scheduled) {
      scheduled = true;
      gc.later(flush);
    }
  });
  registry.register({}, YOUNG);
  age();
  // The watch references the registry: while it is kept, so is the registry.
  return {
    source: "sentinel",
    stop: () => {
      stopped = true;
      aging = [];
      void registry;
    },
  };
}
