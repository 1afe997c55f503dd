// The sampler inside worker threads on Deno, Bun and Node: each worker must
// report its own heap, not the main thread's.
//
//   node_modules/.bin/node --test tests/platform/workers.test.mjs
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/bundle.mjs";
import { run } from "./helpers.mjs";

const bin = (name) => join(root, "node_modules", ".bin", name);
const fixture = join(root, "tests", "platform", "fixtures", "threads_main.mjs");

const cases = [
  { runtime: "node", api: "node", cmd: bin("node"), args: [] },
  {
    runtime: "deno",
    api: "web",
    cmd: bin("deno"),
    args: ["run", `--allow-read=${root}`],
  },
  {
    runtime: "deno",
    api: "node",
    cmd: bin("deno"),
    args: ["run", `--allow-read=${root}`],
  },
  { runtime: "bun", api: "web", cmd: bin("bun"), args: [] },
  { runtime: "bun", api: "node", cmd: bin("bun"), args: [] },
];

const MiB = 1024 * 1024;

for (const c of cases) {
  const api = c.api === "web" ? "Web Worker" : "node:worker_threads";
  test(`workers: ${c.runtime} ${api} reports its own heap`, {
    timeout: 90_000,
  }, async (t) => {
    const { code, stdout, stderr } = await run(c.cmd, [
      ...c.args,
      fixture,
      c.api,
    ], {
      cwd: root,
      timeoutMs: 60_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    assert.equal(code, 0, stderr);
    const out = JSON.parse(stdout.trim().split("\n").at(-1));
    const main = out.main.sample;
    const { before, after } = out.worker;
    t.diagnostic(`main:   ${out.main.text}`);
    t.diagnostic(`worker: ${before.text}`);
    t.diagnostic(`worker after 16 MiB: ${after.text}`);
    assert.equal(out.runtime, c.runtime);
    for (const s of [main, before.sample, after.sample]) {
      assert.ok(s.heapUsed > 0);
    }
    // The main thread holds at least 64 MiB of doubles the worker does not.
    assert.ok(
      main.heapUsed - before.sample.heapUsed > 32 * MiB,
      "worker sees the main heap",
    );
    // The worker sees its own 16 MiB.
    assert.ok(
      after.sample.heapUsed - before.sample.heapUsed > 8 * MiB,
      "worker misses its own allocation",
    );
    // Bun has no heap total: its used part comes first (lib/bun_figures.ts).
    const shape = c.runtime === "bun"
      ? /^rss=\S+ \(heapUsed=\S+/
      : /^rss=\S+ \(heap=\S+ \(used:\S+ \+ free:\S+\)/;
    for (const text of [out.main.text, before.text, after.text]) {
      assert.match(text, shape);
    }
  });
}
