// logtapeFormatter() with the real LogTape from node_modules: the default
// JSON Lines formatter and its options, contexts (with(), lazy()), and a
// text formatter it must leave alone. The figures come from a counting
// sampler and a hand-driven clock; one test allocates real memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  configureSync,
  defaultTextFormatter,
  getJsonLinesFormatter,
  getLogger,
  jsonLinesFormatter,
  lazy,
  type LogRecord,
  resetSync,
} from "@logtape/logtape";
import { LiveMemUse } from "../mod.ts";
import { logtapeFormatter } from "../integrations.ts";
import { allocBuffers, measure, MiB, runtime, settle } from "./_memory.ts";
import { countingField } from "./support/log_sinks.ts";

/** Configures LogTape with one sink that formats each record into `lines`. */
function withSink(
  format: (record: LogRecord) => string,
  body: (lines: string[]) => void,
): void {
  const lines: string[] = [];
  configureSync({
    sinks: { collect: (record) => void lines.push(format(record)) },
    loggers: [
      { category: "app", sinks: ["collect"], lowestLevel: "debug" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
  });
  try {
    body(lines);
  } finally {
    resetSync();
  }
}

function parseLine(line: string, end = "\n"): Record<string, unknown> {
  assert.ok(line.endsWith(`}${end}`), JSON.stringify(line));
  const value = JSON.parse(line);
  assert.ok(typeof value === "object" && value !== null, line);
  return value;
}

const rssOf = (r: Record<string, unknown>) => (r.mem as { rss: number }).rss;

test("LogTape: logtapeFormatter(jsonLinesFormatter) adds mem to each line, following the samples", () => {
  const { mem, clock } = countingField();
  withSink(logtapeFormatter(jsonLinesFormatter, { mem }), (lines) => {
    const log = getLogger("app");
    log.info("one {n}", { n: 1 });
    clock.t = 1000; // not strictly more than the interval: the same sample
    log.warn("two");
    clock.t = 2500;
    log.error("three");
    const records = lines.map((l) => parseLine(l));
    assert.deepEqual(records.map((r) => r.message), ["one 1", "two", "three"]);
    assert.deepEqual(records[0].properties, { n: 1 });
    assert.deepEqual(records.map(rssOf), [MiB, MiB, 2 * MiB]);
    assert.deepEqual(Object.keys(records[0]), [
      "@timestamp",
      "level",
      "message",
      "logger",
      "properties",
      "mem",
    ]);
  });
});

test("LogTape: logtapeFormatter over getJsonLinesFormatter options (flatten, template, crlf)", () => {
  const { mem } = countingField();
  const format = logtapeFormatter(
    getJsonLinesFormatter({
      properties: "flatten",
      message: "template",
      lineEnding: "crlf",
    }),
    { mem, key: "memory" },
  );
  withSink(format, (lines) => {
    getLogger("app").with({ request: 7 }).info("done {x}", { x: "}{" });
    const record = parseLine(lines[0], "\r\n");
    assert.equal(record.message, "done {x}");
    assert.equal(record.request, 7);
    assert.equal(record.x, "}{");
    assert.equal((record.memory as { rss: number }).rss, MiB);
  });
});

test("LogTape: logtapeFormatter beside with({ mem }) and lazy(): both carry the same figures", () => {
  const { mem } = countingField();
  withSink(logtapeFormatter(jsonLinesFormatter, { mem }), (lines) => {
    getLogger("app")
      .with({ live: mem, snap: lazy(() => mem.toJSON()) })
      .info("x");
    const record = parseLine(lines[0]);
    const props = record.properties as Record<string, unknown>;
    assert.deepEqual(props.live, record.mem);
    assert.deepEqual(props.snap, record.mem);
  });
});

test("LogTape: logtapeFormatter leaves a text formatter's line alone", () => {
  const { mem } = countingField();
  withSink(logtapeFormatter(defaultTextFormatter, { mem }), (lines) => {
    // The line ends with `}` but does not start with `{`.
    getLogger("app").info("stats {x}", { x: { a: 1 } });
    assert.match(lines[0], /\[INF\] app: stats \{ a: 1 \}\n$/);
    assert.equal(lines[0].includes("rss"), false);
  });
});

test("LogTape: logtapeFormatter, the real field changes after 32 MiB are allocated", () => {
  measure(3, () => {
    const mem = new LiveMemUse({ interval: 0 });
    withSink(logtapeFormatter(jsonLinesFormatter, { mem }), (lines) => {
      const log = getLogger("app");
      settle();
      log.info("before");
      allocBuffers(32);
      settle();
      log.info("after");
      const [before, after] = lines.map((l) => parseLine(l)) as {
        mem: {
          rss: number;
          external: number;
          heapTotal: number;
          other: number;
        };
      }[];
      for (const r of [before, after]) {
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
});

test("LogTape: logtapeFormatter rejects a formatter that is not a function", () => {
  assert.throws(
    () => logtapeFormatter("json" as never),
    new TypeError('formatter must be a function, got "json"'),
  );
  assert.throws(
    () => logtapeFormatter(jsonLinesFormatter, { key: 1 as never }),
    new TypeError("key must be a non-empty string, got 1"),
  );
});
