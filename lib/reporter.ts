/**
 * The reporter behind `register.ts`: one line of {@link LiveMemUse} text (or
 * JSON) on stderr every interval, with the peak so far, and a last line at
 * exit. Importing this file starts nothing; {@link startReporter} does, and
 * every host facility it uses (the writer, the environment, the timer, the
 * exit hook: `host.ts` finds them) can be passed in, so it runs the same
 * under a test. This file keeps the reporter's own job: its settings, its
 * lines and its lifecycle.
 *
 * @module
 */

import { hostHooks, type ReporterHost } from "./host.ts";
import { figure } from "./figure.ts";
import { usedFraction } from "./headroom.ts";
import { LiveMemWatch, type LiveMemWatchJSON } from "./live_mem_watch.ts";
import {
  checkChoice,
  checkFunction,
  checkOptions,
  checkSampler,
  checkTimerInterval,
  option,
  optionError,
  TIMER_INTERVAL_RULE,
} from "./options.ts";
import type { PressureLevel } from "./pressure.ts";
import { detectSampler, type Sampler, trackPeak } from "./samplers.ts";

export type { ReporterHost } from "./host.ts";

/** The form of the reporter's lines. */
export type ReporterFormat = "text" | "json";

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

const FORMATS = ["text", "json"] as const;

/** One setting: an option, or else a variable of the environment. */
interface Setting<T> {
  variable: string;
  fallback: T;
  check(name: string, value: unknown): T;
  /** The variable's text as a value for `check`. */
  parse(raw: string): unknown;
  /** What the variable must be, for the line about a bad one. */
  rule: string;
}

const INTERVAL: Setting<number> = {
  variable: "LIVEMEM_INTERVAL",
  fallback: 1000,
  check: checkTimerInterval,
  parse: (raw) => /^\d+$/.test(raw) ? Number(raw) : raw,
  rule: TIMER_INTERVAL_RULE,
};

const FORMAT: Setting<ReporterFormat> = {
  variable: "LIVEMEM_FORMAT",
  fallback: "text",
  check: (name, value) => checkChoice(name, value, FORMATS),
  parse: (raw) => raw.toLowerCase(),
  rule: '"text" or "json"',
};

// A setting left out of the options: the environment's value (a bad one is
// not the program's fault: one line, and the default), else the default.
function resolve<T>(
  setting: Setting<T>,
  host: ReporterHost,
  warn: (line: string) => void,
): T {
  const raw = readEnv(host.env, setting.variable);
  if (raw === undefined) return setting.fallback;
  try {
    return setting.check(setting.variable, setting.parse(raw));
  } catch {
    const why = optionError(setting.variable, setting.rule, raw).message;
    warn(`livemem: ${why}; using ${setting.fallback}\n`);
    return setting.fallback;
  }
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
 * Lines are `LiveMemWatch` text with the headroom (`livemem: rss=… (…) ;
 * peak=… ; limit=… ; memoryLimit=… ; headroom=…`, the last one
 * `livemem: exit rss=…`) or JSON lines. The peak is the runtime's peak rss
 * where it reports one, and at least the largest rss seen by the reporter.
 *
 * When the fraction of the nearest limit in use crosses into `warn` (80%)
 * or `critical` (95%), or back to `ok` (see `LiveMemWatch`'s
 * `onPressure`), the line that saw it is preceded by one
 * `livemem: pressure warn used=84.2% headroom=40.5MiB` (JSON:
 * `{"time":…,"livemem":"pressure","level":"warn","mem":{…}}`), once per
 * crossing.
 *
 * The environment fills in the options left out: `LIVEMEM_INTERVAL`
 * (milliseconds) and `LIVEMEM_FORMAT` (`text` or `json`). A bad value there
 * is not the program's fault, so it is reported in one line
 * (`livemem: LIVEMEM_INTERVAL must be …, got "abc"; using 1000`) and the
 * default is used. Nothing it does throws into the program: when a write
 * fails (stderr closed or destroyed, a write that throws), the reporter
 * stops quietly and writes nothing more. On a terminal each line clears the
 * row it starts on (see `host.ts`).
 *
 * @param options The interval, format and sampler, and the host facilities
 * to use instead of the current runtime's (see `hostHooks` in `host.ts`).
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
  const opts = checkOptions("startReporter", options);
  const fn = <T>(name: string, value: T) =>
    checkFunction(option("startReporter", name), value);
  const given: Partial<ReporterHost> = {};
  for (const k of ["write", "env", "every", "onExit"] as const) {
    const hook = fn(k, opts[k]);
    if (hook !== undefined) (given as Record<string, unknown>)[k] = hook;
  }
  const sampler = checkSampler(
    option("startReporter", "sampler"),
    opts.sampler,
  );
  const now = fn("now", opts.now) ?? Date.now;
  const interval = opts.interval === undefined
    ? undefined
    : INTERVAL.check(option("startReporter", "interval"), opts.interval);
  const format = opts.format === undefined
    ? undefined
    : FORMAT.check(option("startReporter", "format"), opts.format);

  // The host is probed only for what was not passed in.
  const host: ReporterHost = given.write && given.env && given.every &&
      given.onExit
    ? given as ReporterHost
    : { ...hostHooks(), ...given };

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
  // A failed write means the output is gone (a closed pipe, a destroyed
  // stream): stop quietly, and never write again.
  let broken = false;
  const write = (text: string): void => {
    if (broken) return;
    try {
      host.write(text);
    } catch {
      broken = true;
      stop();
    }
  };

  const settings = {
    interval: interval ?? resolve(INTERVAL, host, write),
    format: format ?? resolve(FORMAT, host, write),
  };

  // interval 0: each line is a fresh sample. trackPeak: the peak is known
  // from the rss values seen even where the runtime reports none.
  // A crossing of the pressure level, seen while a line samples, gets a
  // line of its own before that line.
  let crossed: string | undefined;
  const json = settings.format === "json";
  const mem = new LiveMemWatch({
    interval: 0,
    sampler: trackPeak(sampler ?? detectSampler()),
    headroom: true,
    onPressure: (level, figures) => {
      crossed = pressureLine(level, figures, json ? now : undefined);
    },
  });
  const line = (kind: "tick" | "exit"): void => {
    if (broken) return;
    let text: string;
    try {
      text = json
        ? JSON.stringify({ time: now(), livemem: kind, mem }) + "\n"
        : (kind === "exit" ? "livemem: exit " : "livemem: ") + mem + "\n";
    } catch {
      return; // a clock that throws: skip the line, never the program
    }
    if (crossed !== undefined) write(crossed);
    crossed = undefined;
    write(text);
  };

  // A host that cannot start a timer or hook the exit costs those lines,
  // not the program; an output that failed already gets neither.
  if (!broken) {
    try {
      stopTimer = host.every(() => line("tick"), settings.interval);
    } catch { /* no periodic lines */ }
    try {
      removeExit = host.onExit(() => {
        stop();
        line("exit");
      });
    } catch { /* no exit line */ }
  }
  return {
    interval: settings.interval,
    format: settings.format,
    report: () => line("tick"),
    stop,
  };
}

// `livemem: pressure warn used=84.2% headroom=40.5MiB`, or with a clock
// (the JSON form) `{"time":…,"livemem":"pressure","level":"warn","mem":{…}}`.
function pressureLine(
  level: PressureLevel,
  mem: Readonly<LiveMemWatchJSON>,
  now: (() => number) | undefined,
): string {
  try {
    if (now !== undefined) {
      return JSON.stringify({ time: now(), livemem: "pressure", level, mem }) +
        "\n";
    }
    const used = usedFraction(mem, mem.memoryLimit);
    return `livemem: pressure ${level}` +
      (used === undefined ? "" : ` used=${(used * 100).toFixed(1)}%`) +
      (mem.headroom === undefined ? "" : ` headroom=${figure(mem.headroom)}`) +
      "\n";
  } catch {
    return `livemem: pressure ${level}\n`;
  }
}
