// pinoOptions() with the real pino from node_modules: every line it writes
// must parse as one JSON object carrying the field, whatever else pino is
// told (message key, formatters, nested key, timestamps, base, custom
// levels, redaction, crlf, child loggers and their bindings, multistreams,
// a destination file, a transport in a worker thread). The figures come
// from a counting sampler and a hand-driven clock, so each line's field is
// known exactly; one test allocates real memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { LiveMemUse } from "../mod.ts";
import { pinoMixin, pinoOptions } from "../integrations.ts";
import { allocBuffers, measure, MiB, runtime, settle } from "./_memory.ts";
import { collector, countingField } from "./support/log_sinks.ts";

/** Parses a line as exactly one JSON object ending the line. */
function parseLine(line: string, end = "\n"): Record<string, unknown> {
  assert.ok(line.endsWith(end), JSON.stringify(line));
  assert.equal(line.indexOf("\n"), line.length - 1, JSON.stringify(line));
  const value = JSON.parse(line);
  assert.equal(typeof value, "object", line);
  assert.ok(value !== null && !Array.isArray(value), line);
  return value;
}

/** The field of a parsed line, checked against the counting sampler. */
function memOf(record: Record<string, unknown>, samples: number): void {
  const mem = record.mem as Record<string, unknown>;
  assert.equal(mem.runtime, "node");
  assert.equal(mem.rss, samples * MiB);
  assert.equal(mem.heapUsed, samples * 512);
}

test("pinoOptions(): default pino lines carry mem, and it follows the samples", () => {
  const { stream, lines } = collector();
  const { mem, clock } = countingField({ arrayBuffers: 0 });
  const log = pino(pinoOptions({ mem }), stream);
  log.info("one");
  clock.t = 500; // within the interval: the same sample
  log.info({ step: 2 }, "two");
  clock.t = 1600; // past it: a new sample
  log.warn("three");
  const records = lines.map((l) => parseLine(l));
  assert.deepEqual(records.map((r) => r.msg), ["one", "two", "three"]);
  assert.equal(records[1].step, 2);
  assert.equal(records[2].level, 40);
  memOf(records[0], 1);
  memOf(records[1], 1);
  memOf(records[2], 2);
  // pino's own fields are where they were; the field is the last member.
  assert.deepEqual(Object.keys(records[0]), [
    "level",
    "time",
    "pid",
    "hostname",
    "msg",
    "mem",
  ]);
});

test("pinoOptions(): the real field changes after 32 MiB are allocated", () => {
  measure(3, () => {
    const { stream, lines } = collector();
    const mem = new LiveMemUse({ interval: 0 });
    const log = pino(pinoOptions({ mem }), stream);
    settle();
    log.info("before");
    allocBuffers(32);
    settle();
    log.info("after");
    const [before, after] = lines.map((l) => parseLine(l)) as {
      mem: { rss: number; external: number; heapTotal: number; other: number };
    }[];
    for (const r of [before, after]) {
      assert.ok(Number.isSafeInteger(r.mem.rss) && r.mem.rss > 0);
      // Bun has no heap total, so no parts that sum (lib/bun_figures.ts).
      if (runtime === "bun") assert.ok(!("heapTotal" in r.mem));
      else {assert.equal(
          r.mem.rss,
          r.mem.heapTotal + r.mem.external + r.mem.other,
        );}
    }
    assert.ok(
      after.mem.external - before.mem.external >= 24 * MiB,
      `external ${before.mem.external} -> ${after.mem.external}`,
    );
  });
});

// Each entry: pino options, what to log, and a check of the parsed record.
const MATRIX: {
  name: string;
  options: pino.LoggerOptions;
  log: (log: pino.Logger) => void;
  check: (record: Record<string, unknown>, line: string) => void;
}[] = [
  {
    name: "messageKey",
    options: { messageKey: "message" },
    log: (log) => log.info("hello"),
    check: (r) => assert.equal(r.message, "hello"),
  },
  {
    name: "formatters (level, bindings, log)",
    options: {
      formatters: {
        level: (label) => ({ severity: label.toUpperCase() }),
        bindings: () => ({ service: "api" }),
        log: (obj) => ({ ...obj, logged: true }),
      },
    },
    log: (log) => log.info({ a: 1 }, "hello"),
    check: (r) => {
      assert.equal(r.severity, "INFO");
      assert.equal(r.service, "api");
      assert.equal(r.logged, true);
      assert.equal(r.a, 1);
    },
  },
  {
    name: "nestedKey",
    options: { nestedKey: "payload" },
    log: (log) => log.info({ a: { b: 1 } }, "hello"),
    check: (r) => {
      assert.deepEqual(r.payload, { a: { b: 1 } });
      assert.equal(r.msg, "hello");
    },
  },
  {
    name: "timestamp: false, base: null",
    options: { timestamp: false, base: null },
    log: (log) => log.info("hello"),
    check: (r) => assert.deepEqual(Object.keys(r), ["level", "msg", "mem"]),
  },
  {
    name: "timestamp: isoTime",
    options: { timestamp: pino.stdTimeFunctions.isoTime },
    log: (log) => log.info("hello"),
    check: (r) => assert.match(String(r.time), /^\d{4}-\d\d-\d\dT/),
  },
  {
    name: "timestamp: a custom function",
    options: { timestamp: () => ',"at":"}{"' },
    log: (log) => log.info("hello"),
    check: (r) => assert.equal(r.at, "}{"),
  },
  {
    name: "an empty record: {} becomes {mem}",
    options: {
      timestamp: false,
      base: null,
      formatters: { level: () => ({}) },
    },
    log: (log) => log.info({}),
    check: (r, line) => {
      assert.deepEqual(Object.keys(r), ["mem"]);
      assert.ok(line.startsWith('{"mem":{'), line);
    },
  },
  {
    name: "customLevels, useOnlyCustomLevels",
    options: {
      customLevels: { audit: 35 },
      useOnlyCustomLevels: true,
      level: "audit",
    },
    log: (log) => (log as unknown as Record<string, pino.LogFn>).audit("hi"),
    check: (r) => assert.equal(r.level, 35),
  },
  {
    name: "redact (censor and remove)",
    options: { redact: { paths: ["secret", "user.password"], remove: false } },
    log: (log) =>
      log.info({ secret: "s3cr3t", user: { password: "p", name: "n" } }, "x"),
    check: (r, line) => {
      assert.equal(r.secret, "[Redacted]");
      assert.deepEqual(r.user, { password: "[Redacted]", name: "n" });
      assert.ok(!line.includes("s3cr3t"));
    },
  },
  {
    name: "redact with remove: true",
    options: { redact: { paths: ["secret"], remove: true } },
    log: (log) => log.info({ secret: "s3cr3t", kept: 1 }, "x"),
    check: (r) => {
      assert.equal("secret" in r, false);
      assert.equal(r.kept, 1);
    },
  },
  {
    name: "msgPrefix, and a message with braces and quotes",
    options: { msgPrefix: "[db] " },
    log: (log) => log.info('a "}" and a {'),
    check: (r) => assert.equal(r.msg, '[db] a "}" and a {'),
  },
  {
    name: "an error",
    options: {},
    log: (log) => log.error(new Error("boom")),
    check: (r) => {
      assert.equal(r.msg, "boom");
      assert.equal((r.err as { message: string }).message, "boom");
    },
  },
  {
    name: "a mixin of the user's",
    options: { mixin: () => ({ trace: "t1" }) },
    log: (log) => log.info("x"),
    check: (r) => assert.equal(r.trace, "t1"),
  },
  {
    name: "child loggers: bindings, nested children, their own options",
    options: {},
    log: (log) =>
      log
        .child({ request: 7 })
        .child({ user: "u" }, { redact: ["token"], msgPrefix: "> " })
        .info({ token: "t0k" }, "x"),
    check: (r) => {
      assert.equal(r.request, 7);
      assert.equal(r.user, "u");
      assert.equal(r.token, "[Redacted]");
      assert.equal(r.msg, "> x");
    },
  },
];

for (const c of MATRIX) {
  test(`pinoOptions() with ${c.name}: one JSON object a line, mem on it`, () => {
    const { stream, lines } = collector();
    const { mem } = countingField({ arrayBuffers: 0 });
    const log = pino({ ...pinoOptions({ mem }), ...c.options }, stream);
    c.log(log);
    assert.equal(lines.length, 1);
    const record = parseLine(lines[0]);
    memOf(record, 1);
    c.check(record, lines[0]);
  });
}

test("pinoOptions() with crlf: lines end with \\r\\n, mem inside the object", () => {
  const { stream, lines } = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const log = pino({ ...pinoOptions({ mem }), crlf: true }, stream);
  log.info("x");
  assert.ok(lines[0].endsWith("}}\r\n"), JSON.stringify(lines[0]));
  memOf(parseLine(lines[0], "\r\n"), 1);
});

test("pinoOptions({ key }): the field under another name, escaped", () => {
  const { stream, lines } = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const log = pino(pinoOptions({ mem, key: 'mem "use"' }), stream);
  log.info({ mem: "the user's own mem" }, "x");
  const record = parseLine(lines[0]);
  assert.equal(record.mem, "the user's own mem");
  assert.equal(
    (record['mem "use"'] as { rss: number }).rss,
    MiB,
  );
});

test("pinoOptions(): a record with its own mem has it twice; JSON.parse keeps ours", () => {
  const { stream, lines } = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const log = pino(pinoOptions({ mem }), stream);
  log.child({ mem: "binding" }).info({ mem: "own" }, "x");
  assert.equal(lines[0].split('"mem":').length - 1, 3);
  memOf(parseLine(lines[0]), 1);
});

test("pinoOptions({ hooks }): the user's streamWrite runs first, logMethod is kept", () => {
  const { stream, lines } = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const seen: string[] = [];
  const log = pino(
    pinoOptions({
      mem,
      hooks: {
        streamWrite: (s: string) => {
          seen.push(s);
          return s.replace("hunter2", "***");
        },
        logMethod(args, method) {
          method.apply(this, [`[wrapped] ${args[0]}`]);
        },
      },
    }),
    stream,
  );
  log.info("password hunter2");
  assert.equal(seen.length, 1);
  assert.equal(seen[0].includes('"mem"'), false);
  const record = parseLine(lines[0]);
  assert.equal(record.msg, "[wrapped] password ***");
  memOf(record, 1);
});

test("pinoOptions(): spreading hooks after it drops the field (documented)", () => {
  const { stream, lines } = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const log = pino(
    { ...pinoOptions({ mem }), hooks: { streamWrite: (s: string) => s } },
    stream,
  );
  log.info("x");
  assert.equal(parseLine(lines[0]).mem, undefined);
});

test("pinoOptions(): a streamWrite of the user's that breaks the JSON is left alone", () => {
  const { stream, lines } = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const log = pino(
    pinoOptions({ mem, hooks: { streamWrite: (s: string) => `text: ${s}!` } }),
    stream,
  );
  log.info("x");
  assert.match(lines[0], /^text: \{.*\}\n!$/s);
  assert.equal(lines[0].includes('"mem"'), false);
});

test("pinoOptions() and pinoMixin() on the same logger: both fields, each whole", () => {
  const { stream, lines } = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const log = pino({
    ...pinoOptions({ mem }),
    mixin: pinoMixin({ mem, key: "memMixin" }),
  }, stream);
  log.info("x");
  const record = parseLine(lines[0]);
  memOf(record, 1);
  assert.deepEqual(record.memMixin, record.mem);
});

test("pinoOptions() with pino.multistream: every stream gets the field", () => {
  const all = collector();
  const warn = collector();
  const { mem } = countingField({ arrayBuffers: 0 });
  const log = pino(
    pinoOptions({ mem }),
    pino.multistream([
      { stream: all.stream },
      { level: "warn", stream: warn.stream },
    ]),
  );
  log.info("i");
  log.warn("w");
  assert.equal(all.lines.length, 2);
  assert.equal(warn.lines.length, 1);
  for (const l of [...all.lines, ...warn.lines]) memOf(parseLine(l), 1);
  assert.equal(parseLine(warn.lines[0]).msg, "w");
});

test("pinoOptions() with pino.destination to a file (sync)", () => {
  const dir = mkdtempSync(join(tmpdir(), "livemem-pino-"));
  try {
    const file = join(dir, "log.ndjson");
    const dest = pino.destination({ dest: file, sync: true });
    const { mem, clock } = countingField({ arrayBuffers: 0 });
    const log = pino(pinoOptions({ mem }), dest);
    log.info("a");
    clock.t = 5000;
    log.child({ c: 1 }).info("b");
    dest.flushSync();
    dest.end();
    const lines = readFileSync(file, "utf8").split(/(?<=\n)/);
    assert.equal(lines.length, 2);
    memOf(parseLine(lines[0]), 1);
    memOf(parseLine(lines[1]), 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// One target: the worker writes the lines as they come. Targets with a
// level: the worker parses each line for its level (pino.multistream).
const TRANSPORTS: [
  string,
  (file: string) => pino.TransportMultiOptions | pino.TransportSingleOptions,
][] = [
  [
    "one target",
    (file) => ({ target: "pino/file", options: { destination: file } }),
  ],
  ["targets with levels", (file) => ({
    targets: [{
      target: "pino/file",
      level: "info",
      options: { destination: file },
    }],
  })],
];

for (const [name, transportOptions] of TRANSPORTS) {
  test(`pinoOptions() with pino.transport, ${name} (a worker thread writing a file): the field arrives`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "livemem-pino-"));
    try {
      const file = join(dir, "log.ndjson");
      const transport = pino.transport(transportOptions(file));
      const { mem } = countingField({ arrayBuffers: 0 });
      const log = pino(pinoOptions({ mem }), transport);
      log.info("through the worker");
      log.child({ c: 1 }).warn("and a child");
      // The worker is unref'd: the deadline timer also keeps the event loop
      // alive (Deno's test runner) until the worker has flushed and closed.
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error("the transport did not close in 10 s")),
          10_000,
        );
        transport.on("close", () => {
          clearTimeout(deadline);
          resolve();
        });
        transport.on("error", (e: unknown) => {
          clearTimeout(deadline);
          reject(e);
        });
        transport.end();
      });
      const lines = readFileSync(file, "utf8").split(/(?<=\n)/);
      assert.equal(lines.length, 2, lines.join(""));
      const [a, b] = lines.map((l) => parseLine(l));
      assert.equal(a.msg, "through the worker");
      assert.equal(b.c, 1);
      memOf(a, 1);
      memOf(b, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("pinoOptions() rejects bad options", () => {
  assert.throws(
    () => pinoOptions({ hooks: 3 as never }),
    new TypeError("hooks must be an object, got 3"),
  );
  assert.throws(
    () => pinoOptions({ hooks: { streamWrite: "x" as never } }),
    new TypeError('hooks.streamWrite must be a function, got "x"'),
  );
  assert.throws(
    () => pinoOptions({ key: "" }),
    new TypeError('key must be a non-empty string, got ""'),
  );
  assert.throws(
    () => pinoOptions(null as never),
    new TypeError("options must be an object, got null"),
  );
});
