// Shared plumbing of the platform harnesses (run by Node 24 `--test`):
// free ports, child processes that are always killed, bounded waits.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

const live = new Set();
const dirs = new Set();

// Whatever happens (a failed assertion, an exception, Ctrl-C), no child
// started here outlives the test process.
process.on("exit", () => {
  for (const child of live) killNow(child, "SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => process.exit(130));
}

function killNow(child, signal) {
  try {
    process.kill(child.pid, signal);
  } catch {
    // already gone
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  const remove = () => {
    dirs.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, remove };
}

/** `promise`, or `undefined` once `ms` have passed. */
const within = (promise, ms) =>
  Promise.race([promise, sleep(ms).then(() => undefined)]);

/**
 * Starts a long-running child. `output()` gives what it printed so far (capped),
 * `closed` resolves with its exit code once its output is drained, `stop()`
 * kills it by pid (SIGTERM, then SIGKILL after `graceMs`) and waits for that.
 */
export function startProcess(cmd, args, opts = {}) {
  const child = spawn(cmd, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...opts,
  });
  live.add(child);
  let text = "";
  let done = false;
  const append = (chunk) => {
    if (text.length < 1 << 20) text += chunk;
  };
  child.stdout.setEncoding("utf8").on("data", append);
  child.stderr.setEncoding("utf8").on("data", append);
  // After "exit" the pid may be reused: never signal it again.
  child.once("exit", () => {
    done = true;
    live.delete(child);
  });
  const closed = new Promise((resolve) => {
    child.once("error", (e) => {
      append(`\n[spawn error: ${e.message}]\n`);
      done = true;
      live.delete(child);
      resolve(-1);
    });
    child.once("close", (code, signal) => resolve(code ?? signal));
  });
  const stop = async (graceMs = 3000) => {
    if (!done) killNow(child, "SIGTERM");
    const result = await within(closed, graceMs);
    if (result !== undefined) return result;
    if (!done) killNow(child, "SIGKILL");
    return within(closed, graceMs);
  };
  return { child, closed, stop, output: () => text, isDone: () => done };
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

/**
 * Waits until 127.0.0.1:`port` accepts connections: at most `tries` polls
 * `delayMs` apart, within `deadlineMs` in all, and never after `proc` (from
 * startProcess) exited.
 */
export async function waitForPort(
  port,
  proc,
  { tries = 100, delayMs = 100, deadlineMs = 30_000 } = {},
) {
  const deadline = Date.now() + deadlineMs;
  for (let i = 0; i < tries && Date.now() < deadline; i++) {
    if (proc.isDone()) {
      throw new Error(`process exited before listening:\n${proc.output()}`);
    }
    if (await canConnect(port)) return;
    await sleep(delayMs);
  }
  throw new Error(`port ${port} not ready in time:\n${proc.output()}`);
}

/**
 * Runs a command to completion within `timeoutMs` (then kills it) and gives
 * its exit code, stdout and stderr.
 */
export async function run(cmd, args, { timeoutMs = 60_000, ...opts } = {}) {
  const child = spawn(cmd, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...opts,
  });
  live.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c) => stdout += c);
  child.stderr.setEncoding("utf8").on("data", (c) => stderr += c);
  const timer = setTimeout(() => killNow(child, "SIGKILL"), timeoutMs);
  try {
    const code = await new Promise((resolve) => {
      child.once("error", (e) => {
        stderr += `[spawn error: ${e.message}]`;
        resolve(-1);
      });
      child.once("close", (c, signal) => resolve(c ?? signal));
    });
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
    live.delete(child);
  }
}

/** GETs `url` with a timeout and gives status and body text. */
export async function get(url, timeoutMs = 10_000) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/** The first line `cmd --version` prints, or "" if it cannot be run. */
export function versionOf(cmd) {
  try {
    return execFileSync(cmd, ["--version"], {
      encoding: "utf8",
      timeout: 10_000,
    }).split("\n")[0].trim();
  } catch {
    return "";
  }
}

/**
 * Node 20: $NODE20, else the first `node` v20 on PATH, else /usr/bin/node or
 * /usr/local/bin/node if either is v20; undefined if none is.
 */
export function findNode20() {
  const path = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  return [
    process.env.NODE20,
    ...path.map((dir) => join(dir, "node")),
    "/usr/bin/node",
    "/usr/local/bin/node",
  ].filter((p) => p && existsSync(p)).find((p) =>
    versionOf(p).startsWith("v20.")
  );
}
