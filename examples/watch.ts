/**
 * The live demo: a workload that allocates and frees heap objects and
 * ArrayBuffers, with the memory use on every log line and, on a terminal, a
 * live line at the bottom.
 *
 *     deno run examples/watch.ts            # no permission needed
 *     bun examples/watch.ts
 *     node examples/watch.ts                # Node >= 22.18 (type stripping)
 *
 * Options: `--seconds N` (default 3), `--json` (one JSON object a line,
 * the field through `toJSON()`).
 *
 * Before it releases its memory it logs the headroom: the peak rss so far
 * and, where the runtime knows it (Deno, Node; not Bun), the heap limit.
 *
 * @module
 */
import { iec, LiveMemUse, sprintf } from "../mod.ts";

// The runtime's own I/O, reached lazily: Deno's API on Deno, process elsewhere.
interface Io {
  args: string[];
  tty: boolean;
  write(text: string): void;
}
interface Globals {
  Deno?: {
    args: string[];
    stdout: { isTerminal(): boolean; writeSync(b: Uint8Array): number };
  };
  process?: {
    argv: string[];
    stdout: { isTTY?: boolean; write(s: string): boolean };
  };
}

function io(): Io {
  const { Deno: deno, process: proc } = globalThis as unknown as Globals;
  if (deno) {
    const encoder = new TextEncoder();
    return {
      args: deno.args,
      tty: deno.stdout.isTerminal(),
      write(text) {
        let bytes = encoder.encode(text);
        while (bytes.length > 0) {
          bytes = bytes.subarray(deno.stdout.writeSync(bytes));
        }
      },
    };
  }
  if (proc) {
    return {
      args: proc.argv.slice(2),
      tty: proc.stdout.isTTY === true,
      write: (text) => void proc.stdout.write(text),
    };
  }
  throw new Error("no Deno and no process: run this with deno, bun or node");
}

function options(args: string[]): { seconds: number; json: boolean } {
  let seconds = 3;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--json") {
      json = true;
      continue;
    }
    if (arg !== "--seconds" && !arg.startsWith("--seconds=")) {
      throw new Error(
        `unknown argument ${arg}; usage: watch.ts [--seconds N] [--json]`,
      );
    }
    const value = arg === "--seconds"
      ? args[++i]
      : arg.slice("--seconds=".length);
    seconds = Number(value);
    if (!(seconds > 0 && seconds < Infinity)) {
      throw new RangeError(`--seconds must be a number > 0, got ${value}`);
    }
  }
  return { seconds, json };
}

const MiB = 2 ** 20;
const TICK_MS = 100; // the live line redraws this often
const LOG_EVERY = 3; // a log line every 3 ticks

// A workload with a saw-tooth shape: three steps of growth, then one step
// that frees half of what is held. A growing step allocates a little on
// each tick, so the live line moves while it runs.
const buffers: ArrayBuffer[] = [];
const records: { id: number; name: string; tags: string[] }[][] = [];
const growing = (step: number): boolean => step % 4 !== 0;

function work(step: number, tick: number): void {
  if (growing(step)) {
    const buffer = new ArrayBuffer(4 * MiB);
    new Uint8Array(buffer).fill(tick + 1); // written, so its pages are resident
    buffers.push(buffer);
    const batch = [];
    for (let i = 0; i < 15_000; i++) {
      batch.push({ id: i, name: `r${step}.${i}`, tags: ["a", "b"] });
    }
    records.push(batch);
  } else if (tick === 0) {
    buffers.splice(0, Math.ceil(buffers.length / 2));
    records.splice(0, Math.ceil(records.length / 2));
  }
}

function summary(step: number): string {
  return growing(step)
    ? `allocated ${LOG_EVERY * 4} MiB of ArrayBuffers and ${
      (LOG_EVERY * 15_000).toLocaleString("en-US")
    } objects`
    : `freed half: ${buffers.length} buffers and ${records.length} object batches left`;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

const out = io();
const { seconds, json } = options(out.args);

// Go's textui.LiveMemUseUpdateInterval is 1 s; a demo wants to move faster.
LiveMemUse.updateInterval = 200;
// One field for the whole program, put on every log line: it samples at
// most once per interval, however many lines print it.
const mem = new LiveMemUse();

const live = out.tty && !json;
const CLEAR = "\r\x1b[K"; // back to column 0, erase the line

function log(step: number, msg: string): void {
  if (json) {
    out.write(
      JSON.stringify({ time: new Date().toISOString(), step, msg, mem }) + "\n",
    );
  } else {
    out.write(`${live ? CLEAR : ""}step ${step}: ${msg} mem=${mem}\n`);
  }
}

const steps = Math.max(1, Math.round(seconds * 1000 / TICK_MS / LOG_EVERY));
log(0, `start: ${steps} steps over ${seconds} s`);
for (let step = 1; step <= steps; step++) {
  for (let tick = 0; tick < LOG_EVERY; tick++) {
    work(step, tick);
    if (live) out.write(`${CLEAR}mem=${mem}`);
    await sleep(TICK_MS);
  }
  log(step, summary(step));
}
// The headroom, from the same field: its JSON carries the peak rss and the
// heap limit where the runtime knows them cheaply.
const { runtime, peakRss, heapLimit } = mem.toJSON();
const size = (bytes: number | undefined): string =>
  bytes === undefined ? "unknown" : sprintf("%.1f", iec(bytes, "B"));
log(
  steps + 1,
  `headroom: peak rss ${size(peakRss)}, heap limit ${
    heapLimit === undefined ? `not known on ${runtime}` : size(heapLimit)
  }`,
);
buffers.length = 0;
records.length = 0;
await sleep(TICK_MS * LOG_EVERY);
log(
  steps + 2,
  "done: released everything (the runtime reclaims it at its next GC)",
);
