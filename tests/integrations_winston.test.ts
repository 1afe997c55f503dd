// winstonFormat() with the real winston (and logform) from node_modules:
// the `line` form after format.json() (and the other JSON finishers), the
// `json` and `text` forms before the format that writes the line, with
// other formats combined, child loggers and transport-level formats. The
// figures come from a counting sampler and a hand-driven clock; one test
// allocates real memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import winston from "winston";
import { LiveMemUse } from "../mod.ts";
import { winstonFormat } from "../integrations.ts";
import { allocBuffers, measure, MiB, runtime, settle } from "./_memory.ts";
import { collector, countingField } from "./support/log_sinks.ts";

const { format } = winston;

function logger(
  stream: Writable,
  ...formats: winston.Logform.Format[]
): winston.Logger {
  return winston.createLogger({
    format: format.combine(...formats),
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** One JSON object a line (the Stream transport adds the EOL). */
function parseLine(line: string): Record<string, unknown> {
  assert.ok(line.endsWith("}\n"), JSON.stringify(line));
  const value = JSON.parse(line);
  assert.ok(typeof value === "object" && value !== null, line);
  return value;
}

function rssOf(record: Record<string, unknown>): number {
  return (record.mem as { rss: number }).rss;
}

test('winston: form "line" after format.json() adds mem to each line, following the samples', () => {
  const { stream, lines } = collector();
  const { mem, clock } = countingField();
  const log = logger(
    stream,
    format.json(),
    winstonFormat({ mem, form: "line" }),
  );
  log.info("one", { a: 1 });
  clock.t = 900;
  log.warn("two");
  clock.t = 1901;
  log.error("three");
  const records = lines.map(parseLine);
  assert.deepEqual(records.map((r) => r.message), ["one", "two", "three"]);
  assert.equal(records[0].a, 1);
  assert.deepEqual(records.map(rssOf), [MiB, MiB, 2 * MiB]);
  assert.deepEqual(Object.keys(records[0]), ["a", "level", "message", "mem"]);
});

test('winston: form "line" with timestamp, label, errors and splat before json()', () => {
  const { stream, lines } = collector();
  const { mem } = countingField();
  const log = logger(
    stream,
    format.errors({ stack: true }),
    format.splat(),
    format.label({ label: "api" }),
    format.timestamp(),
    format.json(),
    winstonFormat({ mem, form: "line" }),
  );
  log.info("%s done in %dms", "compaction", 12);
  log.error(new Error("boom"));
  const [a, b] = lines.map(parseLine);
  assert.equal(a.message, "compaction done in 12ms");
  assert.equal(a.label, "api");
  assert.match(String(a.timestamp), /^\d{4}-\d\d-\d\dT/);
  assert.equal(b.message, "boom");
  assert.match(String(b.stack), /Error: boom/);
  assert.equal(rssOf(a), MiB);
  assert.equal(rssOf(b), MiB);
});

test('winston: form "line" after json({ space: 2 }) and after logstash()', () => {
  for (const finisher of [format.json({ space: 2 }), format.logstash()]) {
    const { stream, lines } = collector();
    const { mem } = countingField();
    const log = logger(stream, finisher, winstonFormat({ mem, form: "line" }));
    log.info("x", { nested: { deep: [1, { y: "}" }] } });
    const record = parseLine(lines[0]);
    assert.equal(rssOf(record), MiB, lines[0]);
  }
});

test('winston: form "line" leaves a line that is not one JSON object alone', () => {
  const { stream, lines } = collector();
  const { mem } = countingField();
  const log = logger(
    stream,
    format.printf((info) => `${info.level}: ${info.message}`),
    winstonFormat({ mem, form: "line" }),
  );
  log.info("a message ending in {braces}");
  log.info("{a whole message in braces}");
  assert.deepEqual(lines, [
    "info: a message ending in {braces}\n",
    "info: {a whole message in braces}\n",
  ]);
});

test('winston: form "line" in a child logger and in a transport-level format', () => {
  const main = collector();
  const extra = collector();
  const { mem } = countingField();
  const log = winston.createLogger({
    defaultMeta: { service: "api" },
    format: format.json(),
    transports: [
      new winston.transports.Stream({
        stream: main.stream,
        format: format.combine(
          format.json(),
          winstonFormat({ mem, form: "line" }),
        ),
      }),
      new winston.transports.Stream({ stream: extra.stream }),
    ],
  });
  log.child({ request: 7 }).info("x");
  const record = parseLine(main.lines[0]);
  assert.equal(record.service, "api");
  assert.equal(record.request, 7);
  assert.equal(rssOf(record), MiB);
  // The other transport, without the format, has no field.
  assert.equal(parseLine(extra.lines[0]).mem, undefined);
});

test('winston: forms "json" and "text" combine with timestamp and printf', () => {
  const json = collector();
  const text = collector();
  const { mem } = countingField();
  logger(json.stream, format.timestamp(), winstonFormat({ mem }), format.json())
    .info("x");
  logger(
    text.stream,
    format.timestamp(),
    winstonFormat({ mem, form: "text" }),
    format.printf((info) =>
      `${info.timestamp} ${info.message} mem=${info.mem}`
    ),
  ).info("y");
  const record = parseLine(json.lines[0]);
  assert.match(String(record.timestamp), /^\d{4}-/);
  assert.equal(rssOf(record), MiB);
  assert.match(
    text.lines[0],
    /^\d{4}-\S+ y mem=rss=1\.0MiB \(heap=1\.0KiB \(used:512\.0B \+ free:512\.0B\) ; external=0\.0B ; other=1,023\.0KiB\)\n$/,
  );
});

test('winston: form "json" puts the frozen cached object on the record', () => {
  const { mem } = countingField();
  const f = winstonFormat({ mem });
  const a = f.transform<{ message: string; mem?: object }>({ message: "a" });
  const b = f.transform<{ message: string; mem?: object }>({ message: "b" });
  assert.equal(a.mem, b.mem);
  assert.ok(Object.isFrozen(a.mem));
});

test('winston: form "line", the real field changes after 32 MiB are allocated', () => {
  measure(3, () => {
    const { stream, lines } = collector();
    const mem = new LiveMemUse({ interval: 0 });
    const log = logger(
      stream,
      format.json(),
      winstonFormat({ mem, form: "line" }),
    );
    settle();
    log.info("before");
    allocBuffers(32);
    settle();
    log.info("after");
    const [before, after] = lines.map(parseLine) as {
      mem: { rss: number; external: number; heapTotal: number; other: number };
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
