/**
 * The reporter's host facilities: where its lines go (stderr), the
 * environment it reads its settings from, a timer that never keeps the
 * process alive, and an exit hook. With `runtime.ts` (the memory APIs and
 * the clock), the only place that looks at the global scope; it looks when
 * {@link hostHooks} is called, never at import.
 *
 * The writer never harms the program, whose stderr it shares:
 *
 * - On Node and Bun it writes straight to file descriptor 2 with
 *   `fs.writeSync`, not through `process.stderr`: it adds no listener to the
 *   program's stream and never changes its state, so a closed pipe (EPIPE)
 *   fails the reporter's write at once, as a throw, while the program's own
 *   writes fail or succeed exactly as they would without it. A full pipe
 *   (EAGAIN) drops that line rather than queue it.
 * - On Deno, `Deno.stderr.writeSync`, which throws on a closed pipe too.
 * - Elsewhere, `console.error`.
 *
 * On a terminal each line starts with `\r\x1b[K` (carriage return, erase to
 * the end of the line): a program's partial live line (a progress bar
 * redrawn in place) is cleared, so the reporter's line starts at the left
 * edge on a row of its own; the program redraws its live line on its next
 * update.
 *
 * @module
 */

/**
 * What the reporter needs from its host. {@link hostHooks} builds one for
 * Deno, Bun and Node (and, without an environment or an exit line, for
 * other runtimes).
 */
export interface ReporterHost {
  /**
   * Writes text (one whole line, ending with `\n`) to stderr. Throws when
   * the output failed (a closed pipe, a destroyed stream): the reporter
   * then stops for good. May drop a line it cannot write now.
   */
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

// A loose view of the host globals; any of them may be missing.
interface HostScope {
  Deno?: {
    stderr?: {
      writeSync?(bytes: Uint8Array): number;
      isTerminal?(): boolean;
    };
    env?: { get?(name: string): string | undefined };
    permissions?: {
      querySync?(desc: { name: "env"; variable: string }): { state: string };
    };
    unrefTimer?(id: number): void;
  };
  process?: NodeProcess;
  setInterval?(fn: () => void, ms: number): unknown;
  clearInterval?(id: unknown): void;
  addEventListener?(type: string, fn: () => void): void;
  removeEventListener?(type: string, fn: () => void): void;
  console?: { error?(...args: unknown[]): void };
}

interface NodeStream {
  write?(text: string, done?: (error?: unknown) => void): unknown;
  destroyed?: boolean;
  writable?: boolean;
}

interface NodeProcess {
  stderr?: NodeStream;
  env?: Record<string, string | undefined>;
  getBuiltinModule?(id: string): unknown;
  on?(event: "exit", fn: () => void): unknown;
  off?(event: "exit", fn: () => void): unknown;
  removeListener?(event: "exit", fn: () => void): unknown;
}

/** Moves the cursor to the left edge and erases that row. */
const LINE_START = "\r\x1b[K";

const noop = (): void => {};

/** A host that writes, reads and schedules nothing. */
const SILENT: ReporterHost = {
  write: noop,
  env: () => undefined,
  every: () => noop,
  onExit: () => noop,
};

/**
 * The host facilities of the runtime whose globals are `scope`:
 *
 * - Deno: `Deno.stderr.writeSync`; `Deno.env.get` only for a variable that
 *   `Deno.permissions.querySync` says is granted (`--allow-env` or
 *   `--allow-env=LIVEMEM_INTERVAL,LIVEMEM_FORMAT`), so a run without the
 *   permission reads nothing and is never prompted; `setInterval` with
 *   `Deno.unrefTimer`; the `unload` event.
 * - Bun and Node: `fs.writeSync(2, …)` (through `process.getBuiltinModule`;
 *   on a Node without it, `process.stderr.write`), `process.env`,
 *   `setInterval` with `unref()`, `process.on("exit")`.
 * - elsewhere: `console.error`, no environment, a plain `setInterval`, no
 *   exit line.
 *
 * It looks at `scope` when called, never at import, and never throws: a
 * scope whose globals throw when probed gets a host that does nothing. The
 * facilities may throw (a closed stderr); the reporter catches that.
 *
 * @param scope The global scope to use.
 * @default scope globalThis
 * @returns The facilities.
 *
 * @example A Deno scope without the env permission reads nothing
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostHooks } from "./host.ts";
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
  try {
    const g = scope as HostScope;
    const deno = typeof g.Deno === "object" && g.Deno !== null
      ? g.Deno
      : undefined;
    const proc = deno === undefined && typeof g.process === "object" &&
        g.process !== null
      ? g.process
      : undefined;
    return {
      write: deno !== undefined && typeof deno.stderr?.writeSync === "function"
        ? denoWriter(deno.stderr as Required<DenoStderr>)
        : (proc && nodeWriter(proc)) ?? consoleWriter(g),
      env: deno !== undefined
        ? denoEnv(deno)
        : typeof proc?.env === "object" && proc.env !== null
        ? nodeEnv(proc.env)
        : () => undefined,
      every: timer(g, deno),
      onExit: deno !== undefined && typeof g.addEventListener === "function"
        ? (fn) => {
          g.addEventListener!.call(scope, "unload", fn);
          return () => g.removeEventListener?.call(scope, "unload", fn);
        }
        : typeof proc?.on === "function"
        ? (fn) => {
          proc.on!("exit", fn);
          return () =>
            (proc.off ?? proc.removeListener)?.call(proc, "exit", fn);
        }
        : () => noop,
    };
  } catch {
    return SILENT;
  }
}

type DenoStderr = NonNullable<NonNullable<HostScope["Deno"]>["stderr"]>;

// Writes all of `bytes` with a writeSync that may write part of them: a
// throw is a failure (the reporter stops), except a full non-blocking pipe,
// which drops the rest of the line.
function writeAll(
  writeSync: (bytes: Uint8Array) => number,
  bytes: Uint8Array,
): void {
  while (bytes.length > 0) {
    let n: number;
    try {
      n = writeSync(bytes);
    } catch (e) {
      if (wouldBlock(e)) return;
      throw e;
    }
    if (!(n > 0)) return;
    bytes = bytes.subarray(n);
  }
}

function wouldBlock(e: unknown): boolean {
  const err = e as { code?: unknown; name?: unknown } | null;
  return typeof err === "object" && err !== null &&
    (err.code === "EAGAIN" || err.name === "WouldBlock");
}

function denoWriter(stderr: Required<DenoStderr>): ReporterHost["write"] {
  const start = isTrue(() => stderr.isTerminal()) ? LINE_START : "";
  const encoder = new TextEncoder();
  return (text) =>
    writeAll((b) => stderr.writeSync(b), encoder.encode(start + text));
}

interface NodeFs {
  writeSync(fd: number, bytes: Uint8Array): number;
}

function nodeWriter(proc: NodeProcess): ReporterHost["write"] | undefined {
  const builtin = (id: string): unknown => {
    try {
      return typeof proc.getBuiltinModule === "function"
        ? proc.getBuiltinModule(id)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const fs = builtin("node:fs") as Partial<NodeFs> | undefined;
  if (typeof fs?.writeSync !== "function") return streamWriter(proc);
  const tty = builtin("node:tty") as { isatty?(fd: number): boolean };
  const start = isTrue(() => tty?.isatty?.(2)) ? LINE_START : "";
  const encoder = new TextEncoder();
  const writeSync = fs.writeSync;
  return (text) =>
    writeAll((b) => writeSync.call(fs, 2, b), encoder.encode(start + text));
}

// A Node without getBuiltinModule (before 20.16 and 22.3): the program's
// own stream, checked before each write; a failed write (reported to its
// callback) stops the reporter at the next line. An EPIPE there still
// reaches the stream's 'error' event: only a listener could catch it, and
// a listener would change how the program's own stream errors end.
function streamWriter(proc: NodeProcess): ReporterHost["write"] | undefined {
  const out = proc.stderr;
  if (typeof out?.write !== "function") return undefined;
  let failed: unknown;
  const done = (e?: unknown): void => {
    if (e !== undefined && e !== null) failed ??= e;
  };
  return (text) => {
    if (failed !== undefined) throw failed;
    if (out.destroyed === true || out.writable === false) {
      throw new Error("stderr is closed");
    }
    out.write!(text, done);
  };
}

function consoleWriter(g: HostScope): ReporterHost["write"] {
  return (text) => g.console?.error?.(text.replace(/\n$/, ""));
}

function denoEnv(deno: NonNullable<HostScope["Deno"]>): ReporterHost["env"] {
  return (name) => {
    const state = deno.permissions?.querySync?.({
      name: "env",
      variable: name,
    })?.state;
    return state === "granted" ? deno.env?.get?.(name) : undefined;
  };
}

function nodeEnv(
  vars: Record<string, string | undefined>,
): ReporterHost["env"] {
  return (name) => vars[name];
}

function timer(
  g: HostScope,
  deno: HostScope["Deno"] | undefined,
): ReporterHost["every"] {
  return (fn, ms) => {
    if (typeof g.setInterval !== "function") return noop;
    const id = g.setInterval.call(g, fn, ms);
    try {
      if (typeof id === "number") deno?.unrefTimer?.(id);
      else (id as { unref?(): void } | undefined)?.unref?.();
    } catch { /* the timer keeps running, referenced */ }
    return () => g.clearInterval?.call(g, id);
  };
}

function isTrue(probe: () => unknown): boolean {
  try {
    return probe() === true;
  } catch {
    return false;
  }
}
