// examples/watch.ts runs to completion, as a child process of the runtime
// running this test (Deno, Bun or Node), with no permission flags on Deno.
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildResult, runChild, runtimeName } from "./support/child.ts";
import { BUN_LINE } from "./support/mem_line.ts";

/** Runs examples/watch.ts with `args` under the current runtime. */
async function runWatch(args: string[]): Promise<ChildResult> {
  // `deno run` with no --allow-* flag: the demo must need no permission.
  return await runChild([
    ...(runtimeName === "deno" ? ["run"] : []),
    "examples/watch.ts",
    ...args,
  ]);
}

const FIGURE = String.raw`-?[\d,]+\.\d(?:B|KiB|MiB|GiB)`;

test("examples/watch.ts --seconds 1: log lines carry the mem field, then it ends", async () => {
  const { code, stdout, stderr } = await runWatch(["--seconds", "1"]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split("\n");
  assert.ok(lines.length >= 4, stdout);
  // Not a terminal: plain lines, no carriage returns or escape codes.
  assert.ok(
    !stdout.includes("\r") && !stdout.includes("\x1b"),
    "no live line off a TTY",
  );
  // Bun's line is its own: see support/mem_line.ts.
  const line = runtimeName === "bun"
    ? new RegExp(String.raw`^step \d+: .* mem=${BUN_LINE}$`)
    : new RegExp(
      String
        .raw`^step \d+: .* mem=rss=${FIGURE} \(heap=${FIGURE} \(used:${FIGURE} \+ free:${FIGURE}\) ; ` +
        String
          .raw`external=${FIGURE}(?: \(arrayBuffers:${FIGURE}\))? ; other=${FIGURE}\)$`,
    );
  for (const l of lines) assert.match(l, line);
  assert.match(lines[0], /^step 0: start/);
  assert.match(lines.at(-1)!, /: done: /);
  assert.ok(lines.some((l) => l.includes("allocated")), "the workload ran");
  // The headroom line: the peak, and the heap limit where known (not Bun).
  const limit = runtimeName === "bun"
    ? "not known on bun"
    : String.raw`[\d,]+\.\d[KMG]iB`;
  assert.match(
    lines.at(-2)!,
    new RegExp(
      String
        .raw`^step \d+: headroom: peak rss [\d,]+\.\d[KMG]iB, heap limit ${limit} mem=`,
    ),
  );
});

test("examples/watch.ts --json --seconds 1: one JSON object a line, numbers in bytes", async () => {
  const { code, stdout, stderr } = await runWatch(["--json", "--seconds", "1"]);
  assert.equal(code, 0, stderr);
  const records = stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.ok(records.length >= 4);
  const runtimes = new Set(records.map((r) => r.mem.runtime));
  assert.equal(runtimes.size, 1);
  assert.ok(["deno", "bun", "node"].includes([...runtimes][0]));
  for (const { step, msg, mem } of records) {
    assert.equal(typeof step, "number");
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
  // The workload allocates 12 MiB of ArrayBuffers a step: external grows.
  assert.ok(
    records.at(-2).mem.external - (records[0].mem.external ?? 0) >=
      8 * 2 ** 20,
  );
});

test("examples/watch.ts: a bad --seconds fails with a message", async () => {
  const { code, stderr } = await runWatch(["--seconds", "soon"]);
  assert.notEqual(code, 0);
  assert.match(stderr, /--seconds must be a number > 0, got soon/);
});
