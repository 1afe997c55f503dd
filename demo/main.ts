/**
 * The demo program: the workload, its log lines and the live line.
 *
 * @module
 */

import { iec, LiveMemUse, sprintf } from "../mod.ts";
import { fitLive, liveForms, wrapLog } from "./layout.ts";
import { LiveLine } from "./live_line.ts";
import { parseArgs, USAGE } from "./options.ts";
import { openTerminal, sleep, type Terminal } from "./terminal.ts";
import { Workload } from "./workload.ts";

const TICK_MS = 100; // the live line redraws about this often
const TICKS_PER_STEP = 3; // a log line every 3 ticks
// Go's textui.LiveMemUseUpdateInterval is 1 s; a demo wants to move faster.
const SAMPLE_MS = 200;

/** How a run of `seconds` is cut into steps of ticks. */
export interface Plan {
  /** Steps, one log line each: at least 1. */
  steps: number;
  /** Milliseconds a tick lasts, so that the steps last `seconds`. */
  tickMs: number;
}

/** Steps of about {@link TICKS_PER_STEP} × 100 ms that last `seconds` in all. */
export function plan(seconds: number): Plan {
  const steps = Math.max(
    1,
    Math.round(seconds * 1000 / (TICK_MS * TICKS_PER_STEP)),
  );
  return { steps, tickMs: seconds * 1000 / (steps * TICKS_PER_STEP) };
}

const size = (bytes: number | undefined): string =>
  bytes === undefined ? "unknown" : sprintf("%.1f", iec(bytes, "B"));
const plural = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? "" : "s"}`;

/** Prints log lines and, on a terminal, keeps the live line under them. */
class Screen {
  readonly #term: Terminal;
  readonly #mem: LiveMemUse;
  readonly #json: boolean;
  readonly #live: LiveLine | undefined;

  constructor(term: Terminal, mem: LiveMemUse, json: boolean) {
    this.#term = term;
    this.#mem = mem;
    this.#json = json;
    this.#live = term.tty && !json ? new LiveLine() : undefined;
  }

  get live(): boolean {
    return this.#live !== undefined;
  }

  /**
   * A log line, `head mem=…` or a JSON object with `fields`; it replaces
   * the live line, which the next {@link draw} puts back under it.
   */
  log(head: string, fields: Record<string, unknown> = {}): void {
    const mem = this.#mem;
    if (this.#json) {
      const record = {
        time: new Date().toISOString(),
        ...fields,
        msg: head,
        mem,
      };
      this.#term.write(JSON.stringify(record) + "\n");
    } else if (this.#live === undefined) {
      this.#term.write(`${head} mem=${mem}\n`);
    } else {
      const width = this.#term.width();
      this.#term.write(
        this.#live.print(wrapLog(head, `mem=${mem}`, width), width),
      );
    }
  }

  /** Redraws the live line, in the longest form that fits the width now. */
  draw(): void {
    if (this.#live === undefined) return;
    const width = this.#term.width();
    const forms = liveForms(String(this.#mem), this.#mem.toJSON());
    this.#term.write(this.#live.draw(fitLive(forms, width), width));
  }

  /** Erases the live line, if it is on screen. */
  clear(): void {
    if (this.#live?.shown) {
      this.#term.write(this.#live.clear(this.#term.width()));
    }
  }
}

async function run(
  term: Terminal,
  seconds: number,
  json: boolean,
): Promise<void> {
  const { steps, tickMs } = plan(seconds);
  // One field for the whole program, put on every log line: it samples at
  // most once per interval, however many lines print it.
  const mem = new LiveMemUse({ interval: SAMPLE_MS });
  const screen = new Screen(term, mem, json);
  const work = new Workload();
  const stop = screen.live
    ? [
      term.onResize(() => screen.draw()),
      term.onInterrupt(() => screen.clear()),
    ]
    : [];
  try {
    screen.log(
      `start: ${plural(steps, "step")} over ${Number(seconds.toFixed(3))} s`,
      { steps },
    );
    for (let step = 1; step <= steps && !term.closed; step++) {
      for (let tick = 0; tick < TICKS_PER_STEP && !term.closed; tick++) {
        work.tick(step, tick);
        screen.draw();
        await sleep(tickMs);
      }
      screen.log(
        `step ${step}/${steps}: ${work.summary(step, TICKS_PER_STEP)}`,
        { step },
      );
    }
    if (term.closed) return;
    // The headroom, from the same field: its JSON carries the peak rss and
    // the heap limit where the runtime knows them cheaply.
    const { runtime, peakRss, heapLimit } = mem.toJSON();
    const limit = heapLimit === undefined
      ? `not known on ${runtime}`
      : size(heapLimit);
    screen.log(`headroom: peak rss ${size(peakRss)}, heap limit ${limit}`);
    work.release();
    screen.draw();
    await sleep(tickMs * TICKS_PER_STEP);
    screen.log(
      "done: released everything; the next GC reclaims it",
    );
  } finally {
    for (const fn of stop) fn();
    screen.clear(); // after a failure: the screen stays tidy
    work.release();
  }
}

/**
 * Runs the demo: parses `args`, prints the usage for `--help`, else runs
 * the workload with its log lines (and, on a terminal, the live line).
 *
 * @param args The arguments after the program's name; by default the
 * process's own (`Deno.args`, `process.argv.slice(2)`).
 * @returns The exit code: 0 when it ran (also when the reader of its
 * output left early), 2 for a bad argument (the message is on stderr).
 */
export async function main(args?: readonly string[]): Promise<number> {
  const term = openTerminal();
  let options;
  try {
    options = parseArgs(args ?? term.args);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    term.writeError(
      `livemem demo: ${e.message}\nRun it with --help for the usage.\n`,
    );
    return 2;
  }
  if (options.help) {
    term.write(USAGE);
    return 0;
  }
  await run(term, options.seconds, options.json);
  return 0;
}
