/**
 * The demo's host: its arguments, stdout and stderr, the terminal's width
 * and its resize and interrupt signals, and the exit code, from Deno's API
 * on Deno and from `process` on Node and Bun. The only module of the demo
 * that looks at the global scope. Nothing here needs a permission or keeps
 * the process alive.
 *
 * @module
 */

/** The width assumed when the terminal does not say. */
export const DEFAULT_WIDTH = 80;

/** What the demo needs from its host. */
export interface Terminal {
  /** The program's arguments, after its name. */
  readonly args: string[];
  /** Whether stdout is a terminal. */
  readonly tty: boolean;
  /** Whether stdout's reader is gone (a closed pipe): writing has stopped. */
  readonly closed: boolean;
  /** The terminal's width in columns; {@link DEFAULT_WIDTH} when unknown. */
  width(): number;
  /** Writes to stdout. Never throws: a failed write closes the output. */
  write(text: string): void;
  /** Writes to stderr. Never throws. */
  writeError(text: string): void;
  /**
   * Calls `fn` when the terminal is resized, where the runtime says so.
   *
   * @returns A function that stops listening.
   */
  onResize(fn: () => void): () => void;
  /**
   * On Ctrl-C, calls `fn` (to tidy the screen), then ends the process as
   * an interrupt does.
   *
   * @returns A function that stops listening.
   */
  onInterrupt(fn: () => void): () => void;
}

interface Writer {
  isTerminal(): boolean;
  writeSync(b: Uint8Array): number;
}
interface DenoApi {
  args: string[];
  stdout: Writer;
  stderr: Writer;
  consoleSize(): { columns: number; rows: number };
  addSignalListener(signal: string, fn: () => void): void;
  removeSignalListener(signal: string, fn: () => void): void;
  exit(code: number): never;
  exitCode: number;
}
interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
  on(event: string, fn: (...a: unknown[]) => void): unknown;
  off(event: string, fn: (...a: unknown[]) => void): unknown;
}
interface NodeProcess {
  argv: string[];
  pid: number;
  stdout: Stream;
  stderr: Stream;
  exitCode?: number;
  once(event: string, fn: () => void): unknown;
  off(event: string, fn: () => void): unknown;
  kill(pid: number, signal: string): void;
}
interface Globals {
  Deno?: DenoApi;
  process?: NodeProcess;
  // Typed here, so the demo compiles whatever \`lib\` a build uses.
  setTimeout(fn: () => void, ms: number): unknown;
  TextEncoder: new () => { encode(text: string): Uint8Array };
}

const noop = (): void => {};
const usable = (n: unknown): n is number =>
  typeof n === "number" && n > 0 && Number.isInteger(n);

function writeAll(writer: Writer, bytes: Uint8Array): void {
  while (bytes.length > 0) bytes = bytes.subarray(writer.writeSync(bytes));
}

function denoTerminal(deno: DenoApi): Terminal {
  const encoder = new (globalThis as unknown as Globals).TextEncoder();
  let closed = false;
  const listen = (signal: string, fn: () => void): () => void => {
    try {
      deno.addSignalListener(signal, fn);
    } catch {
      return noop; // not on this platform (SIGWINCH on Windows)
    }
    return () => deno.removeSignalListener(signal, fn);
  };
  return {
    args: deno.args,
    tty: deno.stdout.isTerminal(),
    get closed() {
      return closed;
    },
    width() {
      try {
        const { columns } = deno.consoleSize();
        return usable(columns) ? columns : DEFAULT_WIDTH;
      } catch {
        return DEFAULT_WIDTH;
      }
    },
    write(text) {
      if (closed) return;
      try {
        writeAll(deno.stdout, encoder.encode(text));
      } catch {
        closed = true; // BrokenPipe: the reader left
      }
    },
    writeError(text) {
      try {
        writeAll(deno.stderr, encoder.encode(text));
      } catch {
        // nowhere left to say it
      }
    },
    onResize: (fn) => listen("SIGWINCH", fn),
    // Deno.kill would need --allow-run; exiting with 128 + SIGINT is the
    // code a shell gives an interrupted program.
    onInterrupt: (fn) =>
      listen("SIGINT", () => {
        fn();
        deno.exit(130);
      }),
  };
}

// Output errors (EPIPE once the reader of a pipe left) arrive as 'error'
// events, possibly after the write that caused them and after main()
// returned; unhandled, Node and Bun would end the program with a stack
// trace. So the listener stays for the life of the process, added once.
let stdoutErrors: Set<() => void> | undefined;

function nodeTerminal(proc: NodeProcess): Terminal {
  let closed = false;
  if (stdoutErrors === undefined) {
    const listeners = new Set<() => void>();
    stdoutErrors = listeners;
    proc.stdout.on("error", () => {
      for (const fn of listeners) fn();
    });
  }
  const errors = stdoutErrors;
  const onError = () => {
    closed = true;
    errors.delete(onError);
  };
  errors.add(onError);
  return {
    args: proc.argv.slice(2),
    tty: proc.stdout.isTTY === true,
    get closed() {
      return closed;
    },
    width: () =>
      usable(proc.stdout.columns) ? proc.stdout.columns : DEFAULT_WIDTH,
    write(text) {
      if (closed) return;
      try {
        proc.stdout.write(text);
      } catch {
        onError();
      }
    },
    writeError(text) {
      try {
        proc.stderr.write(text);
      } catch {
        // nowhere left to say it
      }
    },
    onResize(fn) {
      proc.stdout.on("resize", fn);
      return () => void proc.stdout.off("resize", fn);
    },
    onInterrupt(fn) {
      const handler = () => {
        fn();
        // Without a listener now, the signal ends the process as usual,
        // so the shell sees an interrupted program.
        proc.kill(proc.pid, "SIGINT");
      };
      proc.once("SIGINT", handler);
      return () => void proc.off("SIGINT", handler);
    },
  };
}

/**
 * The current runtime's terminal.
 *
 * @throws {Error} On a runtime with neither `Deno` nor `process`.
 */
export function openTerminal(): Terminal {
  const { Deno: deno, process: proc } = globalThis as unknown as Globals;
  if (deno !== undefined) return denoTerminal(deno);
  if (proc !== undefined) return nodeTerminal(proc);
  throw new Error(
    "no Deno and no process: run the demo with deno, bun or node",
  );
}

/** What {@link isMain} reads of a module's `import.meta`. */
export interface ModuleMeta {
  /** Deno, Bun, Node >= 22.18 and 24.2: whether this is the program's entry. */
  main?: boolean;
  /** Node >= 20.11: the module's path. */
  filename?: string;
}

/**
 * Whether the module of `meta` is the program's entry: `import.meta.main`
 * where the runtime has it; on an older Node, whether the module is the
 * script Node was given (`process.argv[1]`).
 */
export function isMain(meta: ModuleMeta): boolean {
  if (meta.main !== undefined) return meta.main === true;
  const { process: proc } = globalThis as unknown as Globals;
  return meta.filename !== undefined && meta.filename === proc?.argv[1];
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  const { setTimeout } = globalThis as unknown as Globals;
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sets the exit code the process ends with, without ending it. */
export function setExitCode(code: number): void {
  const { Deno: deno, process: proc } = globalThis as unknown as Globals;
  if (deno !== undefined) deno.exitCode = code;
  else if (proc !== undefined) proc.exitCode = code;
}
