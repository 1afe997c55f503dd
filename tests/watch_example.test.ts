// The live demo (demo.ts, and examples/watch.ts that runs the same program)
// runs to completion as a child process of the runtime running this test
// (Deno, Bun or Node), with no permission flags on Deno. Off a terminal:
// its terminal behaviour is tested in tmux by tests/platform/terminal.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildResult, runChild, runtimeName } from "./support/child.ts";
import { BUN_LINE } from "./support/mem_line.ts";

/** Runs `script` with `args` under the current runtime. */
async function runDemo(
  args: string[],
  script = "examples/watch.ts",
): Promise<ChildResult> {
  // `deno run` with no --allow-* flag: the demo must need no permission.
  return await runChild([
    ...(runtimeName === "deno" ? ["run"] : []),
    script,
    ...args,
  ]);
}

// Bun stops a test after 5 s unless told otherwise; these run children.
const SLOW = { timeout: 120_000 };

const FIGURE = String.raw`-?[\d,]+\.\d(?:B|KiB|MiB|GiB)`;
const FIELD = String
  .raw`mem=rss=${FIGURE} \(heap=${FIGURE} \(used:${FIGURE} \+ free:${FIGURE}\) ; ` +
  String
    .raw`external=${FIGURE}(?: \(arrayBuffers:${FIGURE}\))? ; other=${FIGURE}\)`;
// Bun's line is its own: see support/mem_line.ts.
const RUNTIME_FIELD = runtimeName === "bun" ? `mem=${BUN_LINE}` : FIELD;

test(
  "examples/watch.ts --seconds 1: log lines carry the mem field, then it ends",
  SLOW,
  async () => {
    const { code, stdout, stderr } = await runDemo(["--seconds", "1"]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.ok(lines.length >= 4, stdout);
    // Not a terminal: plain lines, no carriage returns or escape codes.
    assert.ok(
      !stdout.includes("\r") && !stdout.includes("\x1b"),
      "no live line off a TTY",
    );
    const line = new RegExp(
      String.raw`^(?:start|step \d+/\d+|headroom|done): .* ${RUNTIME_FIELD}$`,
    );
    for (const l of lines) assert.match(l, line);
    assert.match(lines[0], /^start: /);
    assert.match(lines.at(-1)!, /^done: /);
    assert.ok(lines.some((l) => l.includes("allocated")), "the workload ran");
    // The headroom line: the peak, and the heap limit where known (not Bun).
    const limit = runtimeName === "bun"
      ? "not known on bun"
      : String.raw`[\d,]+\.\d[KMG]iB`;
    assert.match(
      lines.at(-2)!,
      new RegExp(
        String
          .raw`^headroom: peak rss [\d,]+\.\d[KMG]iB, heap limit ${limit} mem=`,
      ),
    );
  },
);

/** The step lines of a text run: their numbers, after the announced count. */
function stepsOf(stdout: string): { announced: number; printed: number[] } {
  const lines = stdout.trimEnd().split("\n");
  const start = /^start: (\d+) steps? over [\d.]+ s /.exec(lines[0]);
  assert.ok(start, lines[0]);
  const announced = Number(start[1]);
  const printed = lines.flatMap((l) => {
    const m = /^step (\d+)\/(\d+): /.exec(l);
    if (m === null) return [];
    assert.equal(Number(m[2]), announced, l);
    return [Number(m[1])];
  });
  return { announced, printed };
}

test("the demo prints the number of steps it announces", SLOW, async () => {
  // 1 s and the default 3 s: 3 and 10 steps of 3 ticks; 0.3 s: 1 step.
  for (
    const [args, steps, words] of [
      [["--seconds", "0.3"], 1, "1 step over 0.3 s"],
      [["--seconds=1"], 3, "3 steps over 1 s"],
      [[], 10, "10 steps over 3 s"],
    ] as const
  ) {
    const { code, stdout, stderr } = await runDemo([...args]);
    assert.equal(code, 0, stderr);
    assert.ok(stdout.startsWith(`start: ${words} mem=`), stdout);
    const { announced, printed } = stepsOf(stdout);
    assert.equal(announced, steps);
    assert.deepEqual(printed, Array.from({ length: steps }, (_, i) => i + 1));
  }
});

test(
  "examples/watch.ts --json --seconds 1: one JSON object a line, numbers in bytes",
  SLOW,
  async () => {
    const { code, stdout, stderr } = await runDemo([
      "--json",
      "--seconds",
      "1",
    ]);
    assert.equal(code, 0, stderr);
    const records = stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.ok(records.length >= 4);
    const runtimes = new Set(records.map((r) => r.mem.runtime));
    assert.equal(runtimes.size, 1);
    assert.ok(["deno", "bun", "node"].includes([...runtimes][0]));
    for (const { time, msg, mem } of records) {
      assert.ok(!Number.isNaN(Date.parse(time)), time);
      assert.equal(typeof msg, "string");
      if (runtimeName === "bun") {
        // No heap total, no parts to sum; 0s are left out (bun_figures.ts).
        assert.ok(Number.isSafeInteger(mem.rss) && !("heapTotal" in mem));
        assert.equal(mem.heapAsOf, "lastGC");
        continue;
      }
      for (const k of ["rss", "heapTotal", "heapUsed", "external"]) {
        // Bun's external starts at 0; the others are never 0 in a live process.
        assert.ok(
          Number.isSafeInteger(mem[k]) && mem[k] >= (k === "external" ? 0 : 1),
          `${k}: ${mem[k]}`,
        );
      }
      assert.equal(mem.rss, mem.heapTotal + mem.external + mem.other);
    }
    // The start record announces the steps; each step record has its number.
    assert.equal(records[0].steps, 3);
    assert.deepEqual(
      records.filter((r) => r.step !== undefined).map((r) => r.step),
      [1, 2, 3],
    );
    // The workload allocates 12 MiB of ArrayBuffers a step: external grows.
    assert.ok(
      records.at(-2).mem.external - (records[0].mem.external ?? 0) >=
        8 * 2 ** 20,
    );
  },
);

test(
  "the demo: --help prints the usage and exits 0, from demo.ts and examples/watch.ts",
  SLOW,
  async () => {
    for (const script of ["demo.ts", "examples/watch.ts"]) {
      for (const flag of ["--help", "-h"]) {
        const { code, stdout, stderr } = await runDemo([flag], script);
        assert.equal(code, 0, stderr);
        assert.equal(stderr, "");
        assert.match(stdout, /^livemem demo: /);
        assert.match(stdout, /\nUsage:\n {2}npx livemem \[options\]\n/);
        assert.match(stdout, /\n {2}--seconds N {3}/);
        assert.match(stdout, /\n {2}--json {8}/);
      }
    }
  },
);

test(
  "the demo: a bad argument fails with exit code 2 and a message naming it",
  SLOW,
  async () => {
    for (
      const [args, message] of [
        [["--seconds", "soon"], /--seconds must be a number > 0, got soon/],
        [["--seconds=0"], /--seconds must be a number > 0, got 0\n/],
        [["--seconds", "7200"], /--seconds must be at most 3600, got 7200/],
        [["--seconds"], /--seconds needs a value/],
        [["--verbose"], /unknown option "--verbose"/],
        [["fast"], /unexpected argument "fast"/],
      ] as const
    ) {
      const { code, stdout, stderr } = await runDemo([...args], "demo.ts");
      assert.equal(code, 2, `${args}: ${stderr}`);
      assert.equal(stdout, "");
      assert.match(stderr, message);
      assert.match(stderr, /--help for the usage/);
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    }
  },
);

test(
  "demo.ts imported, not run: it exports main and prints nothing",
  SLOW,
  async () => {
    const { code, stdout, stderr } = await runChild([
      ...(runtimeName === "deno" ? ["run"] : []),
      "tests/fixtures/import_demo.ts",
    ]);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, '["main"] function\n');
  },
);
