// Runs a child process of the runtime running the tests (Deno, Bun or Node),
// for the tests that need a real process: the demo, the preload reporter.
// Deno: Deno.Command; Bun and Node: node:child_process, imported when used.

/** The repository root. */
export const ROOT = `${import.meta.dirname}/../..`;

/** The runtime running the tests, by its own global. */
export const runtimeName: "deno" | "bun" | "node" =
  (globalThis as { Deno?: unknown }).Deno !== undefined
    ? "deno"
    : (globalThis as { Bun?: unknown }).Bun !== undefined
    ? "bun"
    : "node";

/** What a child did. */
export interface ChildResult {
  /** Its exit code; -1 when it was killed (see `timedOut`). */
  code: number;
  stdout: string;
  stderr: string;
  /** Whether it was still running after the timeout and was killed. */
  timedOut: boolean;
}

/** Options of {@link runChild}. */
export interface ChildOptions {
  /** Variables to set; `undefined` removes one. The rest is inherited. */
  env?: Record<string, string | undefined>;
  /** Milliseconds before the child is killed. Default 30 s. */
  timeout?: number;
}

interface DenoApi {
  execPath(): string;
  env: { toObject(): Record<string, string> };
  Command: new (cmd: string, opts: {
    args: string[];
    cwd: string;
    env: Record<string, string>;
    clearEnv: boolean;
    stdin: "null";
    signal: AbortSignal;
  }) => {
    output(): Promise<{ code: number; stdout: Uint8Array; stderr: Uint8Array }>;
  };
}

interface NodeProcess {
  execPath: string;
  env: Record<string, string | undefined>;
}

/** `base` with `changes` applied: an `undefined` value removes a variable. */
export function childEnv(
  base: Record<string, string | undefined>,
  changes: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...base, ...changes })) {
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/**
 * Runs the current runtime's executable with `args` in the repository root,
 * stdin closed. Never rejects for a failing child: its code and output are
 * in the result.
 */
export async function runChild(
  args: string[],
  opts: ChildOptions = {},
): Promise<ChildResult> {
  const timeout = opts.timeout ?? 30_000;
  const deno = (globalThis as { Deno?: DenoApi }).Deno;
  if (deno) {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeout);
    try {
      const { code, stdout, stderr } = await new deno.Command(deno.execPath(), {
        args,
        cwd: ROOT,
        env: childEnv(deno.env.toObject(), opts.env),
        clearEnv: true,
        stdin: "null",
        signal: abort.signal,
      }).output();
      const text = new TextDecoder();
      return {
        code: timedOut ? -1 : code,
        stdout: text.decode(stdout),
        stderr: text.decode(stderr),
        timedOut,
      };
    } finally {
      clearTimeout(timer);
    }
  }
  const { execFile } = await import("node:child_process");
  const proc = (globalThis as unknown as { process: NodeProcess }).process;
  return await new Promise((resolve) => {
    execFile(
      proc.execPath,
      args,
      {
        cwd: ROOT,
        env: childEnv(proc.env, opts.env),
        timeout,
        killSignal: "SIGKILL",
        maxBuffer: 16 * 2 ** 20,
      },
      (error, stdout, stderr) => {
        const killed = error !== null && error.killed === true;
        const code = error === null
          ? 0
          : typeof error.code === "number"
          ? error.code
          : -1;
        resolve({
          code: killed ? -1 : code,
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut: killed,
        });
      },
    );
  });
}
