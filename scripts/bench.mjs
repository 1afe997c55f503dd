// Runs bench/bench.ts on Deno, Bun and Node (the pinned binaries in
// node_modules/.bin), one after the other, and writes the results into
// BENCHMARKS.md between <!-- bench:start --> and <!-- bench:end -->, leaving
// the rest of the file (such as the "Bundle size" section) as it is.
//
//   node scripts/bench.mjs                      all three runtimes
//   node scripts/bench.mjs --runtimes node,bun  some of them
//   node scripts/bench.mjs --rounds 21          passed on to bench/bench.ts
//   node scripts/bench.mjs --no-write           print only
//
// Plain JavaScript for Node >= 20: `npm run bench` and `deno task bench` run it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const OUT = join(root, "BENCHMARKS.md");
const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

const RUNTIMES = {
  deno: { cmd: bin("deno"), args: ["run", "-A", "bench/bench.ts"] },
  bun: { cmd: bin("bun"), args: ["bench/bench.ts"] },
  node: { cmd: bin("node"), args: ["bench/bench.ts"] },
};

// What bench/bench.ts imports besides the module: the peers it is compared with.
const PEERS = ["pretty-bytes", "filesize", "bytes"];

/** Runs `npm ci` when a runtime or a peer is missing: a fresh clone has none. */
function ensureDependencies(names) {
  const missing = () =>
    names.some((n) => !existsSync(RUNTIMES[n].cmd)) ||
    PEERS.some((p) =>
      !existsSync(join(root, "node_modules", p, "package.json"))
    );
  if (!missing()) return;
  console.log("runtimes or peers missing from node_modules: running npm ci");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  spawnSync(npm, ["ci", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

function parseArgs(argv) {
  const opts = { runtimes: Object.keys(RUNTIMES), write: true, pass: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runtimes") opts.runtimes = argv[++i].split(",");
    else if (a === "--no-write") opts.write = false;
    else if (a === "--rounds" || a === "--batch-ms" || a === "--only") {
      opts.pass.push(a, argv[++i]);
    } else {
      throw new Error(`bench: unknown argument ${a}`);
    }
  }
  for (const r of opts.runtimes) {
    if (!(r in RUNTIMES)) throw new Error(`bench: unknown runtime ${r}`);
  }
  return opts;
}

/** Runs one runtime; echoes its output; resolves to its JSON (last line). */
function runOne(name, pass) {
  const { cmd, args } = RUNTIMES[name];
  if (!existsSync(cmd)) {
    return Promise.resolve({ runtime: name, error: `${cmd} not found` });
  }
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args, ...pass], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let out = "";
    let shown = 0;
    child.stdout.on("data", (d) => {
      out += d;
      // Echo complete lines as they come, except the JSON one.
      const end = out.lastIndexOf("\n") + 1;
      for (const line of out.slice(shown, end).split("\n")) {
        if (line && !line.startsWith("{")) process.stdout.write(line + "\n");
      }
      shown = end;
    });
    child.on("error", (e) => resolve({ runtime: name, error: String(e) }));
    child.on("close", (code) => {
      const last = out.trimEnd().split("\n").pop() ?? "";
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(last));
      } catch (e) {
        resolve({ runtime: name, error: `no results (${e.message})` });
      }
    });
  });
}

const fmtNs = (x) =>
  x === undefined
    ? "-"
    : x >= 1000
    ? Math.round(x).toLocaleString("en-US")
    : x >= 100
    ? x.toFixed(0)
    : x >= 10
    ? x.toFixed(1)
    : x.toFixed(2);

function budgetText(r) {
  return r.budget === 1 ? "< 1 (faster)" : `≤ ${r.budget}`;
}

function markdown(runs, meta) {
  const ok = runs.filter((r) => !r.error);
  const L = [];
  L.push(START);
  L.push("## Speed");
  L.push("");
  L.push(
    `Written by \`scripts/bench.mjs\` (\`deno task bench\` or \`npm run bench\`), which runs ` +
      "`bench/bench.ts` unchanged on each runtime. Do not edit by hand between the markers.",
  );
  L.push("");
  L.push(`- Date: ${meta.date}`);
  L.push(
    `- Machine: ${meta.machine}; load average ${meta.load} at start. ` +
      "The cores are shared with other jobs, so absolute ns/op move by tens of percent between runs; " +
      "every ratio below is measured inside one process, as the median over rounds of the per-round ratio, " +
      "with the cases interleaved round by round.",
  );
  const r0 = ok[0];
  if (r0) {
    L.push(
      `- Method: in-repo harness (bench/harness.ts): warm-up, calibrated chunks of ~0.3 ms, batches of ~${r0.batchMs} ms, ` +
        `${r0.rounds} rounds (${
          r0.rounds * 3
        } for the cheap phase-1 cases), medians; results folded into a sink.`,
    );
  }
  L.push("");
  L.push("| runtime | version | run time |");
  L.push("|---|---|---:|");
  for (const r of runs) {
    L.push(
      r.error
        ? `| ${r.runtime} | not run: ${r.error} | - |`
        : `| ${r.runtime} | ${r.version} | ${r.seconds.toFixed(0)} s |`,
    );
  }
  L.push("");

  const ratioIds = [];
  for (const r of ok) {
    for (const x of r.ratios) {
      if (!ratioIds.some((y) => y.id === x.id)) ratioIds.push(x);
    }
  }
  const cell = (run, id) => {
    const x = run.ratios.find((y) => y.id === id);
    if (!x) return "-";
    const v = `${x.ratio.toFixed(2)}x`;
    return x.within === undefined ? v : x.within ? `${v} ok` : `**${v} OVER**`;
  };
  const head = `| ratio | ${ok.map((r) => r.runtime).join(" | ")} |`;
  const rule = `|---|${ok.map(() => "---:").join("|")}|`;

  L.push("### Budgets (SPEC.md, Performance)");
  L.push("");
  L.push(`| ratio | budget | ${ok.map((r) => r.runtime).join(" | ")} |`);
  L.push(`|---|---|${ok.map(() => "---:").join("|")}|`);
  for (const x of ratioIds.filter((y) => y.budget !== undefined)) {
    L.push(
      `| ${x.label} | ${budgetText(x)} | ${
        ok.map((r) => cell(r, x.id)).join(" | ")
      } |`,
    );
  }
  L.push("");
  L.push("### Other ratios (no budget)");
  L.push("");
  L.push(head);
  L.push(rule);
  for (const x of ratioIds.filter((y) => y.budget === undefined)) {
    L.push(`| ${x.label} | ${ok.map((r) => cell(r, x.id)).join(" | ")} |`);
  }
  L.push("");
  L.push("### ns/op (medians)");
  L.push("");
  L.push(`| group | case | ${ok.map((r) => r.runtime).join(" | ")} |`);
  L.push(`|---|---|${ok.map(() => "---:").join("|")}|`);
  const caseIds = [];
  for (const r of ok) {
    for (const c of r.results) {
      if (!caseIds.some((y) => y.id === c.id)) caseIds.push(c);
    }
  }
  for (const c of caseIds) {
    const cells = ok.map((r) =>
      fmtNs(r.results.find((y) => y.id === c.id)?.median)
    );
    L.push(
      `| ${c.group} | ${c.label.replaceAll("|", "\\|")} | ${
        cells.join(" | ")
      } |`,
    );
  }
  L.push("");
  L.push("Notes:");
  L.push("");
  L.push(
    "- Units cases format the same 100,000 byte counts (seeded, log-uniform from 1 B to 16 TiB), " +
      "every case a whole number of passes; peers are called as documented: " +
      "`prettyBytes(x, { binary: true })`, `filesize(x, { base: 2 })`, `bytes(x)`. " +
      "The floor is `(x / 1024 ** k).toFixed(1) + unit` with k from a loop.",
  );
  L.push(
    "- `@std/fmt/bytes` is not compared: it is published on JSR only, which these machines cannot reach, " +
      "and the npm registry has no copy (`npm view @std/fmt` and `npm view @jsr/std__fmt` both answer 404).",
  );
  L.push(
    "- The minimal cached object reads a `performance` captured once: on Node the global " +
      "`performance` is a getter that costs ~25 ns a read, which would flatter the ratio.",
  );
  L.push(
    "- Phase 1 (cached reads, log lines) runs before any `LiveMemUse` with interval 0 is read; " +
      '"after interval 0 ran" repeats the cached read in phase 2, when the JIT has seen a ' +
      "re-sampling instance share the same `toString()`.",
  );
  L.push(
    "- The bare call is `Deno.memoryUsage()` on Deno and `process.memoryUsage()` on Bun and Node.",
  );
  L.push(
    '- "refresh-parts" cases are diagnostics: what one refresh spends in the sampler, ' +
      "`process.resourceUsage()` (the peak rss), `breakdown()` and the text.",
  );
  L.push(END);
  return L.join("\n");
}

function writeSection(section, start = START, end = END) {
  let text = existsSync(OUT) ? readFileSync(OUT, "utf8") : "# Benchmarks\n";
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) {
    text = text.slice(0, a) + section + text.slice(b + end.length);
  } else {
    text = text.trimEnd() + "\n\n" + section + "\n";
  }
  writeFileSync(OUT, text);
}

const SIZE_START = "<!-- size:start -->";
const SIZE_END = "<!-- size:end -->";

// The bundle sizes of scripts/size.mjs, which exits 1 when a budget is missed:
// the table is written either way.
function sizeSection() {
  const size = spawnSync(
    process.execPath,
    [join(root, "scripts", "size.mjs"), "--markdown"],
    { encoding: "utf8" },
  );
  const table = size.stdout.split("\n").filter((l) => l.startsWith("|"));
  return [
    SIZE_START,
    "## Bundle size",
    "",
    "Written by `scripts/size.mjs --markdown` (esbuild, ESM for the browser, minified; gzip -9).",
    "",
    ...table,
    SIZE_END,
  ].join("\n");
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const c = cpus();
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${platform()} ${arch()}, ${c.length} cores (${
      c[0]?.model.trim() ?? "unknown CPU"
    })`,
    load: loadavg().map((x) => x.toFixed(2)).join(" "),
  };
  ensureDependencies(opts.runtimes);
  const runs = [];
  for (const name of opts.runtimes) {
    console.log(`\n== ${name}`);
    runs.push(await runOne(name, opts.pass));
  }
  const section = markdown(runs, meta);
  if (opts.write) {
    writeSection(section);
    writeSection(sizeSection(), SIZE_START, SIZE_END);
    console.log(`\nwrote ${OUT}`);
  } else {
    console.log("\n" + section);
  }
  const failed = runs.filter((r) => r.error);
  for (const r of failed) console.error(`bench: ${r.runtime}: ${r.error}`);
  process.exitCode = failed.length ? 1 : 0;
}

await main();
