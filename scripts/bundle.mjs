// Bundles livemem with esbuild (dev tooling only).
//
//   node scripts/bundle.mjs            writes dist/livemem.js (browser, ESM, minified)
//
// Other harnesses import `bundle` and `bundleFile` from here.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Loaded through require: esbuild's typings reference @types/node, which
// `deno check tests/` (whose harnesses import this file) cannot resolve.
const esbuild = createRequire(import.meta.url)("esbuild");

/** The repository root (the directory holding mod.ts). */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The default output of the CLI. */
export const distFile = join(root, "dist", "livemem.js");

function options({ entry, source, platform, minify }) {
  const common = {
    bundle: true,
    format: "esm",
    platform,
    minify,
    treeShaking: true,
    target: "es2022",
    // lib/ may reach a node: builtin lazily where it exists; never inline one.
    external: ["node:*"],
    logLevel: "silent",
    metafile: true,
    write: false,
    outdir: "out",
  };
  if (source !== undefined) {
    return {
      ...common,
      stdin: { contents: source, resolveDir: root, loader: "ts" },
    };
  }
  return { ...common, entryPoints: [resolve(root, entry ?? "mod.ts")] };
}

/**
 * Bundles `entry` (a path from the root, default mod.ts) or `source` (module
 * text resolved from the root, e.g. `export { iec } from "./mod.ts"`) and
 * returns the code and, per input file, the bytes it put in the output.
 */
export async function bundleWithInputs(
  { entry, source, platform = "browser", minify = true } = {},
) {
  const result = await esbuild.build(
    options({ entry, source, platform, minify }),
  );
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => ({ file, bytes: bytesInOutput }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"));
  return { code: js.text, inputs };
}

/** Bundles like `bundleWithInputs` and returns the code as a string. */
export async function bundle(opts = {}) {
  return (await bundleWithInputs(opts)).code;
}

/** Bundles like `bundle` and writes the code to `outfile`; returns outfile. */
export async function bundleFile(outfile = distFile, opts = {}) {
  mkdirSync(dirname(outfile), { recursive: true });
  const code = await bundle(opts);
  writeFileSync(outfile, code);
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await bundleFile();
  console.log(`wrote ${file}`);
}
