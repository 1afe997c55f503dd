// The JSR layout: the files `deno publish` would upload, as JSR serves them
// (at their paths in the repository), with the manifest JSR keeps for each
// version (size and sha256 checksum of every file).
//
//   node scripts/build_jsr.mjs DIR   copies the files into DIR and prints the manifest
//
// Other harnesses import `jsrFiles` and `jsrLayout` from here.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the directory holding deno.json). */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The pinned Deno (node_modules/.bin/deno, a real binary or npm's shim). */
export const deno = join(root, "node_modules", ".bin", "deno");

/**
 * The files `deno publish` would upload from `dir`, as paths relative to it
 * with forward slashes, sorted: read from `deno publish --dry-run`, so the
 * include and exclude lists, .gitignore and deno.json are applied by Deno
 * itself.
 */
export function jsrFiles(dir = root) {
  const r = spawnSync(
    deno,
    ["publish", "--dry-run", "--allow-dirty", "--no-check"],
    {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    },
  );
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) {
    throw new Error(`deno publish --dry-run failed:\n${out}${r.error ?? ""}`);
  }
  const files = [...out.matchAll(/^\s+(file:\/\/\S+) \(/gm)].map((m) =>
    relative(dir, fileURLToPath(m[1])).split(sep).join("/")
  );
  if (!files.includes("deno.json")) {
    throw new Error(`no file list in deno publish --dry-run:\n${out}`);
  }
  return files.sort();
}

/** `sha256-<hex>` of `bytes`, the form of JSR's manifest. */
export const checksum = (bytes) =>
  `sha256-${createHash("sha256").update(bytes).digest("hex")}`;

/**
 * The package as JSR would serve it: name, version, exports (from
 * deno.json), the file list and the manifest (keys start with "/"). With
 * `dest`, the files are also copied there at the same paths.
 */
export function jsrLayout({ dir = root, dest } = {}) {
  const config = JSON.parse(readFileSync(join(dir, "deno.json"), "utf8"));
  const files = jsrFiles(dir);
  const manifest = {};
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    manifest[`/${file}`] = { size: bytes.length, checksum: checksum(bytes) };
    if (dest !== undefined) {
      mkdirSync(dirname(join(dest, file)), { recursive: true });
      copyFileSync(join(dir, file), join(dest, file));
    }
  }
  const [scope, name] = config.name.slice(1).split("/");
  return {
    scope,
    name,
    version: config.version,
    exports: config.exports,
    files,
    manifest,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  const layout = jsrLayout({ dest: dest && resolve(dest) });
  console.log(JSON.stringify(layout, null, 2));
}
