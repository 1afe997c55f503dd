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
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import type pino from "pino";
import type winston from "winston";
import type * as LogTapeTypes from "@logtape/logtape";
import { LiveMemUse } from "../mod.ts";
import {
  logtapeFormatter,
  pinoMixin,
  pinoOptions,
  winstonFormat,
} from "../integrations.ts";
import { type Case, type CaseResult, pairedRatio } from "./harness.ts";
import { args, option, runtime, version } from "./runtime_info.ts";
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
const stdoutIsTerminal = g.Deno
  ? g.Deno.stdout.isTerminal()
  : g.process?.stdout.isTTY === true;

const ROUNDS = option("--rounds", 31);
const BATCH_MS = option("--batch-ms", 15);
const CLOCK = args.includes("--wall") ? "wall" : "cpu";
// Long enough for each copy of a logger to reach its steady JIT tier: with
// 200 ms, single runs varied by ±10% on Bun and Deno.
const WARMUP_MS = option("--warmup-ms", 800);
const onlyArg = args.indexOf("--only");
const ONLY = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(",")) : undefined;

// ---------------------------------------------------------------- isolation

// Each case gets its own copy of its logger's code and of its loop, so that
// the JIT specializes each for the one configuration it runs, as in a
// program with one logger: cases sharing one copy of pino's `write()` would
// make its calls polymorphic (the hook, the mixin) and let one case's
// feedback slow another's.
const require = createRequire(import.meta.url);

/** A fresh instance of a CommonJS package (its own copy of every module). */
function fresh<T>(name: string): T {
  for (const key of Object.keys(require.cache)) delete require.cache[key];
  return require(name) as T;
}

/**
 * A loop of `k` log lines with its own code: `body` is the statement of one
 * line, using `i` and the names in `scope`.
 */
function loop(
  scope: Record<string, unknown>,
  body: string,
): (k: number) => number {
  const names = Object.keys(scope);
  const make = new Function(
    ...names,
    `"use strict"; return function run(k) { for (let i = 0; i < k; i++) { ${body} } return k; };`,
  );
  return make(...names.map((n) => scope[n]));
}

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

// A line must reach the sink inside the timed loop: the winston and LogTape
// cases check that their sink saw each line (a logger that buffered and
// wrote later would look free).
let written = 0;

function counted(
  id: string,
  run: (k: number) => number,
): (k: number) => number {
  return (k) => {
    const before = written;
    run(k);
    if (written - before !== k) throw new Error(`${id}: lines buffered`);
    return k;
  };
}

// ---------------------------------------------------------------- pino

type Pino = typeof pino;

function pinoCase(
  id: string,
  label: string,
  options: (p: Pino) => pino.LoggerOptions,
): Case {
  const p = fresh<Pino>("pino");
  const log = p(options(p), p.destination({ dest: "/dev/null", sync: true }));
  return {
    id,
    group: "pino",
    label,
    run: loop({ log }, 'log.info({ i }, "request done");'),
  };
}

// ---------------------------------------------------------------- winston

type Winston = typeof winston;
type Format = winston.Logform.Format;

const MESSAGE = Symbol.for("message");
const winstonConstant = {
  transform(info: Record<symbol, unknown>) {
    info[MESSAGE] = constantSplice(info[MESSAGE] as string);
    return info;
  },
} as unknown as Format;

/** A winston logger whose Stream transport writes each line to /dev/null. */
function winstonCase(
  id: string,
  label: string,
  formats: (w: Winston) => Format[],
): Case {
  const w = fresh<Winston>("winston");
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      written++;
      writeSync(fd, chunk);
      done();
    },
  });
  const log = w.createLogger({
    format: w.format.combine(...formats(w)),
    transports: [new w.transports.Stream({ stream })],
  });
  return {
    id,
    group: "winston",
    label,
    run: counted(id, loop({ log }, 'log.info("request done", { i });')),
  };
}

// ---------------------------------------------------------------- LogTape

type LogTape = typeof LogTapeTypes;
type Formatter = (record: LogTapeTypes.LogRecord) => string;

/** LogTape with one sink that formats each record and writes it to /dev/null. */
function logtapeCase(
  id: string,
  label: string,
  formatter: (l: LogTape) => Formatter,
  logger: (l: LogTape) => LogTapeTypes.Logger = (l) => l.getLogger("app"),
): Case {
  const l = fresh<LogTape>("@logtape/logtape");
  const format = formatter(l);
  l.configureSync({
    sinks: {
      out: (record) => {
        written++;
        writeSync(fd, format(record));
      },
    },
    loggers: [
      { category: "app", sinks: ["out"], lowestLevel: "info" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "fatal" },
    ],
  });
  const log = logger(l);
  return {
    id,
    group: "logtape",
    label,
    run: counted(id, loop({ log }, 'log.info("request done {i}", { i });')),
  };
}

// ---------------------------------------------------------------- console

const TEXT = String(mem);

function consoleCase(id: string, label: string, body: string): Case {
  return {
    id,
    group: "console",
    label,
    run: loop({ console, mem, TEXT }, body),
  };
}

// ---------------------------------------------------------------- cases

const cases: Case[] = [
  pinoCase("pinoPlain", "plain pino", () => ({})),
  pinoCase(
    "pinoFloor",
    "floor: a constant spliced in (same bytes)",
    () => ({ hooks: { streamWrite: constantSplice } }),
  ),
  // A diagnostic: the floor plus the field's cached read, to tell the read's
  // cost from the splice's.
  pinoCase(
    "pinoFloorRead",
    "floor + mem.toJSONString() (the cached read)",
    () => ({
      hooks: {
        streamWrite: (s: string) => {
          mem.toJSONString();
          return constantSplice(s);
        },
      },
    }),
  ),
  pinoCase("pinoOptions", "pinoOptions()", () => pinoOptions({ mem })),
  pinoCase(
    "pinoMixin",
    "mixin: pinoMixin()",
    () => ({ mixin: pinoMixin({ mem }) }),
  ),
  winstonCase("winstonPlain", "plain: format.json()", (w) => [w.format.json()]),
  winstonCase(
    "winstonFloor",
    "floor: json(), then a constant spliced in",
    (w) => [w.format.json(), winstonConstant],
  ),
  winstonCase(
    "winstonLine",
    'json(), then winstonFormat({ form: "line" })',
    (w) => [w.format.json(), winstonFormat({ mem, form: "line" })],
  ),
  winstonCase(
    "winstonJson",
    "winstonFormat(), then json()",
    (w) => [winstonFormat({ mem }), w.format.json()],
  ),
  logtapeCase(
    "logtapePlain",
    "plain: jsonLinesFormatter",
    (l) => l.jsonLinesFormatter,
  ),
  logtapeCase(
    "logtapeFloor",
    "floor: a constant spliced into the line",
    (l) => (r) => constantSplice(l.jsonLinesFormatter(r)),
  ),
  logtapeCase(
    "logtapeFormatter",
    "logtapeFormatter(jsonLinesFormatter)",
    (l) => logtapeFormatter(l.jsonLinesFormatter, { mem }),
  ),
  logtapeCase(
    "logtapeWith",
    "getLogger().with({ mem }): the field as a property",
    (l) => l.jsonLinesFormatter,
    (l) => l.getLogger("app").with({ mem }),
  ),
];
if (!stdoutIsTerminal) {
  cases.push(
    consoleCase(
      "consolePlain",
      'console.log("request done", i)',
      'console.log("request done", i);',
    ),
    consoleCase(
      "consoleFloor",
      'floor: console.log("request done", i, text) (a constant)',
      'console.log("request done", i, TEXT);',
    ),
    consoleCase(
      "consoleString",
      'console.log("request done", i, String(mem))',
      'console.log("request done", i, String(mem));',
    ),
    consoleCase(
      "consoleToString",
      'console.log("request done", i, mem.toString())',
      'console.log("request done", i, mem.toString());',
    ),
    consoleCase(
      "consoleMem",
      'console.log("request done", i, mem)',
      'console.log("request done", i, mem);',
    ),
    consoleCase(
      "consoleTemplateFloor",
      "floor: console.log(`request done ${i} ${text}`)",
      "console.log(`request done ${i} ${TEXT}`);",
    ),
    consoleCase(
      "consoleTemplate",
      "console.log(`request done ${i} ${mem}`)",
      "console.log(`request done ${i} ${mem}`);",
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
    label: "pino: floor / plain pino",
  },
  {
    id: "pinoFloorRead/floor",
    subject: "pinoFloorRead",
    baseline: "pinoFloor",
    label: "pino: floor + cached read / floor",
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
    label: 'winston: form "json" / floor',
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
    label: "console: template / its floor",
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
  warmupMs: WARMUP_MS,
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
