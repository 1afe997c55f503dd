// Builds the npm package `livemem` into dist/ with tsc: one .js and one
// .d.ts per source file, the relative `.ts` imports rewritten to `.js`
// (`rewriteRelativeImportExtensions`), for Node 20 and up. `npm pack` runs
// it first (the `prepack` script).
//
//   node scripts/build.mjs          check the manifests agree, build dist/
//   node scripts/build.mjs --sync   first copy version, exports and bin from
//                                   deno.json into package.json and the lock
//
// deno.json is the one source of the version and of the entries: package.json
// repeats them in npm's form, and the build refuses to run while the two
// disagree (tests/manifest.test.ts checks the same).
//
// Plain JavaScript for Node >= 20, no dependency but the pinned TypeScript.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the directory holding deno.json). */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The npm package name (JSR's is deno.json's `name`). */
export const npmName = "livemem";

/** The only module with an import side effect: it starts the reporter. */
const sideEffectEntry = "./register";

const readJson = (dir, name) =>
  JSON.parse(readFileSync(join(dir, name), "utf8"));

/** "./lib/x.ts" -> "./dist/lib/x" (no extension). */
function distStem(source) {
  if (!/^\.\/[^]+\.ts$/.test(source)) {
    throw new Error(`deno.json export ${source} is not a relative .ts file`);
  }
  return `./dist/${source.slice(2, -3)}`;
}

/**
 * The fields package.json must have, derived from deno.json: the version,
 * one `exports` entry per JSR export, `bin` when there is a demo entry, and
 * `sideEffects` for the register entry only.
 */
export function npmFields(deno) {
  const exports = {};
  for (const [key, source] of Object.entries(deno.exports)) {
    const stem = distStem(source);
    exports[key] = { types: `${stem}.d.ts`, default: `${stem}.js` };
  }
  exports["./package.json"] = "./package.json";
  const fields = {
    name: npmName,
    version: deno.version,
    exports,
    sideEffects: [`${distStem(deno.exports[sideEffectEntry])}.js`],
  };
  if (deno.exports["./demo"] !== undefined) {
    fields.bin = { [npmName]: "./dist/bin.js" };
  }
  return fields;
}

/** The differences between package.json (and its lock) and deno.json. */
export function manifestDrift(dir = root) {
  const deno = readJson(dir, "deno.json");
  const pkg = readJson(dir, "package.json");
  const want = npmFields(deno);
  const out = [];
  for (const key of ["name", "version", "exports", "sideEffects", "bin"]) {
    if (JSON.stringify(pkg[key]) !== JSON.stringify(want[key])) {
      out.push(
        `package.json ${key} is ${JSON.stringify(pkg[key])}, ` +
          `deno.json gives ${JSON.stringify(want[key])}`,
      );
    }
  }
  if (existsSync(join(dir, "package-lock.json"))) {
    const lock = readJson(dir, "package-lock.json");
    const places = { "": lock, 'packages[""].': lock.packages?.[""] };
    for (const [where, entry] of Object.entries(places)) {
      for (const key of ["name", "version"]) {
        if (entry?.[key] !== want[key]) {
          out.push(`package-lock.json ${where}${key} is ${entry?.[key]}`);
        }
      }
    }
  }
  return out;
}

// Copies deno.json's version and entries into package.json and the lock,
// keeping every other field and the order of the keys.
function sync(dir) {
  const want = npmFields(readJson(dir, "deno.json"));
  const pkg = {};
  for (const [key, value] of Object.entries(readJson(dir, "package.json"))) {
    if (key !== "bin") pkg[key] = want[key] ?? value;
    // bin goes after exports, or away with the demo entry.
    if (key === "exports" && want.bin !== undefined) pkg.bin = want.bin;
  }
  for (const [key, value] of Object.entries(want)) pkg[key] ??= value;
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  const lockFile = join(dir, "package-lock.json");
  if (existsSync(lockFile)) {
    // Name and version first, where npm writes them; npm itself adds the
    // rest of the root entry (license, engines, bin) on its next install.
    const lock = readJson(dir, "package-lock.json");
    const head = (entry) =>
      Object.assign({ name: "", version: "" }, entry, {
        name: want.name,
        version: want.version,
      });
    const packages = { ...lock.packages, "": head(lock.packages[""]) };
    writeFileSync(
      lockFile,
      JSON.stringify({ ...head(lock), packages }, null, 2) + "\n",
    );
  }
}

// tsc settings. lib has "dom" for the web globals the sources use
// (performance, TextEncoder); the .d.ts files it writes name none of them.
const compilerOptions = {
  target: "es2022",
  lib: ["es2022", "dom"],
  module: "nodenext",
  moduleResolution: "nodenext",
  rewriteRelativeImportExtensions: true,
  verbatimModuleSyntax: true,
  declaration: true,
  strict: true,
  types: [],
  skipLibCheck: false,
  noEmitOnError: true,
  newLine: "lf",
};

// Declarations for the compile only (the .d.ts files written do not need
// them): what Deno, Bun and Node >= 24.2 add to import.meta.
const ambient = `interface ImportMeta {
  /** Whether this module is the program's entry point. */
  readonly main?: boolean;
}
`;

// The small executable behind `npx livemem`: the demo's main on the
// command line's arguments.
const binScript = `#!/usr/bin/env node
// \`npx livemem\`: the live demo (see demo.js).
import { main } from "./demo.js";

const code = await main(process.argv.slice(2));
if (typeof code === "number") process.exitCode = code;
`;

// tsc rewrites `./x.ts` to `./x.js` in the JavaScript it writes but not in
// the .d.ts files. TypeScript 5 reads either; older ones and some editors
// want `.js`, so the declarations get the same specifiers as the code.
const tsSpecifier = /(\bfrom\s*|\bimport\s*\(\s*)(["'])(\.\.?\/[^"']*)\.ts\2/g;

function rewriteDeclarationImports(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) rewriteDeclarationImports(file);
    else if (entry.name.endsWith(".d.ts")) {
      const text = readFileSync(file, "utf8");
      writeFileSync(file, text.replace(tsSpecifier, "$1$2$3.js$2"));
    }
  }
}

/** Runs tsc over the entries of deno.json in `dir`; writes `dir`/dist. */
export function build(dir = root) {
  const drift = manifestDrift(dir);
  if (drift.length) {
    throw new Error(
      `package.json disagrees with deno.json (run node scripts/build.mjs --sync):\n  ${
        drift.join("\n  ")
      }`,
    );
  }
  const deno = readJson(dir, "deno.json");
  const sources = Object.values(deno.exports).map((s) => join(dir, s));
  const outDir = join(dir, "dist");
  rmSync(outDir, { recursive: true, force: true });
  const tmp = mkdtempSync(join(tmpdir(), "livemem-build-"));
  try {
    const config = join(tmp, "tsconfig.json");
    const env = join(tmp, "env.d.ts");
    writeFileSync(env, ambient);
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: { ...compilerOptions, rootDir: dir, outDir },
        files: [env, ...sources],
      }),
    );
    const tsc = join(
      dirname(
        createRequire(join(dir, "package.json")).resolve(
          "typescript/package.json",
        ),
      ),
      "bin",
      "tsc",
    );
    const r = spawnSync(process.execPath, [tsc, "-p", config], {
      cwd: dir,
      encoding: "utf8",
    });
    if (r.status !== 0) {
      throw new Error(`tsc failed:\n${r.stdout}${r.stderr}${r.error ?? ""}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  rewriteDeclarationImports(outDir);
  const fields = npmFields(deno);
  if (fields.bin !== undefined) {
    const bin = join(dir, fields.bin[npmName]);
    writeFileSync(bin, binScript);
    chmodSync(bin, 0o755);
  }
  for (const target of Object.values(fields.exports)) {
    for (
      const file of typeof target === "string"
        ? [target]
        : Object.values(target)
    ) {
      if (!existsSync(join(dir, file))) {
        throw new Error(`the build did not write ${file}`);
      }
    }
  }
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes("--sync")) sync(root);
    console.log(`built ${build(root)}`);
  } catch (e) {
    console.error(`build: ${e.message}`);
    process.exitCode = 1;
  }
}
