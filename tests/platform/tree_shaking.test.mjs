// Purity without help: esbuild bundles a copy of mod.ts and lib/ that has no
// package.json above it, so no `sideEffects` field tells it what it may
// drop. Importing only `iec` (or `sprintf`) must still leave out LiveMemUse,
// the samplers and the reporter: every top-level statement in lib/ is one a
// bundler sees as pure (no computed class keys, no calls it must keep).
//
//   node_modules/.bin/node --test tests/platform/tree_shaking.test.mjs
import assert from "node:assert/strict";
import { cpSync, existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, parse } from "node:path";
import { after, test } from "node:test";
import { root } from "../../scripts/bundle.mjs";
import { tempDir } from "./helpers.mjs";

const esbuild = createRequire(import.meta.url)("esbuild");
const tmp = tempDir("livemem-shake-");
after(() => tmp.remove());
cpSync(join(root, "mod.ts"), join(tmp.dir, "mod.ts"));
cpSync(join(root, "integrations.ts"), join(tmp.dir, "integrations.ts"));
cpSync(join(root, "lib"), join(tmp.dir, "lib"), { recursive: true });

// Code that only the sampling path, the field or the reporter has.
const MARKERS = [
  "memoryUsage",
  "resourceUsage",
  "getHeapStatistics",
  "inspect.custom",
  "toPrimitive",
  "unavailable",
  "LIVEMEM_INTERVAL",
];

async function bundle(source) {
  const entry = join(tmp.dir, "entry.ts");
  writeFileSync(entry, source);
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    external: ["node:*"],
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0].text;
}

test("tree shaking: no package.json (no sideEffects) above the copy", () => {
  for (let dir = tmp.dir; dir !== parse(dir).root; dir = dirname(dir)) {
    assert.ok(!existsSync(join(dir, "package.json")), `${dir}/package.json`);
  }
});

for (const name of ["iec", "sprintf"]) {
  test(`tree shaking: importing only ${name} leaves the field and the samplers out`, async () => {
    const code = await bundle(`export { ${name} } from "./mod.ts";`);
    assert.ok(code.includes(`${name} as ${name}`) || code.includes(name));
    assert.deepEqual(MARKERS.filter((m) => code.includes(m)), []);
  });
}

test("tree shaking: the markers are there when LiveMemUse is imported", async () => {
  const code = await bundle('export { LiveMemUse } from "./mod.ts";');
  for (const m of ["memoryUsage", "inspect.custom", "toPrimitive"]) {
    assert.ok(code.includes(m), m);
  }
});

test("tree shaking: a logger adapter alone leaves the reporter and its host out", async () => {
  const code = await bundle('export { pinoMixin } from "./integrations.ts";');
  assert.ok(code.includes("memoryUsage"), "the field is in");
  const reporter = ["LIVEMEM_INTERVAL", "writeSync", "unrefTimer", "\\x1B[K"];
  assert.deepEqual(reporter.filter((m) => code.includes(m)), []);
});
