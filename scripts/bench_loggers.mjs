// Runs bench/loggers.ts (the field's cost inside pino, winston, LogTape and
// the console) on Deno, Bun and Node, each one or more times, with stdout to
// /dev/null (the console cases write there), and writes the ratios into
// BENCHMARKS.md and docs/loggers.md between <!-- loggers:start --> and
// <!-- loggers:end -->, leaving the rest of both files as it is.
//
//   node scripts/bench_loggers.mjs                   three runtimes, twice each
//   node scripts/bench_loggers.mjs --repeat 3        three runs of each
//   node scripts/bench_loggers.mjs --runtimes node   some runtimes
//   node scripts/bench_loggers.mjs --rounds 21       passed on (also --batch-ms, --only, --wall)
//   node scripts/bench_loggers.mjs --no-write        print only
//   node scripts/bench_loggers.mjs --save runs.json  also keep the raw results
//   node scripts/bench_loggers.mjs --load runs.json  write the tables from kept results, no run
//
// Plain JavaScript for Node >= 20.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform } from "node:os";
import { join } from "node:path";
import { NODE24, root, runBench, runtimes } from "./bench_runtimes.mjs";

const modules = join(root, "node_modules");
const START = "<!-- loggers:start -->";
const END = "<!-- loggers:end -->";
const OUTPUTS = [join(root, "BENCHMARKS.md"), join(root, "docs", "loggers.md")];

// Node 24 from the npm registry where it is installed (linux x64), else the
// Node running this script.
const RUNTIMES = runtimes(
  "bench/loggers.ts",
  existsSync(NODE24) ? NODE24 : process.execPath,
);

function parseArgs(argv) {
  const opts = {
    runtimes: Object.keys(RUNTIMES),
    repeat: 2,
    write: true,
    pass: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runtimes") opts.runtimes = argv[++i].split(",");
    else if (a === "--repeat") opts.repeat = Number(argv[++i]);
    else if (a === "--no-write") opts.write = false;
    else if (a === "--wall") opts.pass.push(a);
    else if (a === "--save") opts.save = argv[++i];
    else if (a === "--load") opts.load = argv[++i];
    else if (a === "--rounds" || a === "--batch-ms" || a === "--only") {
      opts.pass.push(a, argv[++i]);
    } else {
      throw new Error(`bench_loggers: unknown argument ${a}`);
    }
  }
  for (const r of opts.runtimes) {
    if (!(r in RUNTIMES)) {
      throw new Error(`bench_loggers: unknown runtime ${r}`);
    }
  }
  if (!(Number.isInteger(opts.repeat) && opts.repeat >= 1)) {
    throw new Error(`bench_loggers: --repeat must be a whole number >= 1`);
  }
  return opts;
}

const fmtNs = (x) =>
  x === undefined ? "-" : Math.round(x).toLocaleString("en-US");

/** `0.98x / 1.01x`: one figure per run of that runtime. */
function cells(runs, pick) {
  const xs = runs.map(pick);
  return xs.every((x) => x === undefined)
    ? "-"
    : xs.map((x) => x ?? "-").join(" / ");
}

/** Wraps a paragraph or a list item to lines of at most 100 characters. */
function wrap(text, indent = "") {
  const out = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > 100) {
      out.push(line);
      line = indent + word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  out.push(line);
  return out;
}

function markdown(byRuntime, meta, withNs) {
  const names = Object.keys(byRuntime);
  const ok = Object.fromEntries(
    names.map((n) => [n, byRuntime[n].filter((r) => !r.error)]),
  );
  const L = [START, "## The field inside loggers", ""];
  const item = (text) => L.push(...wrap(`- ${text}`, "  "));
  L.push(...wrap(
    "Written by `scripts/bench_loggers.mjs`, which runs `bench/loggers.ts` on each runtime " +
      `${meta.repeat} time(s), stdout to /dev/null; each cell gives every run, in order. ` +
      "Do not edit by hand between the markers.",
  ));
  L.push("");
  item(
    `Date: ${meta.date}; machine: ${meta.machine}; load average ${meta.load} at start.`,
  );
  item(
    "Each ratio is measured in one process: the median over rounds of the per-round ratio, " +
      `cases interleaved round by round (${
        meta.rounds ?? "?"
      } rounds; twice as many for winston ` +
      `and LogTape, whose major GCs make single batches slow), every batch of ~${
        meta.batchMs ?? "?"
      } ms ` +
      "ending with a yield to the event loop, inside the timing. " +
      (meta.clock === "wall"
        ? "Batches are timed by the wall clock."
        : "Batches are timed by the process's CPU time (user + system, helper threads included), " +
          "which waiting for a core on a busy machine does not inflate as it inflates wall time."),
  );
  item(
    "Each case has its own copy of its logger's modules and of its loop (so the JIT specializes each " +
      `for its one configuration), warmed up for ${meta.warmupMs ?? "?"} ms.`,
  );
  item(
    "Every logger writes real lines to /dev/null: pino through `pino.destination({ sync: true })`, " +
      "winston through a Stream transport and LogTape through a sink that `writeSync` each line, " +
      "the console to the process's stdout.",
  );
  item(
    "A floor is the same logger writing the same bytes with no work per line: " +
      "a constant string of the field's length spliced in (pino, winston, LogTape) or printed (console).",
  );
  L.push("");
  L.push("| runtime | version |");
  L.push("|---|---|");
  for (const n of names) {
    const v = ok[n][0]?.version ?? `not run: ${byRuntime[n][0]?.error}`;
    L.push(`| ${n} | ${v} |`);
  }
  L.push("");
  const ratioIds = [];
  for (const n of names) {
    for (const run of ok[n]) {
      for (const x of run.ratios) {
        if (!ratioIds.some((y) => y.id === x.id)) ratioIds.push(x);
      }
    }
  }
  const ratioCell = (n, id) =>
    cells(ok[n], (run) => {
      const x = run.ratios.find((y) => y.id === id);
      if (!x) return undefined;
      const v = `${x.ratio.toFixed(2)}x`;
      return x.within === false ? `**${v}**` : v;
    });
  const limit = (x) =>
    x.budget !== undefined
      ? `≤ ${x.budget}`
      : x.aim !== undefined
      ? `aim ≤ ${x.aim}`
      : "";
  L.push(`| ratio | limit | ${names.join(" | ")} |`);
  L.push(`|---|---|${names.map(() => "---:").join("|")}|`);
  for (const x of ratioIds) {
    L.push(
      `| ${x.label.replaceAll("|", "\\|")} | ${limit(x)} | ${
        names.map((n) => ratioCell(n, x.id)).join(" | ")
      } |`,
    );
  }
  if (withNs) {
    L.push("");
    L.push(
      ...wrap(
        "ns per line (medians; absolute figures move with the machine's load, the ratios above do not):",
      ),
    );
    L.push("");
    L.push(`| case | ${names.join(" | ")} |`);
    L.push(`|---|${names.map(() => "---:").join("|")}|`);
    const caseIds = [];
    for (const n of names) {
      for (const run of ok[n]) {
        for (const c of run.results) {
          if (!caseIds.some((y) => y.id === c.id)) caseIds.push(c);
        }
      }
    }
    for (const c of caseIds) {
      L.push(
        `| ${c.group}: ${c.label.replaceAll("|", "\\|")} | ${
          names.map((n) =>
            cells(ok[n], (run) => {
              const r = run.results.find((y) => y.id === c.id);
              return r && fmtNs(r.median);
            })
          ).join(" | ")
        } |`,
      );
    }
  } else {
    L.push("");
    L.push(
      "The ns per line of each case are in BENCHMARKS.md, in the same section.",
    );
  }
  L.push(END);
  return L.join("\n");
}

function writeSection(file, section) {
  let text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) {
    text = text.slice(0, a) + section + text.slice(b + END.length);
  } else {
    text = text.trimEnd() + "\n\n" + section + "\n";
  }
  writeFileSync(file, text);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const c = cpus();
  let meta = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${platform()} ${arch()}, ${c.length} cores (${
      c[0]?.model.trim() ?? "unknown CPU"
    })`,
    load: loadavg().map((x) => x.toFixed(2)).join(" "),
    repeat: opts.repeat,
  };
  let byRuntime = Object.fromEntries(opts.runtimes.map((n) => [n, []]));
  if (opts.load) {
    // The date, machine and load of the run that made them.
    const kept = JSON.parse(readFileSync(opts.load, "utf8"));
    byRuntime = kept.byRuntime;
    meta = kept.meta;
  } else {
    // Runtimes alternate, so a busy spell on the machine hits each once.
    for (let i = 0; i < opts.repeat; i++) {
      for (const name of opts.runtimes) {
        console.log(`\n== ${name}, run ${i + 1} of ${opts.repeat}`);
        byRuntime[name].push(
          await runBench(name, RUNTIMES[name], opts.pass, "stderr"),
        );
      }
    }
  }
  if (opts.save) writeFileSync(opts.save, JSON.stringify({ meta, byRuntime }));
  const first = Object.values(byRuntime).flat().find((r) => !r.error);
  meta.batchMs = first?.batchMs;
  meta.rounds = first?.rounds;
  meta.clock = first?.clock;
  meta.warmupMs = first?.warmupMs;
  // BENCHMARKS.md also gets the ns/line table; docs/ (lines <= 120) only the ratios.
  const section = markdown(byRuntime, meta, true);
  if (opts.write) {
    writeSection(OUTPUTS[0], section);
    writeSection(OUTPUTS[1], markdown(byRuntime, meta, false));
    // docs/ is under deno fmt (BENCHMARKS.md is not): keep it formatted.
    spawnSync(join(modules, ".bin", "deno"), ["fmt", "--quiet", OUTPUTS[1]], {
      cwd: root,
      stdio: "inherit",
    });
    console.log(`\nwrote ${OUTPUTS.join(", ")}`);
  } else {
    console.log("\n" + section);
  }
  const failed = Object.values(byRuntime).flat().filter((r) => r.error);
  for (const r of failed) {
    console.error(`bench_loggers: ${r.runtime}: ${r.error}`);
  }
  process.exitCode = failed.length ? 1 : 0;
}

await main();
