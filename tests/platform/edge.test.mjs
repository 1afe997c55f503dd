// examples/edge.ts under `deno serve` on 127.0.0.1: each request is logged
// with the mem field and answered with its text and JSON.
// (Its workerd run is in workerd.test.mjs.)
//
//   node_modules/.bin/node --test tests/platform/edge.test.mjs
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../scripts/bundle.mjs";
import { freePort, get, startProcess, waitForPort } from "./helpers.mjs";

const deno = join(root, "node_modules", ".bin", "deno");
const text =
  /^rss=\S+ \(heap=\S+ \(used:\S+ \+ free:\S+\) ; external=\S+ ; other=\S+\)$/;

test("edge example: deno serve logs and answers the mem field", {
  timeout: 60_000,
}, async (t) => {
  const port = await freePort();
  const proc = startProcess(deno, [
    "serve",
    "--host=127.0.0.1",
    `--port=${port}`,
    `--allow-net=127.0.0.1:${port}`,
    "examples/edge.ts",
  ], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
  let answer;
  try {
    await waitForPort(port, proc, { tries: 150, deadlineMs: 30_000 });
    const res = await get(`http://127.0.0.1:${port}/x`);
    assert.equal(res.status, 200, res.body);
    answer = JSON.parse(res.body);
    await proc.stop();
  } finally {
    await proc.stop();
  }
  t.diagnostic(`answer: ${JSON.stringify(answer)}`);
  assert.match(answer.mem, text);
  assert.equal(answer.json.runtime, "deno");
  assert.ok(answer.json.rss > 0 && answer.json.heapUsed > 0);
  assert.equal(
    answer.json.arrayBuffers,
    undefined,
    "Deno's arrayBuffers is unknown",
  );
  const line = proc.output().split("\n").find((l) =>
    l.startsWith("GET /x mem=")
  );
  assert.ok(line, proc.output());
  assert.match(line.slice("GET /x mem=".length), text);
});
