/**
 * The reporter behind `register.ts`: one line of {@link LiveMemUse} text (or
 * JSON) on stderr every interval, with the peak so far, and a last line at
 * exit. Importing this file starts nothing; {@link startReporter} does, and
 * every host facility it uses (the writer, the environment, the timer, the
 * exit hook) can be passed in, so it runs the same under a test.
 *
 * @module
 */

import { LiveMemUse } from "./live_mem_use.ts";
import { optionError } from "./options.ts";
import {
  checkSampler,
  detectSampler,
  type MemorySample,
  type Sampler,
} from "./samplers.ts";

/** The form of the reporter's lines. */
export type ReporterFormat = "text" | "json";

/**
 * What the reporter needs from its host. {@link hostHooks} builds one for
 * Deno, Bun and Node (and, without an environment or an exit line, for
 * other runtimes).
 */
export interface ReporterHost {
  /** Writes text (whole lines, each ending with `\n`) to stderr; may throw. */
  write(text: string): void;
  /** Reads an environment variable; `undefined` when unset or unreadable. */
  env(name: string): string | undefined;
  /**
   * Calls `fn` every `ms` milliseconds on a timer that does not keep the
   * process alive.
   *
   * @returns A function that stops the timer.
   */
  every(fn: () => void, ms: number): () => void;
  /**
   * Calls `fn` once when the process exits.
   *
   * @returns A function that removes the hook.
   */
  onExit(fn: () => void): () => void;
}

/**
 * Options of {@link startReporter}. An option given here wins over the
 * environment; the environment (`LIVEMEM_INTERVAL`, `LIVEMEM_FORMAT`) fills
 * in the options left out.
 */
export interface ReporterOptions extends Partial<ReporterHost> {
  /**
   * Milliseconds between lines: a whole number from 1 to 2147483647 (the
   * largest timer delay).
   *
   * @default {LIVEMEM_INTERVAL} from the environment, else 1000
   */
  interval?: number;
  /**
   * `text` for `livemem: rss=… (…) ; peak=… ; limit=…` lines, `json` for one
   * JSON object a line: `{"time":…,"livemem":"tick","mem":{…}}`, with
   * `"livemem":"exit"` on the last one.
   *
   * @default {LIVEMEM_FORMAT} from the environment, else "text"
   */
  format?: ReporterFormat;
  /**
   * Where the figures come from.
   *
   * @default {detectSampler()} the best sampler for the current runtime
   */
  sampler?: Sampler;
  /**
   * The wall clock for the `time` of JSON lines, in milliseconds since the
   * epoch.
   *
   * @default {Date.now}
   */
  now?: () => number;
}

/** A running reporter. */
export interface Reporter {
  /** The interval in use, in milliseconds. */
  readonly interval: number;
  /** The format in use. */
  readonly format: ReporterFormat;
  /** Writes one line now, as a tick does. Never throws. */
  report(): void;
  /** Stops the timer and removes the exit hook; writes nothing. */
  stop(): void;
}

/** The default interval of the reporter, in milliseconds. */
const DEFAULT_INTERVAL = 1000;
/** The largest delay timers accept (a larger one fires at once in Node). */
const MAX_INTERVAL = 2 ** 31 - 1;
const INTERVAL_RULE =
  `a whole number of milliseconds from 1 to ${MAX_INTERVAL}`;

function checkReporterInterval(value: unknown): number {
  if (typeof value !== "number") {
    throw optionError("interval", INTERVAL_RULE, value);
  }
  if (!Number.isInteger(value) || value < 1 || value > MAX_INTERVAL) {
    throw optionError("interval", INTERVAL_RULE, value, RangeError);
  }
  return value;
}

function checkFormat(value: unknown): ReporterFormat {
  if (value !== "text" && value !== "json") {
    throw optionError("format", '"text" or "json"', value);
  }
  return value;
}

function checkFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw optionError(name, "a function", value);
  }
  return value;
}

// Reads one variable; a getter that throws counts as unset.
function readEnv(env: ReporterHost["env"], name: string): string | undefined {
  try {
    const v: unknown = env(name);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts writing the memory use: one line every interval, on a timer that
 * never keeps the process alive, and a last line when the process exits.
 * Lines are `LiveMemUse` text with the headroom (`livemem: rss=… (…) ; peak=…
 * ; limit=…`, the last one `livemem: exit rss=…`) or JSON lines. The peak is
 * the runtime's peak rss where it reports one, and at least the largest rss
 * seen by the reporter.
 *
 * The environment fills in the options left out: `LIVEMEM_INTERVAL`
 * (milliseconds) and `LIVEMEM_FORMAT` (`text` or `json`). A bad value there
 * is not the program's fault, so it is reported in one line
 * (`livemem: LIVEMEM_INTERVAL must be …, got "abc"; using 1000`) and the
 * default is used. Writing never throws into the program: a failed write is
 * dropped.
 *
 * @param options The interval, format and sampler, and the host facilities
 * to use instead of the current runtime's (see {@link hostHooks}).
 * @default options {}
 * @returns The running reporter.
 * @throws {TypeError} When `options` is not an object, `interval` is not a
 * number, `format` is not `text` or `json`, `sampler` has no `sample()`
 * method or a host facility is not a function.
 * @throws {RangeError} When `interval` is not a whole number from 1 to
 * 2147483647.
 *
 * @example Lines into an array, with a hand-driven timer
 * ```ts
 * import assert from "node:assert/strict";
 * import { startReporter } from "./reporter.ts";
 * const MiB = 2 ** 20;
 * const lines: string[] = [];
 * let tick = () => {};
 * let exit = () => {};
 * let rss = 64 * MiB;
 * const reporter = startReporter({
 *   sampler: {
 *     runtime: "node",
 *     sample: () => ({ runtime: "node", rss, heapTotal: 16 * MiB, heapUsed: 10 * MiB }),
 *   },
 *   write: (text) => void lines.push(text),
 *   env: (name) => ({ LIVEMEM_INTERVAL: "250" } as Record<string, string>)[name],
 *   every: (fn, ms) => { assert.equal(ms, 250); tick = fn; return () => {}; },
 *   onExit: (fn) => { exit = fn; return () => {}; },
 * });
 * tick();
 * rss = 48 * MiB;
 * exit();
 * assert.equal(reporter.interval, 250);
 * assert.deepEqual(lines, [
 *   "livemem: rss=64.0MiB (heap=16.0MiB (used:10.0MiB + free:6.0MiB)) ; peak=64.0MiB\n",
 *   "livemem: exit rss=48.0MiB (heap=16.0MiB (used:10.0MiB + free:6.0MiB)) ; peak=64.0MiB\n",
 * ]);
 * ```
 *
 * @example JSON lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { startReporter } from "./reporter.ts";
 * const lines: string[] = [];
 * const reporter = startReporter({
 *   format: "json",
 *   sampler: { runtime: "bun", sample: () => ({ runtime: "bun", rss: 4096 }) },
 *   now: () => 1_800_000_000_000,
 *   write: (text) => void lines.push(text),
 *   env: () => undefined,
 *   every: () => () => {},
 *   onExit: () => () => {},
 * });
 * reporter.report();
 * assert.deepEqual(JSON.parse(lines[0]), {
 *   time: 1_800_000_000_000,
 *   livemem: "tick",
 *   mem: { runtime: "bun", rss: 4096, peakRss: 4096 },
 * });
 * ```
 */
export function startReporter(options: ReporterOptions = {}): Reporter {
  if (typeof options !== "object" || options === null) {
    throw optionError("options", "an object", options);
  }
  const given = {
    write: checkFunction("write", options.write),
    env: checkFunction("env", options.env),
    every: checkFunction("every", options.every),
    onExit: checkFunction("onExit", options.onExit),
  };
  const sampler = checkSampler(options.sampler);
  const now = checkFunction("now", options.now) ?? Date.now;
  let interval = options.interval === undefined
    ? undefined
    : checkReporterInterval(options.interval);
  let format = options.format === undefined
    ? undefined
    : checkFormat(options.format);

  // The host is probed only for what was not passed in.
  const host = given.write && given.env && given.every && given.onExit
    ? given as ReporterHost
    : { ...probeHost(), ...defined(given) };
  const write = (text: string): void => {
    try {
      host.write(text);
    } catch {
      // stderr closed or full: the program must go on.
    }
  };

  if (interval === undefined) {
    interval = DEFAULT_INTERVAL;
    const raw = readEnv(host.env, "LIVEMEM_INTERVAL");
    if (raw !== undefined) {
      const ms = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (ms >= 1 && ms <= MAX_INTERVAL) interval = ms;
      else {
        write(
          `livemem: LIVEMEM_INTERVAL must be ${INTERVAL_RULE}, got ${
            JSON.stringify(raw)
          }; using ${DEFAULT_INTERVAL}\n`,
        );
      }
    }
  }
  if (format === undefined) {
    format = "text";
    const raw = readEnv(host.env, "LIVEMEM_FORMAT");
    if (raw !== undefined) {
      const f = raw.toLowerCase();
      if (f === "text" || f === "json") format = f;
      else {
        write(
          `livemem: LIVEMEM_FORMAT must be "text" or "json", got ${
            JSON.stringify(raw)
          }; using text\n`,
        );
      }
    }
  }

  // interval 0: each line is a fresh sample (one per line, as toJSON()
  // reads through toString()).
  const mem = new LiveMemUse({
    interval: 0,
    sampler: withPeak(sampler ?? detectSampler()),
    headroom: true,
  });
  const json = format === "json";
  const line = (kind: "tick" | "exit"): void => {
    let text: string;
    try {
      text = json
        ? JSON.stringify({ time: now(), livemem: kind, mem }) + "\n"
        : (kind === "exit" ? "livemem: exit " : "livemem: ") + mem + "\n";
    } catch {
      return; // a clock that throws: skip the line, never the program
    }
    write(text);
  };

  let stopTimer: (() => void) | undefined;
  let removeExit: (() => void) | undefined;
  const stop = (): void => {
    const timer = stopTimer, exit = removeExit;
    stopTimer = removeExit = undefined;
    try {
      timer?.();
    } catch { /* already stopped */ }
    try {
      exit?.();
    } catch { /* already removed */ }
  };
  // A host that cannot start a timer or hook the exit costs those lines,
  // not the program.
  try {
    stopTimer = host.every(() => line("tick"), interval);
  } catch { /* no periodic lines */ }
  try {
    removeExit = host.onExit(() => {
      stop();
      line("exit");
    });
  } catch { /* no exit line */ }
  return {
    interval,
    format,
    report: () => line("tick"),
    stop,
  };
}

// A host whose globals throw when probed gets no lines, not a crash.
function probeHost(): ReporterHost {
  try {
    return hostHooks();
  } catch {
    return {
      write: () => {},
      env: () => undefined,
      every: () => () => {},
      onExit: () => () => {},
    };
  }
}

function defined(hooks: Partial<ReporterHost>): Partial<ReporterHost> {
  const out: Partial<ReporterHost> = {};
  for (const k of ["write", "env", "every", "onExit"] as const) {
    if (hooks[k] !== undefined) (out as Record<string, unknown>)[k] = hooks[k];
  }
  return out;
}

// The peak so far: the runtime's (maxRSS) where it reports one, and never
// below the largest rss sampled.
function withPeak(sampler: Sampler): Sampler {
  let peak = 0;
  return {
    runtime: sampler.runtime,
    sample(): MemorySample | undefined {
      const s = sampler.sample();
      if (typeof s !== "object" || s === null) return s;
      const rss = s.rss, reported = s.peakRss;
      if (typeof rss === "number" && rss > peak) peak = rss;
      if (typeof reported === "number" && reported > peak) peak = reported;
      // A copy: a sampler may hand out the same (even frozen) object.
      return peak > 0 ? { ...s, peakRss: peak } : s;
    },
  };
}

// A loose view of the host globals; any of them may be missing.
interface HostScope {
  Deno?: {
    stderr?: { writeSync?(bytes: Uint8Array): number };
    env?: { get?(name: string): string | undefined };
    permissions?: {
      querySync?(desc: { name: "env"; variable: string }): { state: string };
    };
    unrefTimer?(id: number): void;
  };
  process?: {
    stderr?: { write?(text: string): unknown };
    env?: Record<string, string | undefined>;
    on?(event: "exit", fn: () => void): unknown;
    off?(event: "exit", fn: () => void): unknown;
    removeListener?(event: "exit", fn: () => void): unknown;
  };
  setInterval?(fn: () => void, ms: number): unknown;
  clearInterval?(id: unknown): void;
  addEventListener?(type: string, fn: () => void): void;
  removeEventListener?(type: string, fn: () => void): void;
  console?: { error?(...args: unknown[]): void };
}

/**
 * The host facilities of the runtime whose globals are `scope`:
 *
 * - Deno: `Deno.stderr.writeSync`; `Deno.env.get` only for a variable that
 *   `Deno.permissions.querySync` says is granted (`--allow-env` or
 *   `--allow-env=LIVEMEM_INTERVAL,LIVEMEM_FORMAT`), so a run without the
 *   permission reads nothing and is never prompted; `setInterval` with
 *   `Deno.unrefTimer`; the `unload` event.
 * - Bun and Node: `process.stderr.write`, `process.env`, `setInterval` with
 *   `unref()`, `process.on("exit")`.
 * - elsewhere: `console.error`, no environment, a plain `setInterval`, no
 *   exit line.
 *
 * It looks at `scope` when called, never at import. The facilities may
 * throw (a closed stderr); {@link startReporter} catches that.
 *
 * @param scope The global scope to use.
 * @default scope globalThis
 * @returns The facilities.
 *
 * @example A Deno scope without the env permission reads nothing
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostHooks } from "./reporter.ts";
 * let reads = 0;
 * const host = hostHooks({
 *   Deno: {
 *     permissions: { querySync: () => ({ state: "prompt" }) },
 *     env: { get: () => (reads++, "100") },
 *   },
 * });
 * assert.equal(host.env("LIVEMEM_INTERVAL"), undefined);
 * assert.equal(reads, 0);
 * ```
 */
export function hostHooks(scope: object = globalThis): ReporterHost {
  const g = scope as HostScope;
  const deno = typeof g.Deno === "object" && g.Deno !== null
    ? g.Deno
    : undefined;
  const proc = deno === undefined && typeof g.process === "object" &&
      g.process !== null
    ? g.process
    : undefined;
  const noop = (): void => {};

  let write: ReporterHost["write"];
  const stderr = deno?.stderr;
  if (typeof stderr?.writeSync === "function") {
    const encoder = new TextEncoder();
    write = (text) => {
      let bytes = encoder.encode(text);
      while (bytes.length > 0) bytes = bytes.subarray(stderr.writeSync!(bytes));
    };
  } else if (typeof proc?.stderr?.write === "function") {
    const out = proc.stderr;
    write = (text) => void out.write!(text);
  } else {
    write = (text) => g.console?.error?.(text.replace(/\n$/, ""));
  }

  let env: ReporterHost["env"] = () => undefined;
  if (deno !== undefined) {
    env = (name) => {
      const state = deno.permissions?.querySync?.({
        name: "env",
        variable: name,
      })
        ?.state;
      return state === "granted" ? deno.env?.get?.(name) : undefined;
    };
  } else if (typeof proc?.env === "object" && proc.env !== null) {
    const vars = proc.env;
    env = (name) => vars[name];
  }

  const every: ReporterHost["every"] = (fn, ms) => {
    if (typeof g.setInterval !== "function") return noop;
    const id = g.setInterval.call(scope, fn, ms);
    try {
      if (typeof id === "number") deno?.unrefTimer?.(id);
      else (id as { unref?(): void } | undefined)?.unref?.();
    } catch { /* the timer keeps running, referenced */ }
    return () => g.clearInterval?.call(scope, id);
  };

  let onExit: ReporterHost["onExit"] = () => noop;
  if (deno !== undefined && typeof g.addEventListener === "function") {
    onExit = (fn) => {
      g.addEventListener!.call(scope, "unload", fn);
      return () => g.removeEventListener?.call(scope, "unload", fn);
    };
  } else if (typeof proc?.on === "function") {
    onExit = (fn) => {
      proc.on!("exit", fn);
      return () => (proc.off ?? proc.removeListener)?.call(proc, "exit", fn);
    };
  }
  return { write, env, every, onExit };
}
