// The package manifests agree, and the module keeps its promises at import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";

function json(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`../${name}`, import.meta.url), "utf8"),
  );
}

test("jsr.json and deno.json publish the same name, version and exports", () => {
  const jsr = json("jsr.json");
  const deno = json("deno.json");
  for (const key of ["name", "version", "exports", "publish"]) {
    assert.deepEqual(deno[key], jsr[key], key);
  }
  assert.match(String(jsr.name), /^@[a-z0-9-]+\/[a-z0-9-]+$/);
});

test("package.json is private, side-effect free, and has no runtime dependencies", () => {
  const pkg = json("package.json");
  assert.equal(pkg.private, true);
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.dependencies, undefined);
  const dev = pkg.devDependencies as Record<string, string>;
  for (const [name, version] of Object.entries(dev)) {
    assert.match(
      version,
      /^(npm:[@a-z0-9/._-]+@)?\d+\.\d+\.\d+$/,
      `${name} is pinned`,
    );
  }
});

test("lib/ has no static node:, npm: or jsr: import and no top-level await", () => {
  const files = ["mod.ts", ...listTs("lib/")];
  for (const file of files) {
    const text = readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
    assert.doesNotMatch(
      text,
      /^\s*(import|export)[^;]*from\s+["'](node|npm|jsr):/m,
      file,
    );
    assert.doesNotMatch(text, /^await\s/m, file);
  }
});

function listTs(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(new URL(`../${dir}`, import.meta.url), {
    withFileTypes: true,
  });
  for (const e of entries) {
    if (e.isDirectory()) out.push(...listTs(`${dir}${e.name}/`));
    else if (e.name.endsWith(".ts")) out.push(dir + e.name);
  }
  return out;
}
