// lib/reporter.ts with injected host facilities: options and environment,
// the lines, the peak so far, stop(), and that nothing it does can throw
// into the program. hostHooks() (lib/host.ts) is tests/host.test.ts. The real
// preload, in real child processes, is tests/register.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ReporterHost } from "../lib/host.ts";
import { type ReporterOptions, startReporter } from "../lib/reporter.ts";
import type { MemorySample, Sampler } from "../lib/samplers.ts";

const MiB = 2 ** 20;

/** A host whose timer and exit are driven by hand. */
function fakeHost(vars: Record<string, string> = {}) {
  const host = {
    lines: [] as string[],
    timers: [] as { fn: () => void; ms: number; stopped: boolean }[],
    exits: [] as { fn: () => void; removed: boolean }[],
    write(text: string) {
      host.lines.push(text);
    },
    env: (name: string): string | undefined => vars[name],
    every(fn: () => void, ms: number) {
      const timer = { fn, ms, stopped: false };
      host.timers.push(timer);
      return () => void (timer.stopped = true);
    },
    onExit(fn: () => void) {
      const hook = { fn, removed: false };
      host.exits.push(hook);
      return () => void (hook.removed = true);
    },
    tick() {
      for (const t of host.timers) if (!t.stopped) t.fn();
    },
    exit() {
      for (const h of host.exits) if (!h.removed) h.fn();
    },
  };
  return host;
}

/** A sampler whose rss is set by the test. */
function sampler(
  fields: Partial<MemorySample> = {},
): Sampler & { rss: number } {
  const s = {
    runtime: "node" as const,
    rss: 64 * MiB,
    sample: (): MemorySample => ({
      runtime: "node",
      rss: s.rss,
      heapTotal: 16 * MiB,
      heapUsed: 8 * MiB,
      external: 8 * MiB,
      ...fields,
    }),
  };
  return s;
}

const WHOLE = (rss: string, other: string) =>
  `rss=${rss} (heap=16.0MiB (used:8.0MiB + free:8.0MiB) ; external=8.0MiB ; other=${other})`;

test("reporter: a line a tick with the peak so far, a last line at exit, then nothing", () => {
  const host = fakeHost();
  const s = sampler();
  const r = startReporter({ ...host, sampler: s });
  assert.equal(r.interval, 1000);
  assert.equal(r.format, "text");
  assert.equal(host.timers[0].ms, 1000);
  host.tick();
  s.rss = 96 * MiB;
  host.tick();
  s.rss = 48 * MiB;
  host.exit();
  host.tick(); // stopped at exit
  assert.deepEqual(host.lines, [
    `livemem: ${WHOLE("64.0MiB", "40.0MiB")} ; peak=64.0MiB\n`,
    `livemem: ${WHOLE("96.0MiB", "72.0MiB")} ; peak=96.0MiB\n`,
    `livemem: exit ${WHOLE("48.0MiB", "24.0MiB")} ; peak=96.0MiB\n`,
  ]);
  assert.equal(host.timers[0].stopped, true);
  assert.equal(host.exits[0].removed, true);
});

test("reporter: the runtime's peak and heap limit are shown when known", () => {
  const host = fakeHost();
  startReporter({
    ...host,
    sampler: sampler({ peakRss: 128 * MiB, heapLimit: 4096 * MiB }),
  });
  host.tick();
  assert.deepEqual(host.lines, [
    `livemem: ${WHOLE("64.0MiB", "40.0MiB")} ; peak=128.0MiB ; limit=4.0GiB\n`,
  ]);
});

test("reporter: JSON lines, one object a line, with time and kind", () => {
  const host = fakeHost({ LIVEMEM_FORMAT: "json" });
  let now = 1_800_000_000_000;
  const r = startReporter({ ...host, sampler: sampler(), now: () => now++ });
  assert.equal(r.format, "json");
  host.tick();
  host.exit();
  const [tick, exit] = host.lines.map((l) => {
    assert.ok(l.endsWith("}\n") && !l.slice(0, -1).includes("\n"));
    return JSON.parse(l);
  });
  assert.deepEqual(tick, {
    time: 1_800_000_000_000,
    livemem: "tick",
    mem: {
      runtime: "node",
      rss: 64 * MiB,
      heapTotal: 16 * MiB,
      heapUsed: 8 * MiB,
      heapFree: 8 * MiB,
      external: 8 * MiB,
      other: 40 * MiB,
      peakRss: 64 * MiB,
    },
  });
  assert.equal(exit.livemem, "exit");
  assert.equal(exit.time, 1_800_000_000_001);
});

test("reporter: the environment fills in what the options leave out", () => {
  const env = { LIVEMEM_INTERVAL: " 250 ", LIVEMEM_FORMAT: "JSON" };
  const fromEnv = startReporter({ ...fakeHost(env), sampler: sampler() });
  assert.deepEqual([fromEnv.interval, fromEnv.format], [250, "json"]);
  const given = startReporter({
    ...fakeHost(env),
    sampler: sampler(),
    interval: 5000,
    format: "text",
  });
  assert.deepEqual([given.interval, given.format], [5000, "text"]);
  // Empty means unset.
  const empty = startReporter({
    ...fakeHost({ LIVEMEM_INTERVAL: "", LIVEMEM_FORMAT: " " }),
    sampler: sampler(),
  });
  assert.deepEqual([empty.interval, empty.format], [1000, "text"]);
});

test("reporter: a bad LIVEMEM_INTERVAL is one line on stderr and the default", () => {
  for (
    const bad of ["abc", "0", "-5", "1.5", "1e3", "0x10", "2147483648", "10ms"]
  ) {
    const host = fakeHost({ LIVEMEM_INTERVAL: bad });
    const r = startReporter({ ...host, sampler: sampler() });
    assert.equal(r.interval, 1000);
    assert.deepEqual(host.lines, [
      `livemem: LIVEMEM_INTERVAL must be a whole number of milliseconds from 1 to 2147483647, got ${
        JSON.stringify(bad)
      }; using 1000\n`,
    ]);
  }
  const host = fakeHost({ LIVEMEM_FORMAT: "yaml" });
  assert.equal(startReporter({ ...host, sampler: sampler() }).format, "text");
  assert.deepEqual(host.lines, [
    'livemem: LIVEMEM_FORMAT must be "text" or "json", got "yaml"; using text\n',
  ]);
});

test("reporter: bad options throw, naming the option and the value", () => {
  const host = fakeHost();
  const cases: [ReporterOptions, RegExp][] = [
    [
      { interval: 0 },
      /^RangeError: startReporter: option "interval" must be a whole number .*, got 0$/,
    ],
    [
      { interval: 1.5 },
      /^RangeError: startReporter: option "interval" .*, got 1\.5$/,
    ],
    [
      { interval: 2 ** 31 },
      /^RangeError: startReporter: option "interval" .*, got 2147483648$/,
    ],
    [
      { interval: "1000" as unknown as number },
      /^TypeError: startReporter: option "interval" .*, got "1000"$/,
    ],
    [
      { format: "xml" as "json" },
      /^TypeError: startReporter: option "format" must be "text" or "json", got "xml"$/,
    ],
    [
      { write: 1 as unknown as ReporterHost["write"] },
      /^TypeError: startReporter: option "write" must be a function, got 1$/,
    ],
    [
      { sampler: {} as Sampler },
      /^TypeError: startReporter: option "sampler" must be an object with a sample\(\) method/,
    ],
    [
      { now: "now" as unknown as () => number },
      /^TypeError: startReporter: option "now" must be a function/,
    ],
  ];
  for (const [opts, re] of cases) {
    assert.throws(
      () => startReporter({ ...host, ...opts }),
      (e: unknown) => re.test(String(e)),
      String(re),
    );
  }
  assert.throws(
    () => startReporter(null as unknown as ReporterOptions),
    new TypeError("startReporter: options must be an object, got null"),
  );
  assert.equal(host.timers.length, 0, "no timer started by a bad call");
});

test("reporter: nothing throws into the program: a failing write, env, sampler, clock or host", () => {
  const throwing = () => {
    throw new Error("boom");
  };
  const host = fakeHost();
  const r = startReporter({
    ...host,
    write: throwing,
    env: throwing,
    sampler: { runtime: "node", sample: throwing },
    now: throwing,
    format: "json",
  });
  assert.equal(r.interval, 1000);
  host.tick();
  host.exit();
  r.report();
  r.stop();
  // A sampler that throws prints `unavailable`.
  const h2 = fakeHost();
  startReporter({ ...h2, sampler: { runtime: "node", sample: throwing } })
    .report();
  assert.deepEqual(h2.lines, ["livemem: unavailable\n"]);
  // A host whose timer and exit hook throw: no lines, no exception.
  assert.doesNotThrow(() =>
    startReporter({ ...fakeHost(), every: throwing, onExit: throwing })
  );
});

test("reporter: stop() ends the ticks and the exit line", () => {
  const host = fakeHost();
  const r = startReporter({ ...host, sampler: sampler() });
  r.stop();
  r.stop(); // twice is fine
  host.tick();
  host.exit();
  assert.deepEqual(host.lines, []);
  r.report(); // still writes on demand
  assert.equal(host.lines.length, 1);
});

test("reporter: a failed write stops it for good: no more writes, timer stopped, exit hook removed", () => {
  for (const failure of ["throw", "throw a non-Error"]) {
    const host = fakeHost();
    let writes = 0;
    const r = startReporter({
      ...host,
      sampler: sampler(),
      write(text) {
        writes++;
        if (writes === 2) {
          throw failure === "throw" ? new Error("EPIPE") : "EPIPE";
        }
        host.lines.push(text);
      },
    });
    host.tick();
    host.tick(); // this write fails
    host.tick();
    host.exit();
    r.report();
    assert.equal(writes, 2, `${failure}: nothing written after the failure`);
    assert.equal(host.lines.length, 1);
    assert.equal(host.timers[0].stopped, true, "the timer is stopped");
    assert.equal(host.exits[0].removed, true, "the exit hook is removed");
  }
});

test("reporter: an output that fails on the settings line starts no timer", () => {
  const host = fakeHost({ LIVEMEM_INTERVAL: "abc" });
  startReporter({
    ...host,
    sampler: sampler(),
    write() {
      throw new Error("EPIPE");
    },
  });
  assert.equal(host.timers.length, 0);
  assert.equal(host.exits.length, 0);
});
