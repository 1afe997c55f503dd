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
// The runtimes and the peers come from node_modules (`npm ci`). How the cases
// and their ratios are laid out, and how to add one: docs/contributing.md.
//
// Plain JavaScript for Node >= 20: `npm run bench` and `deno task bench` run it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform } from "node:os";
import { join } from "node:path";
import { root, runBench, runtimes } from "./bench_runtimes.mjs";

const OUT = join(root, "BENCHMARKS.md");
const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

const RUNTIMES = runtimes("bench/bench.ts");

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

/** `text` as lines of at most `width` characters, broken at spaces. */
function wrap(text, width = 100, indent = "") {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const cellText = (s) => s.replaceAll("|", "\\|");

/** The groups of all runs, in order, each once (a run may lack some). */
function unionBy(lists, key) {
  const seen = new Map();
  for (const list of lists) {
    for (const x of list) if (!seen.has(key(x))) seen.set(key(x), x);
  }
  return [...seen.values()];
}

/** The ratio `id` of group `name` in one run, as a table cell. */
function ratioCell(run, name, id) {
  const x = run.groups.find((g) => g.name === name)?.ratios
    .find((r) => r.id === id);
  if (!x) return "-";
  const v = `${x.ratio.toFixed(2)}x`;
  return x.budget === undefined ? v : x.within ? `${v} ok` : `**${v} OVER**`;
}

/** The median of case `id` of group `name` in one run, as a table cell. */
function caseCell(run, name, id) {
  const c = run.groups.find((g) => g.name === name)?.cases
    .find((x) => x.id === id);
  return fmtNs(c?.median);
}

function markdown(runs, meta) {
  const ok = runs.filter((r) => !r.error);
  const names = ok.map((r) => r.runtime);
  const L = [];
  L.push(START);
  L.push("## Speed");
  L.push("");
  L.push(...wrap(
    "Written by `scripts/bench.mjs` (`deno task bench` or `npm run bench`), which runs " +
      "`bench/bench.ts` unchanged on each runtime. Do not edit by hand between the markers.",
  ));
  L.push("");
  L.push(`- Date: ${meta.date}`);
  L.push(...wrap(
    `- Machine: ${meta.machine}; load average ${meta.load} at start. ` +
      "The cores are shared with other jobs, so absolute ns/op move by tens of percent between " +
      "runs; every ratio below is measured inside one process, as the median over rounds of the " +
      "per-round ratio, with the cases interleaved round by round.",
    100,
    "  ",
  ));
  const r0 = ok[0];
  if (r0) {
    L.push(...wrap(
      "- Method: in-repo harness (bench/harness.ts): warm-up, calibrated chunks of ~0.3 ms, " +
        `batches of ~${r0.batchMs} ms, ${r0.rounds} rounds (${
          r0.rounds * 3
        } for the cheap ` +
        "phase-1 groups), medians; results folded into a sink.",
      100,
      "  ",
    ));
  }
  L.push("");
  L.push("| runtime | version | run time |");
  L.push("|---|---|---:|");
  for (const r of runs) {
    L.push(
      r.error
        ? `| ${r.runtime} | not run: ${cellText(r.error)} | - |`
        : `| ${r.runtime} | ${r.version} | ${r.seconds.toFixed(0)} s |`,
    );
  }
  L.push("");

  const groups = unionBy(ok.map((r) => r.groups), (g) => g.name);
  const ratioRows = (g, filter) =>
    unionBy(
      ok.map((r) => r.groups.find((x) => x.name === g.name)?.ratios ?? []),
      (x) => x.id,
    ).filter(filter).map((x) =>
      `| ${cellText(x.label)} | ${x.budget ?? "-"} | ${
        ok.map((r) => ratioCell(r, g.name, x.id)).join(" | ")
      } |`
    );
  const ratioHead = [
    `| ratio | budget | ${names.join(" | ")} |`,
    `|---|---|${ok.map(() => "---:").join("|")}|`,
  ];

  L.push("### Budgets");
  L.push("");
  L.push(
    "Every ratio that has a budget, from the groups below (`ok`: within it).",
  );
  L.push("");
  L.push(...ratioHead);
  for (const g of groups) {
    L.push(...ratioRows(g, (x) => x.budget !== undefined));
  }
  L.push("");

  for (const g of groups) {
    L.push(`### ${g.name}: ${g.title}`);
    L.push("");
    L.push(`| case (ns/op, median) | ${names.join(" | ")} |`);
    L.push(`|---|${ok.map(() => "---:").join("|")}|`);
    const cases = unionBy(
      ok.map((r) => r.groups.find((x) => x.name === g.name)?.cases ?? []),
      (c) => c.id,
    );
    for (const c of cases) {
      L.push(
        `| ${cellText(c.label)} | ${
          ok.map((r) => caseCell(r, g.name, c.id)).join(" | ")
        } |`,
      );
    }
    const rows = ratioRows(g, () => true);
    if (rows.length) L.push("", ...ratioHead, ...rows);
    if (g.notes.length) {
      L.push("");
      for (const note of g.notes) L.push(...wrap(`- ${note}`, 100, "  "));
    }
    L.push("");
  }
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
  const runs = [];
  for (const name of opts.runtimes) {
    console.log(`\n== ${name}`);
    runs.push(await runBench(name, RUNTIMES[name], opts.pass));
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
