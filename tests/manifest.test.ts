// The package manifests agree, and the module keeps its promises at import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";

type Json = Record<string, unknown>;

function json(name: string): Json {
  return JSON.parse(
    readFileSync(new URL(`../${name}`, import.meta.url), "utf8"),
  );
}

test("deno.json alone names and versions the package: there is no jsr.json", () => {
  // deno publish ignores jsr.json when deno.json has a name and a version,
  // so a second manifest could only drift.
  assert.equal(existsSync(new URL("../jsr.json", import.meta.url)), false);
  const deno = json("deno.json");
  assert.match(String(deno.name), /^@[a-z0-9-]+\/[a-z0-9-]+$/);
  assert.match(String(deno.version), /^\d+\.\d+\.\d+(-[0-9a-z.]+)?$/);
});

test("every export of deno.json is a published .ts file", () => {
  const deno = json("deno.json");
  const include = (deno.publish as { include: string[] }).include;
  for (const [key, source] of Object.entries(deno.exports as Json)) {
    assert.match(String(source), /^\.\/[\w/]+\.ts$/, key);
    const path = String(source).slice(2);
    assert.ok(existsSync(new URL(`../${path}`, import.meta.url)), path);
    assert.ok(
      include.some((i) =>
        i === path || (i.endsWith("/") && path.startsWith(i))
      ),
      `${path} is in publish.include`,
    );
  }
});

test("package.json is the npm package, with deno.json's version and entries", () => {
  const deno = json("deno.json");
  const pkg = json("package.json");
  assert.equal(pkg.name, String(deno.name).split("/")[1]);
  assert.equal(pkg.version, deno.version);
  assert.equal(pkg.private, undefined);
  assert.equal(pkg.type, "module");
  const exports: Json = {};
  for (const [key, source] of Object.entries(deno.exports as Json)) {
    const stem = `./dist/${String(source).slice(2, -3)}`;
    exports[key] = { types: `${stem}.d.ts`, default: `${stem}.js` };
  }
  exports["./package.json"] = "./package.json";
  assert.deepEqual(pkg.exports, exports);
  // The preload has the import side effect; nothing else does.
  assert.deepEqual(pkg.sideEffects, ["./dist/register.js"]);
  assert.deepEqual(
    pkg.bin,
    (deno.exports as Json)["./demo"] === undefined
      ? undefined
      : { livemem: "./dist/bin.js" },
  );
  assert.deepEqual(pkg.files, ["dist/"]);
  assert.deepEqual(pkg.engines, { node: ">=20" });
  assert.match(String((pkg.scripts as Json).prepack), /scripts\/build\.mjs/);
  const lock = json("package-lock.json");
  const root = (lock.packages as Record<string, Json>)[""];
  for (const entry of [lock, root]) {
    assert.equal(entry.name, pkg.name);
    assert.equal(entry.version, pkg.version);
  }
});

test("package.json has no runtime dependencies and pins its dev tools", () => {
  const pkg = json("package.json");
  for (
    const key of ["dependencies", "peerDependencies", "optionalDependencies"]
  ) {
    assert.equal(pkg[key], undefined, key);
  }
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
