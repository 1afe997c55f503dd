/**
 * What the `mem` field costs inside real loggers: pino, winston, LogTape and
 * the console, each writing real lines to /dev/null, with the field against
 * the same logger without it and against a floor (the same logger writing
 * the same bytes with no work per line). Runs unchanged on Deno, Bun and
 * Node:
 *
 *     deno run -A bench/loggers.ts >/dev/null
 *     bun bench/loggers.ts >/dev/null
 *     node bench/loggers.ts >/dev/null
 *
 * The console cases write to stdout, so stdout must go to /dev/null: when it
 * is a terminal they are skipped. The report and its JSON (the last line) go
 * to stderr. `scripts/bench_loggers.mjs` runs all three runtimes.
 *
 * Options: `--rounds N`, `--batch-ms N`, `--warmup-ms N`, `--only a,b`
 * (groups: pino, winston, logtape, console), `--wall` (time batches by the
 * wall clock instead of the process's CPU time, see loggers_harness.ts).
 *
 * @module
 */

import { closeSync, openSync, writeSync } from "node:fs";
import { Writable } from "node:stream";
import pino from "pino";
import winston from "winston";
import {
  configureSync,
  getLogger,
  jsonLinesFormatter,
  type LogRecord,
} from "@logtape/logtape";
import { LiveMemUse } from "../mod.ts";
import {
  logtapeFormatter,
  pinoMixin,
  pinoOptions,
  winstonFormat,
} from "../integrations.ts";
import { type Case, type CaseResult, pairedRatio } from "./harness.ts";
import { asyncSink, runCasesAsync } from "./loggers_harness.ts";

// ---------------------------------------------------------------- runtime

interface Globals {
  Deno?: {
    version: { deno: string; v8: string };
    args: string[];
    stdout: { isTerminal(): boolean };
  };
  Bun?: { version: string };
  process?: {
    versions: { node: string; v8: string };
    argv: string[];
    stdout: { isTTY?: boolean };
  };
}
const g = globalThis as unknown as Globals;
const runtime = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const version = g.Deno
  ? `deno ${g.Deno.version.deno} (V8 ${g.Deno.version.v8})`
  : g.Bun
  ? `bun ${g.Bun.version} (JavaScriptCore)`
  : `node ${g.process?.versions.node} (V8 ${g.process?.versions.v8})`;
const args = g.Deno ? g.Deno.args : g.process?.argv.slice(2) ?? [];
const stdoutIsTerminal = g.Deno
  ? g.Deno.stdout.isTerminal()
  : g.process?.stdout.isTTY === true;

function option(name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const ROUNDS = option("--rounds", 31);
const BATCH_MS = option("--batch-ms", 15);
const CLOCK = args.includes("--wall") ? "wall" : "cpu";
const WARMUP_MS = option("--warmup-ms", 200);
const onlyArg = args.indexOf("--only");
const ONLY = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(",")) : undefined;

// ---------------------------------------------------------------- sinks

// One field for every logger, with the default interval: it re-samples once
// a second, as it would in a service, and each case pays its share.
const mem = new LiveMemUse();
const fd = openSync("/dev/null", "w");

/** The member the field adds, as text: `,"mem":{…}`, for the floors. */
const MEMBER = `,"mem":${mem.toJSONString()}`;

/** Adds a constant member before the final `}` of a line: the floors' work. */
function constantSplice(line: string): string {
  return line.charCodeAt(line.length - 1) === 10
    ? line.slice(0, -2) + MEMBER + "}\n"
    : line.slice(0, -1) + MEMBER + "}";
}

// A line must reach the sink inside the timed loop: every case checks that
// its sink saw each line (a logger that buffered and wrote later would look
// free).
let written = 0;

function pinoDest() {
  return pino.destination({ dest: "/dev/null", sync: true });
}

// ---------------------------------------------------------------- pino

const pinoPlain = pino(pinoDest());
const pinoFloor = pino(
  { hooks: { streamWrite: constantSplice } },
  pinoDest(),
);
const pinoWith = pino(pinoOptions({ mem }), pinoDest());
const pinoMixed = pino({ mixin: pinoMixin({ mem }) }, pinoDest());

function pinoCase(
  id: string,
  label: string,
  log: pino.Logger,
): Case {
  return {
    id,
    group: "pino",
    label,
    run(k) {
      for (let i = 0; i < k; i++) log.info({ i }, "request done");
      return k;
    },
  };
}

// ---------------------------------------------------------------- winston

/** A winston Stream transport over a Writable that writes each line to /dev/null. */
function winstonSink(): winston.transport {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      written++;
      writeSync(fd, chunk);
      done();
    },
  });
  return new winston.transports.Stream({ stream });
}

const MESSAGE = Symbol.for("message");
const winstonConstant = {
  transform(info: Record<symbol, unknown>) {
    info[MESSAGE] = constantSplice(info[MESSAGE] as string);
    return info;
  },
};

function winstonLogger(...formats: winston.Logform.Format[]): winston.Logger {
  return winston.createLogger({
    format: winston.format.combine(...formats),
    transports: [winstonSink()],
  });
}

const winstonPlain = winstonLogger(winston.format.json());
const winstonFloor = winstonLogger(
  winston.format.json(),
  winstonConstant as winston.Logform.Format,
);
const winstonJson = winstonLogger(
  winstonFormat({ mem }),
  winston.format.json(),
);
const winstonLine = winstonLogger(
  winston.format.json(),
  winstonFormat({ mem, form: "line" }),
);

function winstonCase(id: string, label: string, log: winston.Logger): Case {
  return {
    id,
    group: "winston",
    label,
    run(k) {
      const before = written;
      for (let i = 0; i < k; i++) log.info("request done", { i });
      if (written - before !== k) throw new Error(`${id}: lines buffered`);
      return k;
    },
  };
}

// ---------------------------------------------------------------- LogTape

type Formatter = (record: LogRecord) => string;

/** A LogTape sink that formats each record and writes it to /dev/null. */
function logtapeSink(format: Formatter) {
  return (record: LogRecord) => {
    written++;
    writeSync(fd, format(record));
  };
}

configureSync({
  sinks: {
    plain: logtapeSink(jsonLinesFormatter),
    floor: logtapeSink((r) => constantSplice(jsonLinesFormatter(r))),
    spliced: logtapeSink(logtapeFormatter(jsonLinesFormatter, { mem })),
  },
  loggers: [
    { category: ["plain"], sinks: ["plain"], lowestLevel: "info" },
    { category: ["floor"], sinks: ["floor"], lowestLevel: "info" },
    { category: ["spliced"], sinks: ["spliced"], lowestLevel: "info" },
    { category: ["context"], sinks: ["plain"], lowestLevel: "info" },
    { category: ["logtape", "meta"], sinks: [], lowestLevel: "fatal" },
  ],
});

type LogTapeLogger = ReturnType<typeof getLogger>;

function logtapeCase(id: string, label: string, log: LogTapeLogger): Case {
  return {
    id,
    group: "logtape",
    label,
    run(k) {
      const before = written;
      for (let i = 0; i < k; i++) log.info("request done {i}", { i });
      if (written - before !== k) throw new Error(`${id}: lines buffered`);
      return k;
    },
  };
}

// ---------------------------------------------------------------- console

const TEXT = String(mem);

function consoleCase(
  id: string,
  label: string,
  line: (i: number) => void,
): Case {
  return {
    id,
    group: "console",
    label,
    run(k) {
      for (let i = 0; i < k; i++) line(i);
      return k;
    },
  };
}

// ---------------------------------------------------------------- cases

const cases: Case[] = [
  pinoCase("pinoPlain", "plain pino", pinoPlain),
  pinoCase("pinoFloor", "floor: a constant spliced in (same bytes)", pinoFloor),
  pinoCase("pinoOptions", "pinoOptions()", pinoWith),
  pinoCase("pinoMixin", "mixin: pinoMixin()", pinoMixed),
  winstonCase("winstonPlain", "plain: format.json()", winstonPlain),
  winstonCase(
    "winstonFloor",
    "floor: json(), then a constant spliced in",
    winstonFloor,
  ),
  winstonCase(
    "winstonLine",
    'json(), then winstonFormat({ form: "line" })',
    winstonLine,
  ),
  winstonCase("winstonJson", "winstonFormat(), then json()", winstonJson),
  logtapeCase("logtapePlain", "plain: jsonLinesFormatter", getLogger("plain")),
  logtapeCase(
    "logtapeFloor",
    "floor: a constant spliced into the line",
    getLogger("floor"),
  ),
  logtapeCase(
    "logtapeFormatter",
    "logtapeFormatter(jsonLinesFormatter)",
    getLogger("spliced"),
  ),
  logtapeCase(
    "logtapeWith",
    "getLogger().with({ mem }): the field as a property",
    getLogger("context").with({ mem }),
  ),
];
if (!stdoutIsTerminal) {
  cases.push(
    consoleCase(
      "consolePlain",
      'console.log("request done", i)',
      (i) => console.log("request done", i),
    ),
    consoleCase(
      "consoleFloor",
      'floor: console.log("request done", i, text) (a constant)',
      (i) => console.log("request done", i, TEXT),
    ),
    consoleCase(
      "consoleString",
      'console.log("request done", i, String(mem))',
      (i) => console.log("request done", i, String(mem)),
    ),
    consoleCase(
      "consoleToString",
      'console.log("request done", i, mem.toString())',
      (i) => console.log("request done", i, mem.toString()),
    ),
    consoleCase(
      "consoleMem",
      'console.log("request done", i, mem)',
      (i) => console.log("request done", i, mem),
    ),
    consoleCase(
      "consoleTemplateFloor",
      "floor: console.log(`request done ${i} ${text}`)",
      (i) => console.log(`request done ${i} ${TEXT}`),
    ),
    consoleCase(
      "consoleTemplate",
      "console.log(`request done ${i} ${mem}`)",
      (i) => console.log(`request done ${i} ${mem}`),
    ),
  );
}

// ---------------------------------------------------------------- ratios

interface RatioSpec {
  id: string;
  subject: string;
  baseline: string;
  label: string;
  budget?: number;
  aim?: number;
}

const RATIOS: RatioSpec[] = [
  {
    id: "pino/floor",
    subject: "pinoOptions",
    baseline: "pinoFloor",
    label: "pino: pinoOptions() / floor",
    budget: 1.1,
  },
  {
    id: "pino/plain",
    subject: "pinoOptions",
    baseline: "pinoPlain",
    label: "pino: pinoOptions() / plain pino",
  },
  {
    id: "pinoFloor/plain",
    subject: "pinoFloor",
    baseline: "pinoPlain",
    label: "pino: floor / plain pino (the bytes alone)",
  },
  {
    id: "pinoMixin/floor",
    subject: "pinoMixin",
    baseline: "pinoFloor",
    label: "pino: pinoMixin() / floor",
  },
  {
    id: "winstonLine/floor",
    subject: "winstonLine",
    baseline: "winstonFloor",
    label: 'winston: form "line" / floor',
    aim: 1.15,
  },
  {
    id: "winstonLine/plain",
    subject: "winstonLine",
    baseline: "winstonPlain",
    label: 'winston: form "line" / plain',
  },
  {
    id: "winstonJson/floor",
    subject: "winstonJson",
    baseline: "winstonFloor",
    label: "winston: winstonFormat() + json() / floor",
  },
  {
    id: "winstonFloor/plain",
    subject: "winstonFloor",
    baseline: "winstonPlain",
    label: "winston: floor / plain",
  },
  {
    id: "logtapeFormatter/floor",
    subject: "logtapeFormatter",
    baseline: "logtapeFloor",
    label: "LogTape: logtapeFormatter() / floor",
    aim: 1.15,
  },
  {
    id: "logtapeFormatter/plain",
    subject: "logtapeFormatter",
    baseline: "logtapePlain",
    label: "LogTape: logtapeFormatter() / plain",
  },
  {
    id: "logtapeWith/floor",
    subject: "logtapeWith",
    baseline: "logtapeFloor",
    label: "LogTape: with({ mem }) / floor",
  },
  {
    id: "logtapeFloor/plain",
    subject: "logtapeFloor",
    baseline: "logtapePlain",
    label: "LogTape: floor / plain",
  },
  {
    id: "consoleString/floor",
    subject: "consoleString",
    baseline: "consoleFloor",
    label: "console: String(mem) / floor",
    aim: 1.15,
  },
  {
    id: "consoleToString/floor",
    subject: "consoleToString",
    baseline: "consoleFloor",
    label: "console: mem.toString() / floor",
    aim: 1.15,
  },
  {
    id: "consoleMem/floor",
    subject: "consoleMem",
    baseline: "consoleFloor",
    label: "console: mem / floor",
  },
  {
    id: "consoleTemplate/floor",
    subject: "consoleTemplate",
    baseline: "consoleTemplateFloor",
    label: "console: template with ${mem} / its floor",
    aim: 1.15,
  },
  {
    id: "consoleFloor/plain",
    subject: "consoleFloor",
    baseline: "consolePlain",
    label: "console: floor / plain",
  },
];

// ---------------------------------------------------------------- main

const picked = ONLY ? cases.filter((c) => ONLY.has(c.group)) : cases;
const started = performance.now();
console.error(
  `${version}: ${picked.length} cases, ${ROUNDS} rounds of ~${BATCH_MS} ms ` +
    `(${CLOCK === "cpu" ? "CPU time" : "wall time"})` +
    (stdoutIsTerminal ? " (stdout is a terminal: no console cases)" : ""),
);
const results: CaseResult[] = [];
// Each group runs on its own, its cases interleaved round by round.
// winston and LogTape make much garbage per line, so a batch that a major GC
// lands in is much slower than the others: they get twice the rounds.
const ROUND_FACTOR: Record<string, number> = { winston: 2, logtape: 2 };
for (const group of ["pino", "winston", "logtape", "console"]) {
  const inGroup = picked.filter((c) => c.group === group);
  if (inGroup.length === 0) continue;
  results.push(
    ...await runCasesAsync(inGroup, {
      rounds: ROUNDS * (ROUND_FACTOR[group] ?? 1),
      batchMs: BATCH_MS,
      warmupMs: WARMUP_MS,
      clock: CLOCK,
      onRound: (r) => {
        if (r % 5 === 0) console.error(`  ${group}: round ${r}`);
      },
    }),
  );
}
const elapsed = (performance.now() - started) / 1000;
closeSync(fd);

const ratios = RATIOS
  .filter((r) =>
    results.some((x) => x.id === r.subject) &&
    results.some((x) => x.id === r.baseline)
  )
  .map((r) => {
    const ratio = pairedRatio(results, r.subject, r.baseline);
    const limit = r.budget ?? r.aim;
    return {
      id: r.id,
      label: r.label,
      ratio,
      budget: r.budget,
      aim: r.aim,
      within: limit === undefined ? undefined : ratio <= limit,
    };
  });

const fmtNs = (x: number) => x >= 100 ? x.toFixed(0) : x.toFixed(1);
const report: string[] = [`${version}; ${elapsed.toFixed(1)} s`];
for (const r of results) {
  const spread = ((r.max - r.min) / r.median * 100).toFixed(0);
  report.push(
    `  ${r.group.padEnd(8)} ${r.label.padEnd(56)} ${
      fmtNs(r.median).padStart(7)
    } ns/line  (±${spread}% range)`,
  );
}
for (const r of ratios) {
  const limit = r.budget ?? r.aim;
  const mark = limit === undefined
    ? ""
    : `  ${r.within ? "within" : "OVER"} ${
      r.budget ? "budget" : "aim"
    } ${limit}`;
  report.push(`  ${r.label.padEnd(58)} ${r.ratio.toFixed(3)}x${mark}`);
}
console.error(report.join("\n"));
console.error(JSON.stringify({
  runtime,
  version,
  rounds: ROUNDS,
  batchMs: BATCH_MS,
  clock: CLOCK,
  seconds: elapsed,
  results: results.map((r) => ({
    id: r.id,
    group: r.group,
    label: r.label,
    median: r.median,
    min: r.min,
    max: r.max,
  })),
  ratios,
  sink: asyncSink(),
}));
