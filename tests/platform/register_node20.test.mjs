// The preload on Node 20, which cannot strip types: register.ts and the
// child (tests/fixtures/stderr_child.ts) bundled by esbuild, the child's
// stderr closed after its first line, as `… 2>&1 >/dev/null | head -1` does.
// Deno, Bun and Node 24 run the same checks in tests/register.test.ts.
//
//   node_modules/.bin/node --test tests/platform/register_node20.test.mjs
// Node 20 is $NODE20, else the first `node` v20 on PATH (CI: the system node).
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { bundleFile } from "../../scripts/bundle.mjs";
import { runClosingStderr } from "../support/closed_stderr.ts";
import { findNode20, tempDir, versionOf } from "./helpers.mjs";

const tmp = tempDir("livemem-register20-");
after(() => tmp.remove());
const node20 = findNode20();
let register, child;
before(async () => {
  const opts = { platform: "neutral", minify: false };
  register = await bundleFile(join(tmp.dir, "register.mjs"), {
    ...opts,
    entry: "register.ts",
  });
  child = await bundleFile(join(tmp.dir, "stderr_child.mjs"), {
    ...opts,
    entry: "tests/fixtures/stderr_child.ts",
  });
});

const STEPS = Array.from({ length: 10 }, (_, i) => `step ${i}\n`).join("");
const env = { LIVEMEM_INTERVAL: "100", LIVEMEM_FORMAT: undefined };

function closing(mode, preload) {
  const args = preload ? ["--import", pathToFileURL(register).href] : [];
  return runClosingStderr(node20, [...args, child, mode], env);
}

test(
  "node 20: a stderr closed early stops the reporter; the child runs to its end with its own code",
  {
    timeout: 60_000,
  },
  async (t) => {
    assert.ok(node20, "no Node 20 found: set NODE20=/path/to/node (v20)");
    t.diagnostic(`${node20} ${versionOf(node20)}`);
    const r = await closing("quiet", true);
    assert.equal(r.timedOut, false);
    assert.match(r.firstLine, /^livemem: rss=\S+ \(heap=.* ; peak=\S+/);
    assert.equal(r.stdout, STEPS + "done\n", "the child reached its last line");
    assert.equal(r.code, 3, "the child's own exit code");
  },
);

test(
  "node 20: a program that writes to its own closed stderr ends as it would without the preload",
  {
    timeout: 60_000,
  },
  async () => {
    assert.ok(node20, "no Node 20 found");
    const outcome = (r) => ({
      code: r.code,
      done: r.stdout.endsWith("done\n"),
      handled: /^handled /m.test(r.stdout),
    });
    for (const mode of ["own", "handled"]) {
      const [bare, preloaded] = await Promise.all([
        closing(mode, false),
        closing(mode, true),
      ]);
      assert.equal(bare.timedOut || preloaded.timedOut, false, mode);
      assert.deepEqual(outcome(preloaded), outcome(bare), mode);
    }
    const handled = await closing("handled", true);
    assert.deepEqual(outcome(handled), { code: 3, done: true, handled: true });
  },
);
