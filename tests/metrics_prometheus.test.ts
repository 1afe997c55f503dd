// prometheus(): the text exposition of one sample, on Deno, Bun and Node:
// its shape line by line, prom-client's names, the runtime label, what
// Prometheus's own promtool says of it, and how often a scrape samples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { LiveMemUse } from "../mod.ts";
import { LiveMemWatch } from "../watch.ts";
import {
  prometheus,
  PROMETHEUS_CONTENT_TYPE,
  PROMETHEUS_METRICS,
} from "../metrics.ts";
import type { MemorySample } from "../lib/samplers.ts";
import type { RuntimeName } from "../lib/runtime.ts";
import { runtimeName } from "./support/child.ts";

const MiB = 2 ** 20;
const PROMTOOL = "/usr/bin/promtool";

interface Sample {
  name: string;
  help: string;
  runtime: string;
  value: number;
}

// The 0.0.4 grammar for what livemem writes: HELP, TYPE gauge, one sample
// with the runtime label (escaped), per metric.
const METRIC =
  /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ([^\n]*)\n# TYPE \1 gauge\n\1\{runtime="((?:[^"\\\n]|\\["\\n])*)"\} (-?[0-9]+(?:\.[0-9]+)?(?:e[+-][0-9]+)?)\n/;

/** Parses the exposition, failing on anything outside the grammar above. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  let rest = text;
  while (rest !== "") {
    const m = METRIC.exec(rest);
    assert.ok(m, `not a metric block: ${JSON.stringify(rest.slice(0, 120))}`);
    samples.push({
      name: m[1],
      help: m[2],
      runtime: m[3],
      value: Number(m[4]),
    });
    rest = rest.slice(m[0].length);
  }
  return samples;
}

function countingSampler(
  runtime = "node",
  figures: Partial<MemorySample> = {},
) {
  const counter = {
    calls: 0,
    runtime: runtime as RuntimeName,
    sample(): MemorySample {
      counter.calls++;
      return {
        runtime: runtime as RuntimeName,
        rss: 64 * MiB + counter.calls,
        heapTotal: 16 * MiB,
        heapUsed: 10 * MiB,
        external: 8 * MiB,
        arrayBuffers: 4 * MiB,
        ...figures,
      };
    },
  };
  return counter;
}

test("the content type is the 0.0.4 text format's", () => {
  assert.equal(
    PROMETHEUS_CONTENT_TYPE,
    "text/plain; version=0.0.4; charset=utf-8",
  );
});

test("the exposition of this runtime: one gauge per known figure, prom-client's names, the runtime label", () => {
  // A long interval: toJSON() below gives the sample the scrape read.
  const mem = new LiveMemUse({ interval: 60_000 });
  const text = prometheus({ mem })();
  const json = mem.toJSON() as unknown as Record<string, unknown>;
  const samples = parse(text);
  const expected = PROMETHEUS_METRICS.filter((m) =>
    typeof json[m.field] === "number"
  );
  assert.deepEqual(samples.map((s) => s.name), expected.map((m) => m.name));
  for (const [k, s] of samples.entries()) {
    assert.equal(s.runtime, runtimeName);
    assert.equal(s.help, expected[k].help);
    assert.equal(s.value, json[expected[k].field], s.name);
  }
  const names = samples.map((s) => s.name);
  for (
    const name of [
      "process_resident_memory_bytes",
      "livemem_peak_resident_memory_bytes",
      // Bun has no heap total, and leaves out an external it has not
      // counted yet (lib/bun_figures.ts).
      ...(runtimeName === "bun"
        ? []
        : ["nodejs_heap_size_total_bytes", "nodejs_external_memory_bytes"]),
    ]
  ) assert.ok(names.includes(name), `${runtimeName} has ${name}`);
  // Node always has array buffers, Deno never; Bun once it has counted some.
  if (runtimeName !== "bun") {
    assert.equal(
      names.includes("livemem_array_buffers_bytes"),
      runtimeName !== "deno",
    );
  }
  assert.ok(samples[0].value > 10 * MiB, "rss is real");
});

test("promtool check metrics accepts the exposition", () => {
  const expositions = [
    prometheus()(),
    prometheus({
      mem: new LiveMemUse({ sampler: countingSampler('we"ird\\run\ntime') }),
    })(),
    prometheus({
      mem: {
        toJSON: () => ({
          runtime: "node",
          rss: 1e21,
          heapTotal: 0,
          memoryLimit: 256 * MiB,
          headroom: -3,
        }),
      },
    })(),
  ];
  for (const text of expositions) {
    const r = spawnSync(PROMTOOL, ["check", "metrics"], {
      input: text,
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}\n${text}`);
    assert.equal(r.stdout + r.stderr, "", "no lint problem either");
  }
});

test("the runtime label is escaped; unknown or non-finite figures are left out", () => {
  const text = prometheus({
    mem: new LiveMemUse({
      sampler: countingSampler('a"b\\c\nd', {
        external: undefined,
        arrayBuffers: undefined,
      }),
    }),
  })();
  assert.match(
    text,
    /^process_resident_memory_bytes\{runtime="a\\"b\\\\c\\nd"\} 67108865$/m,
  );
  assert.equal(parse(text)[0].runtime, 'a\\"b\\\\c\\nd');
  assert.deepEqual(parse(text).map((s) => s.name), [
    "process_resident_memory_bytes",
    "nodejs_heap_size_total_bytes",
    "nodejs_heap_size_used_bytes",
  ]);
  const odd = prometheus({
    mem: {
      toJSON: () => ({
        runtime: 42,
        rss: Infinity,
        heapTotal: NaN,
        heapUsed: "1",
        external: 5,
        memoryLimit: 256 * MiB,
        headroom: 100,
      }),
    },
  })();
  assert.deepEqual(parse(odd), [
    {
      name: "nodejs_external_memory_bytes",
      help: "Memory outside the JS heap owned by JS objects in bytes.",
      runtime: "unknown",
      value: 5,
    },
    {
      name: "livemem_memory_limit_bytes",
      help:
        "Limit on the resident set size in bytes: the container's or a configured one.",
      runtime: "unknown",
      value: 256 * MiB,
    },
    {
      name: "livemem_memory_headroom_bytes",
      help:
        "Memory left before the nearest limit, of the heap or the process, in bytes.",
      runtime: "unknown",
      value: 100,
    },
  ]);
  // Nothing known (workerd): an empty exposition, which Prometheus accepts.
  const none = prometheus({
    mem: new LiveMemUse({
      sampler: { runtime: "workerd", sample: () => undefined },
    }),
  })();
  assert.equal(none, "");
});

test("a scrape costs at most one sample, and none within the interval", () => {
  const sampler = countingSampler();
  let t = 0;
  const mem = new LiveMemUse({ sampler, now: () => t, interval: 1000 });
  const metrics = prometheus({ mem });
  const first = metrics();
  for (let k = 0; k < 9; k++) {
    t += 100;
    assert.equal(metrics(), first);
  }
  // A log line reading the same field shares the sample.
  assert.match(String(mem), /^rss=64\.0MiB/);
  assert.equal(sampler.calls, 1, "ten scrapes and a log line in one interval");
  for (let k = 2; k <= 5; k++) {
    t += 1001;
    const text = metrics();
    assert.equal(sampler.calls, k, "one sample per scrape across intervals");
    assert.match(
      text,
      new RegExp(
        `^process_resident_memory_bytes\\{runtime="node"\\} ${64 * MiB + k}$`,
        "m",
      ),
    );
  }
});

test("a failing source gives an empty exposition, never a throw", () => {
  let fail = false;
  const metrics = prometheus({
    mem: {
      toJSON() {
        if (fail) throw new Error("boom");
        return { runtime: "node", rss: 1 };
      },
    },
  });
  assert.notEqual(metrics(), "");
  fail = true;
  assert.equal(metrics(), "");
});

test("bad options fail early, naming the option and the value", () => {
  assert.throws(() => prometheus(null as never), {
    name: "TypeError",
    message: "options must be an object, got null",
  });
  assert.throws(() => prometheus({ mem: "x" as never }), {
    name: "TypeError",
    message: 'mem must be a LiveMemUse, got "x"',
  });
});

test("prometheus: a LiveMemWatch as the source exports its memory limit and headroom", () => {
  const mem = new LiveMemWatch({ limit: 512 * MiB, interval: 60_000 });
  const samples = parse(prometheus({ mem })());
  const value = (name: string) => samples.find((s) => s.name === name)?.value;
  const json = mem.toJSON();
  assert.equal(value("livemem_memory_limit_bytes"), 512 * MiB);
  // The same sample as the field's JSON: one sample per interval.
  assert.equal(value("livemem_memory_headroom_bytes"), json.headroom);
  assert.ok(json.headroom! <= 512 * MiB - json.rss!);
  assert.ok(samples.every((s) => s.runtime === runtimeName));
});
