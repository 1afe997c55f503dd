// Node 20 cannot strip types: it runs the esbuild bundle, through every
// golden vector (the stress set included) and the field.
//
//   node_modules/.bin/node --test tests/platform/node20.test.mjs
// Node 20 is $NODE20, else the first `node` v20 on PATH (CI: the system node).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { bundleFile, root } from "../../scripts/bundle.mjs";
import { findNode20, run, tempDir } from "./helpers.mjs";

const tmp = tempDir("livemem-node20-");
after(() => tmp.remove());

test("node 20: the bundle passes the golden vectors and prints the field", {
  timeout: 120_000,
}, async (t) => {
  const node20 = findNode20();
  assert.ok(node20, "no Node 20 found: set NODE20=/path/to/node (v20)");
  const bundle = await bundleFile(join(tmp.dir, "livemem.mjs"), {
    platform: "neutral",
  });
  const fixture = join(root, "tests", "platform", "fixtures", "node20.mjs");
  const { code, stdout, stderr } = await run(node20, [fixture, bundle], {
    timeoutMs: 60_000,
  });
  assert.equal(code, 0, stderr);
  const out = JSON.parse(stdout.trim().split("\n").at(-1));
  t.diagnostic(`${node20} ${out.node}`);
  t.diagnostic(`text: ${out.text}`);
  t.diagnostic(`json: ${JSON.stringify(out.json)}`);
  t.diagnostic(
    `vectors: sprintf ${out.sprintf.total}, units ${out.units.total}`,
  );
  assert.match(out.node, /^v20\./);
  assert.deepEqual(
    out.sprintf.failures,
    [],
    `${out.sprintf.failed} sprintf vectors fail`,
  );
  assert.deepEqual(
    out.units.failures,
    [],
    `${out.units.failed} units vectors fail`,
  );
  assert.ok(out.sprintf.total > 0 && out.units.total > 0);
  const { stress } = out;
  t.diagnostic(
    `stress: sprintf ${stress.sprintf.total - stress.sprintf.failed}/` +
      `${stress.sprintf.total} pass, units ${
        stress.units.total - stress.units.failed
      }/${stress.units.total} pass`,
  );
  assert.deepEqual(
    stress.sprintf.failures,
    [],
    `${stress.sprintf.failed} stress sprintf vectors fail`,
  );
  assert.deepEqual(
    stress.units.failures,
    [],
    `${stress.units.failed} stress units vectors fail`,
  );
  assert.equal(stress.sprintf.total, 20205);
  assert.equal(stress.units.total, 10000);
  assert.equal(out.example, "117.7MiB");
  assert.equal(out.runtime, "node");
  assert.match(
    out.text,
    /^rss=\S+ \(heap=\S+ \(used:\S+ \+ free:\S+\) ; external=\S+ \(arrayBuffers:\S+\) ; other=\S+\)$/,
  );
});
