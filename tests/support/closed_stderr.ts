// Runs a child whose stderr is closed early, as `cmd 2>&1 >/dev/null | head -1`
// does: the test reads stderr up to its first newline, then closes its end
// of the pipe, so every later write of the child to stderr fails (EPIPE).
// Deno: Deno.Command; Bun and Node: node:child_process, imported when used.
// The child is killed by its pid after the timeout.

import { childEnv, ROOT } from "./child.ts";

/** What a child whose stderr was closed did. */
export interface ClosedStderrResult {
  /** Its exit code; -1 when it was killed (see `timedOut`). */
  code: number;
  /** All it wrote on stdout. */
  stdout: string;
  /** What it wrote on stderr before the pipe was closed: one line. */
  firstLine: string;
  timedOut: boolean;
}

interface DenoChild {
  stdout: ReadableStream<Uint8Array>;
  stderr: ReadableStream<Uint8Array>;
  status: Promise<{ code: number }>;
  kill(signal: string): void;
}

interface DenoApi {
  env: { toObject(): Record<string, string> };
  Command: new (cmd: string, opts: {
    args: string[];
    cwd: string;
    env: Record<string, string>;
    clearEnv: boolean;
    stdin: "null";
    stdout: "piped";
    stderr: "piped";
  }) => { spawn(): DenoChild };
}

/**
 * Runs `cmd args` in the repository root with `env` changes (`undefined`
 * removes a variable), stdin closed, and closes its stderr after the first
 * line. Never rejects for a failing child.
 */
export async function runClosingStderr(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  timeout = 30_000,
): Promise<ClosedStderrResult> {
  const deno = (globalThis as { Deno?: DenoApi }).Deno;
  return deno
    ? await denoRun(deno, cmd, args, env, timeout)
    : await nodeRun(cmd, args, env, timeout);
}

async function denoRun(
  deno: DenoApi,
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeout: number,
): Promise<ClosedStderrResult> {
  const child = new deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: childEnv(deno.env.toObject(), env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeout);
  try {
    const text = new TextDecoder();
    const firstLine = (async () => {
      const reader = child.stderr.getReader();
      let seen = "";
      while (!seen.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += text.decode(value, { stream: true });
      }
      // Closes the read end of the pipe.
      await reader.cancel();
      return seen.split("\n")[0];
    })();
    const stdout = new Response(child.stdout).text();
    const [line, out, status] = await Promise.all([
      firstLine,
      stdout,
      child.status,
    ]);
    return {
      code: timedOut ? -1 : status.code,
      stdout: out,
      firstLine: line,
      timedOut,
    };
  } finally {
    clearTimeout(timer);
  }
}

async function nodeRun(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeout: number,
): Promise<ClosedStderrResult> {
  const { spawn } = await import("node:child_process");
  const base = (globalThis as unknown as {
    process: { env: Record<string, string | undefined> };
  }).process.env;
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: childEnv(base, env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let timedOut = false;
  let exited = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (!exited && child.pid !== undefined) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch { /* already gone */ }
    }
  }, timeout);
  child.on("exit", () => (exited = true));
  let stdout = "";
  let seen = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  const firstLine = new Promise<string>((resolve) => {
    const stderr = child.stderr!;
    stderr.setEncoding("utf8");
    stderr.on("data", (s: string) => {
      seen += s;
      if (seen.includes("\n")) {
        // Closes the read end of the pipe.
        stderr.destroy();
        resolve(seen.split("\n")[0]);
      }
    });
    stderr.on("close", () => resolve(seen.split("\n")[0]));
  });
  const code = await new Promise<number>((resolve) => {
    child.on("close", (c: number | null) => {
      exited = true;
      resolve(c ?? -1);
    });
  });
  clearTimeout(timer);
  return {
    code: timedOut ? -1 : code,
    stdout,
    firstLine: await firstLine,
    timedOut,
  };
}
