// Bundle sizes as consumers get them: from the packed npm tarball and from
// the JSR layout (the .ts files `deno publish` uploads), each bundled with
// esbuild and with rollup (+ terser), minified, gzip -9, and the budgets
// checked on every combination.
//
//   node scripts/size.mjs            a text table
//   node scripts/size.mjs --check    the same; exit 1 when a budget is missed
//   node scripts/size.mjs --json     the figures as JSON (exit code as --check)
//   node scripts/size.mjs --markdown a markdown table (for BENCHMARKS.md)
//   node scripts/size.mjs --files    also the minified bytes per file (JSR, esbuild)
//
// Tree shaking must not depend on package.json's `sideEffects`: JSR ships no
// package.json, and a bundler may ignore the field. So the npm package is
// measured twice, as shipped and with the field removed; the budgets hold
// for both. Budgets are decimal: 3 KB is 3,000 bytes.
//
// Plain JavaScript for Node >= 20; needs npm, tar and the pinned Deno (for
// the JSR file list), esbuild, rollup and @rollup/plugin-terser.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { jsrLayout, root } from "./build_jsr.mjs";

// Loaded through require, like esbuild in scripts/bundle.mjs.
const require = createRequire(import.meta.url);
const esbuild = require("esbuild");
const rollup = require("rollup");
const terser = require("@rollup/plugin-terser");

/**
 * What is measured: the module a consumer would write, given the specifier
 * of the entry (`entry`, default ".") in the layout at hand.
 */
export const cases = [
  {
    name: "whole module",
    source: (p) => `export * from "${p}";`,
    budget: 14_000,
  },
  {
    name: "LiveMemUse alone",
    source: (p) => `export { LiveMemUse } from "${p}";`,
    budget: 3_000,
  },
  {
    name: "iec alone",
    source: (p) => `export { iec } from "${p}";`,
    noSampler: true,
  },
  {
    name: "sprintf alone",
    source: (p) => `export { sprintf } from "${p}";`,
    budget: 10_000,
  },
  {
    name: "register entry",
    entry: "./register",
    source: (p) => `import "${p}";`,
    reporter: true,
  },
  {
    // No budget in SPEC: measured so its cost is known and visible.
    name: "LiveMemWatch alone",
    entry: "./watch",
    source: (p) => `export { LiveMemWatch } from "${p}";`,
    note: "no budget",
  },
];

/** Property names only sampling code reads; minifiers keep them. */
export const samplerMarkers = [
  "memoryUsage",
  "resourceUsage",
  "getHeapStatistics",
  "usedJSHeapSize",
  "jsHeapSizeLimit",
];

/** Strings only the preload reporter has. */
export const reporterMarkers = ["livemem.register", "LIVEMEM_INTERVAL"];

/** Size of `code` in bytes: minified as given, and gzipped at level 9. */
export function sizes(code) {
  const raw = Buffer.byteLength(code);
  const gz = gzipSync(Buffer.from(code), { level: 9 }).length;
  return { raw, gz };
}

/** The markers of `list` (default: the sampler's) that occur in `code`. */
export function markersIn(code, list = samplerMarkers) {
  return list.filter((m) => code.includes(m));
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}${
        r.error ?? ""
      }`,
    );
  }
  return r.stdout;
}

/**
 * `npm pack` of a copy of the package (the JSR file list, package.json and
 * the build script), so the repository's own dist/ is left alone; the
 * prepack script builds it. Returns the tarball's path.
 */
export function packCopy(dest, files = jsrLayout().files) {
  // The JSR list holds every module the entries import (deno publish
  // refuses otherwise), so tsc finds them all in the copy.
  const stage = join(dest, "stage");
  for (
    const file of [...files, "package.json", "scripts/build.mjs"]
  ) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    cpSync(join(root, file), join(stage, file));
  }
  symlinkSync(join(root, "node_modules"), join(stage, "node_modules"), "dir");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const out = run(npm, ["pack", "--pack-destination", dest, "--silent"], stage);
  return join(dest, out.trim().split("\n").at(-1));
}

/** Unpacks `tarball` as node_modules/livemem of a new project in `dir`. */
export function installTarball(tarball, dir, { dropSideEffects = false } = {}) {
  const pkgDir = join(dir, "node_modules", "livemem");
  mkdirSync(pkgDir, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", pkgDir, "--strip-components=1"], dir);
  if (dropSideEffects) {
    const file = join(pkgDir, "package.json");
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    delete pkg.sideEffects;
    writeFileSync(file, JSON.stringify(pkg, null, 2));
  }
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  return pkgDir;
}

// ------------------------------------------------------------------ bundlers

async function withEsbuild(source, resolveDir) {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    external: ["node:*"],
    logLevel: "silent",
    metafile: true,
    write: false,
    outdir: "out",
  });
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => ({ file, bytes: bytesInOutput }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { code: result.outputFiles[0].text, inputs };
}

// Whether a file of a package has side effects by its package.json, the
// way @rollup/plugin-node-resolve reads the field (only literal paths here).
function sideEffectsOf(pkgDir, file) {
  const field = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"))
    .sideEffects;
  if (field === undefined || field === true) return null; // rollup's default
  if (field === false) return false;
  const rel = `./${relative(pkgDir, file).split(sep).join("/")}`;
  return field.includes(rel);
}

/**
 * A minimal stand-in for @rollup/plugin-node-resolve (not a dev dependency):
 * resolves `livemem` and `livemem/<entry>` through the package's `exports`
 * and passes the `sideEffects` field on to rollup, as that plugin does.
 */
function packageResolver(projectDir) {
  const pkgDir = join(projectDir, "node_modules", "livemem");
  const inside = (file) => !relative(pkgDir, file).startsWith("..");
  return {
    name: "livemem-resolve",
    resolveId(source, importer) {
      let file;
      if (source === "livemem" || source.startsWith("livemem/")) {
        const pkg = JSON.parse(
          readFileSync(join(pkgDir, "package.json"), "utf8"),
        );
        const key = source === "livemem" ? "." : `./${source.slice(8)}`;
        const target = pkg.exports[key];
        if (target === undefined) return null;
        file = join(
          pkgDir,
          typeof target === "string" ? target : target.default,
        );
      } else if (importer !== undefined && source.startsWith(".")) {
        file = resolve(dirname(importer), source);
      } else return null;
      return inside(file)
        ? { id: file, moduleSideEffects: sideEffectsOf(pkgDir, file) }
        : file;
    },
  };
}

// Turns the JSR layout's .ts files into JavaScript one file at a time (what
// a TypeScript plugin for rollup does), keeping `/* @__PURE__ */` notes.
const typescriptByEsbuild = {
  name: "esbuild-transform",
  async transform(code, id) {
    if (!id.endsWith(".ts")) return null;
    const out = await esbuild.transform(code, {
      loader: "ts",
      format: "esm",
      target: "es2022",
      sourcefile: id,
    });
    return { code: out.code, map: null };
  },
};

async function withRollup(source, resolveDir, plugins, cache) {
  const entry = "\0livemem-size-entry";
  const bundle = await rollup.rollup({
    input: entry,
    cache, // the previous build of the same layout: parsed files are reused

    onLog: () => {},
    external: (id) => id.startsWith("node:"),
    plugins: [
      {
        name: "entry",
        resolveId: (id) => (id === entry ? id : null),
        load: (id) => (id === entry ? source : null),
      },
      ...plugins,
      {
        name: "relative-to-entry",
        resolveId(id, importer) {
          return importer === entry && id.startsWith(".")
            ? resolve(resolveDir, id)
            : null;
        },
      },
    ],
  });
  try {
    const { output } = await bundle.generate({
      format: "es",
      plugins: [terser()],
    });
    return { code: output[0].code, inputs: [], cache: bundle.cache };
  } finally {
    await bundle.close();
  }
}

// ------------------------------------------------------------------ measuring

const npmSpec = (entry) =>
  entry === "." ? "livemem" : `livemem/${entry.slice(2)}`;

/** The layouts measured, each with its import path and both bundlers. */
function layouts(tmp, tarball, jsr) {
  const shipped = join(tmp, "npm");
  const bare = join(tmp, "npm-no-side-effects");
  installTarball(tarball, shipped);
  installTarball(tarball, bare, { dropSideEffects: true });
  const jsrDir = join(tmp, "jsr");
  for (const file of jsr.files) {
    mkdirSync(dirname(join(jsrDir, "pkg", file)), { recursive: true });
    cpSync(join(root, file), join(jsrDir, "pkg", file));
  }
  return [
    {
      name: "npm",
      dir: shipped,
      spec: npmSpec,
      rollup: [packageResolver(shipped)],
    },
    {
      name: "npm, no sideEffects",
      dir: bare,
      spec: npmSpec,
      rollup: [packageResolver(bare)],
    },
    {
      name: "jsr",
      dir: jsrDir,
      // JSR entries are the files deno.json exports, as JSR serves them.
      spec: (entry) => `./pkg/${jsr.exports[entry].slice(2)}`,
      rollup: [typescriptByEsbuild],
    },
  ];
}

async function measureAll() {
  const tmp = mkdtempSync(join(tmpdir(), "livemem-size-"));
  try {
    const jsr = jsrLayout();
    const packed = packCopy(tmp, jsr.files);
    const tar = {
      file: packed.split(sep).at(-1),
      bytes: statSync(packed).size,
    };
    const rows = [];
    for (const layout of layouts(tmp, packed, jsr)) {
      let cache;
      for (const bundler of ["esbuild", "rollup"]) {
        for (const c of cases) {
          const source = c.source(layout.spec(c.entry ?? "."));
          const { code, inputs, ...rest } = bundler === "esbuild"
            ? await withEsbuild(source, layout.dir)
            : await withRollup(source, layout.dir, layout.rollup, cache);
          cache = rest.cache;
          rows.push({
            case: c.name,
            layout: layout.name,
            bundler,
            ...sizes(code),
            budget: c.budget,
            sampler: markersIn(code),
            reporter: markersIn(code, reporterMarkers),
            inputs: inputs.map((i) => ({
              file: relative(layout.dir, i.file.replace(/^[^/]*:/, "")),
              bytes: i.bytes,
            })),
          });
        }
      }
    }
    return { tarball: tar, rows };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** What is wrong in `rows`: budgets missed, code pulled in or dropped. */
export function problems(rows) {
  const out = [];
  const where = (r) => `${r.case} (${r.layout}, ${r.bundler})`;
  for (const r of rows) {
    const c = cases.find((x) => x.name === r.case);
    if (c.budget !== undefined && r.gz > c.budget) {
      out.push(`${where(r)}: ${num(r.gz)} B gzipped, over ${num(c.budget)} B`);
    }
    if (c.noSampler && r.sampler.length) {
      out.push(`${where(r)} pulls in sampler code: ${r.sampler.join(", ")}`);
    }
    if (c.reporter && r.reporter.length !== reporterMarkers.length) {
      out.push(`${where(r)} dropped the reporter (${r.raw} B)`);
    }
    if (r.case === "whole module" && r.sampler.length === 0) {
      out.push(`${where(r)}: no sampler marker at all, the markers are stale`);
    }
  }
  return out;
}

// ------------------------------------------------------------------ output

const num = (n) => n.toLocaleString("en-US");

// What is wrong with one row, in a word or two ("" when nothing is).
function verdict(c, r) {
  if (c.noSampler && r.sampler.length) return "sampler code";
  if (c.reporter && r.reporter.length !== reporterMarkers.length) {
    return "reporter dropped";
  }
  return c.budget !== undefined && r.gz > c.budget ? "over" : "";
}
const columns = (rows) => [
  ...new Set(rows.map((r) => `${r.layout}|${r.bundler}`)),
];

function textTable({ tarball, rows }) {
  const cols = columns(rows);
  const head = [
    "gzip -9 bytes",
    ...cols.map((c) => c.replace("|", " / ")),
    "budget",
  ];
  const body = cases.map((c) => [
    c.name,
    ...cols.map((col) => {
      const r = rows.find((x) =>
        x.case === c.name && `${x.layout}|${x.bundler}` === col
      );
      const flag = verdict(c, r);
      return `${num(r.gz)}${flag && ` ${flag.toUpperCase()}`}`;
    }),
    c.budget !== undefined
      ? num(c.budget)
      : c.note ?? (c.noSampler ? "no sampler code" : "keeps the reporter"),
  ]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((l) => l[i].length)));
  const table = all.map((l) =>
    l.map((cell, i) =>
      i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])
    )
      .join("  ").trimEnd()
  ).join("\n");
  return `${table}\n\nnpm tarball ${tarball.file}: ${num(tarball.bytes)} B`;
}

function markdownTable({ tarball, rows }) {
  const cols = columns(rows);
  const lines = [
    `| gzip -9 | ${
      cols.map((c) => c.replace("|", ", ")).join(" | ")
    } | budget |`,
    `|---|${cols.map(() => "---:").join("|")}|---|`,
  ];
  for (const c of cases) {
    const cells = cols.map((col) => {
      const r = rows.find((x) =>
        x.case === c.name && `${x.layout}|${x.bundler}` === col
      );
      const flag = verdict(c, r);
      return `${num(r.gz)} B${flag && ` (${flag})`}`;
    });
    const budget = c.budget !== undefined
      ? `${num(c.budget)} B`
      : c.note ?? (c.noSampler ? "no sampler code" : "keeps the reporter");
    lines.push(`| ${c.name} | ${cells.join(" | ")} | ${budget} |`);
  }
  lines.push(`| npm tarball | ${num(tarball.bytes)} B |`);
  return lines.join("\n");
}

function filesTable(rows) {
  return rows.filter((r) => r.layout === "jsr" && r.bundler === "esbuild")
    .map((r) =>
      `${r.case}: minified bytes per file (jsr, esbuild)\n` +
      r.inputs.map((i) => `  ${num(i.bytes).padStart(7)}  ${i.file}`).join("\n")
    ).join("\n");
}

async function main(argv) {
  const result = await measureAll();
  const bad = problems(result.rows);
  if (argv.includes("--json")) {
    console.log(JSON.stringify({ ...result, problems: bad }, null, 2));
  } else {
    console.log(
      argv.includes("--markdown") ? markdownTable(result) : textTable(result),
    );
    if (argv.includes("--files")) console.log(`\n${filesTable(result.rows)}`);
  }
  for (const p of bad) console.error(`size: ${p}`);
  process.exitCode = bad.length ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await main(process.argv.slice(2));
  } catch (e) {
    console.error(`size: ${e.stack ?? e}`);
    process.exitCode = 2;
  }
}
