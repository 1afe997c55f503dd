// register.ts, preloaded into a real child program under the runtime running
// the tests: `deno run --preload`, `bun --preload`, `node --import`. The
// child (tests/fixtures/preload_child.ts) allocates, prints its own lines
// and ends with its own code; these tests check the livemem lines on stderr
// and that the child's stdout and exit code are its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildResult, runChild, runtimeName } from "./support/child.ts";
import { runClosingStderr } from "./support/closed_stderr.ts";
import { BUN_LINE } from "./support/mem_line.ts";

const CHILD = "tests/fixtures/preload_child.ts";
const MiB = 2 ** 20;

interface Run {
  /** Deno: grant the env permission (`--allow-env`). */
  allowEnv?: boolean;
  env?: Record<string, string | undefined>;
}

/** Runs the child with register.ts preloaded and `LIVEMEM_*` set as given. */
function preloaded(childArgs: string[], run: Run = {}): Promise<ChildResult> {
  const preload = runtimeName === "deno"
    ? [
      "run",
      ...(run.allowEnv === false ? [] : ["--allow-env"]),
      "--preload",
      "./register.ts",
    ]
    : runtimeName === "bun"
    ? ["--preload", "./register.ts"]
    : ["--import", "./register.ts"];
  return runChild([...preload, CHILD, ...childArgs], {
    // Nothing inherited from the shell running the tests.
    env: { LIVEMEM_INTERVAL: undefined, LIVEMEM_FORMAT: undefined, ...run.env },
  });
}

/** The child's own stdout for `steps` steps: the preload must not touch it. */
function ownStdout(steps: number): string {
  let out = "";
  for (let i = 0; i < steps; i++) out += `child step ${i}\n`;
  return out + `child done: ${steps} buffers\n`;
}

const FIGURE = String.raw`-?[\d,]+\.\d(?:B|KiB|MiB|GiB|TiB)`;
// Deno has no arrayBuffers; Bun reports no heap limit, and its line is its
// own (support/mem_line.ts).
const TEXT = runtimeName === "bun"
  ? String.raw`${BUN_LINE} ; peak=${FIGURE}`
  : String
    .raw`rss=${FIGURE} \(heap=${FIGURE} \(used:${FIGURE} \+ free:${FIGURE}\) ; external=${FIGURE}(?: \(arrayBuffers:${FIGURE}\))? ; other=${FIGURE}\) ; peak=${FIGURE} ; limit=${FIGURE}`;
const TICK = new RegExp(`^livemem: ${TEXT}$`);
const EXIT = new RegExp(`^livemem: exit ${TEXT}$`);

const lines = (text: string): string[] =>
  text === "" ? [] : text.replace(/\n$/, "").split("\n");

test("register: text lines every LIVEMEM_INTERVAL, a last one at exit; stdout and exit code untouched", async () => {
  const r = await preloaded(["5", "code"], {
    env: { LIVEMEM_INTERVAL: "100" },
  });
  assert.equal(r.timedOut, false);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, ownStdout(5));
  const err = lines(r.stderr);
  // The child runs 500 ms or more, at a line every 100 ms.
  assert.ok(err.length >= 3, r.stderr);
  for (const l of err.slice(0, -1)) assert.match(l, TICK);
  assert.match(err.at(-1)!, EXIT);
});

test("register: LIVEMEM_FORMAT=json writes JSON lines with the peak; exit(3) still gets its last line", async () => {
  const r = await preloaded(["5", "exit"], {
    env: { LIVEMEM_INTERVAL: "100", LIVEMEM_FORMAT: "json" },
  });
  assert.equal(r.timedOut, false);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, ownStdout(5));
  const records = lines(r.stderr).map((l) => JSON.parse(l));
  assert.ok(records.length >= 3, r.stderr);
  assert.deepEqual(
    records.map((x) => x.livemem),
    [...records.slice(1).map(() => "tick"), "exit"],
  );
  for (const { time, mem } of records) {
    assert.ok(Number.isSafeInteger(time) && time > 0);
    assert.equal(mem.runtime, runtimeName);
    // Bun: no heap total, and the used part only once a collection ran.
    const keys = runtimeName === "bun"
      ? ["rss", "peakRss"]
      : ["rss", "heapTotal", "heapUsed", "external", "peakRss"];
    for (const k of keys) {
      assert.ok(Number.isSafeInteger(mem[k]), `${k}: ${mem[k]}`);
    }
    assert.equal(mem.heapAsOf, runtimeName === "bun" ? "lastGC" : undefined);
    assert.ok(mem.peakRss >= mem.rss, JSON.stringify(mem));
    assert.equal("heapLimit" in mem, runtimeName !== "bun");
  }
  // The child holds 5 written 8 MiB buffers when it exits.
  const last = records.at(-1).mem;
  assert.ok(last.peakRss >= 40 * MiB, `peak ${last.peakRss}`);
  assert.ok(last.external >= 40 * MiB, `external ${last.external}`);
});

test("register: a bad LIVEMEM_INTERVAL or LIVEMEM_FORMAT is one line each, then the defaults", async () => {
  const r = await preloaded(["0", "code"], {
    env: { LIVEMEM_INTERVAL: "abc", LIVEMEM_FORMAT: "xml" },
  });
  assert.equal(r.timedOut, false);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, ownStdout(0));
  const err = lines(r.stderr);
  assert.equal(
    err[0],
    'livemem: LIVEMEM_INTERVAL must be a whole number of milliseconds from 1 to 2147483647, got "abc"; using 1000',
  );
  assert.equal(
    err[1],
    'livemem: LIVEMEM_FORMAT must be "text" or "json", got "xml"; using text',
  );
  // Then the lines at the default 1 s, if any, and the exit line.
  assert.ok(err.length >= 3, r.stderr);
  for (const l of err.slice(2, -1)) assert.match(l, TICK);
  assert.match(err.at(-1)!, EXIT);
});

test("register: a program that ends at once is not kept alive by the timer", async () => {
  // A referenced timer would keep the child running until the helper's
  // timeout kills it.
  const r = await preloaded(["0", "none"], {
    env: { LIVEMEM_INTERVAL: "100" },
  });
  assert.equal(r.timedOut, false, "the child was kept alive");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, ownStdout(0));
  const err = lines(r.stderr);
  assert.ok(err.length >= 1);
  assert.match(err.at(-1)!, EXIT);
});

test(
  "register: Deno without --allow-env reads no LIVEMEM_* and is never prompted",
  {
    skip: runtimeName === "deno" ? false : "Deno's env permission only",
  },
  async () => {
    const r = await preloaded(["2", "code"], {
      allowEnv: false,
      env: { LIVEMEM_INTERVAL: "abc", LIVEMEM_FORMAT: "json" },
    });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, ownStdout(2));
    // Unread: no error about "abc", text rather than JSON, and no prompt
    // (stdin is closed, so a prompt would fail the child).
    const err = lines(r.stderr);
    assert.ok(err.length >= 1, r.stderr);
    for (const l of err.slice(0, -1)) assert.match(l, TICK);
    assert.match(err.at(-1)!, EXIT);
  },
);

// ------------------------------------------- a closed stderr (issue 10)
// `LIVEMEM_INTERVAL=100 <runtime> <preload> child 2>&1 >/dev/null | head -1`:
// the test closes the child's stderr after its first line. The reporter's
// next writes fail (EPIPE); it must stop quietly and leave the child to run
// to its last statement with its own exit code and stdout.

const STDERR_CHILD = "tests/fixtures/stderr_child.ts";
const STEPS = Array.from({ length: 10 }, (_, i) => `step ${i}\n`).join("");

function execPath(): string {
  const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
  return deno
    ? deno.execPath()
    : (globalThis as unknown as { process: { execPath: string } }).process
      .execPath;
}

function preloadArgs(preload: boolean): string[] {
  if (runtimeName === "deno") {
    return [
      "run",
      "--allow-env",
      ...(preload ? ["--preload", "./register.ts"] : []),
    ];
  }
  if (!preload) return [];
  return runtimeName === "bun"
    ? ["--preload", "./register.ts"]
    : ["--import", "./register.ts"];
}

function closing(mode: string, preload: boolean) {
  return runClosingStderr(
    execPath(),
    [...preloadArgs(preload), STDERR_CHILD, mode],
    { LIVEMEM_INTERVAL: "100", LIVEMEM_FORMAT: undefined },
  );
}

test("register: a stderr closed early stops the reporter; the child runs to its end with its own code and stdout", async () => {
  const r = await closing("quiet", true);
  assert.equal(r.timedOut, false);
  // The reporter wrote the first line, then ~9 more ticks hit the closed pipe.
  assert.match(r.firstLine, TICK);
  assert.equal(r.stdout, STEPS + "done\n", "the child reached its last line");
  assert.equal(r.code, 3, "the child's own exit code");
});

test("register: a program that writes to its own closed stderr ends as it would without the preload", async () => {
  for (const mode of ["own", "handled"]) {
    const [bare, preloaded] = await Promise.all([
      closing(mode, false),
      closing(mode, true),
    ]);
    assert.equal(bare.timedOut || preloaded.timedOut, false, mode);
    const outcome = (r: typeof bare) => ({
      code: r.code,
      done: r.stdout.endsWith("done\n"),
      handled: /^handled /m.test(r.stdout),
    });
    assert.deepEqual(outcome(preloaded), outcome(bare), mode);
    if (mode === "handled") {
      // Its own handler saw its own error, and it ran to its end.
      assert.deepEqual(outcome(bare), { code: 3, done: true, handled: true });
    } else {
      // Unhandled, its own failed write ends it with an error code, with or
      // without livemem (Node and Deno at once; Bun at its end, with 1).
      assert.notEqual(bare.code, 3, bare.stdout);
    }
  }
});
