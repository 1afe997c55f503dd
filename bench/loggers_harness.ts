/**
 * The harness of bench/harness.ts (warm-up, calibrated chunks of ~0.3 ms,
 * batches, rounds interleaved in a rotated order, medians), for loggers:
 * every timed batch ends by yielding to the event loop, inside the timing.
 *
 * A logger may leave work for later: winston's streams queue a
 * `process.nextTick` callback per line, and a loop that never yields piles
 * them up (hundreds of MB over a run) and never pays for them. A service
 * yields between requests, so each batch here does too, once, after its
 * last line: the deferred work is timed with the lines that made it, and
 * one yield per ~20 ms batch adds nothing measurable to the others.
 *
 * The clock is the process's CPU time (`process.cpuUsage()`, user plus
 * system, in every runtime) unless told otherwise: on a machine shared with
 * other jobs, a batch's wall time counts the time the process waited for a
 * core, which hits cases unevenly; its CPU time does not. It also counts the
 * runtime's helper threads (concurrent GC, JIT), which is work the lines
 * caused, and the write system calls.
 *
 * @module
 */

import process from "node:process";
import { setImmediate } from "node:timers";
import { type Case, type CaseResult, median } from "./harness.ts";

/** Harness options. */
export interface AsyncHarnessOptions {
  /** Rounds of measurement; the medians are over these. */
  rounds: number;
  /** Target duration of one batch, in ms. */
  batchMs: number;
  /** Warm-up time per case, in ms, before calibration. */
  warmupMs: number;
  /** Called after each round, for progress output. */
  onRound?: (round: number) => void;
  /**
   * `cpu`: the process's CPU time; `wall`: `performance.now()`.
   *
   * @default {"cpu"}
   */
  clock?: "cpu" | "wall";
}

const CHUNK_MS = 0.3;
const perf = performance;

/** The process's CPU time (user + system), in ms. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

let clock: () => number = cpuNow;

let sinkValue = 0;

/** The sink: every result is folded in, and it is read at the end. */
export function asyncSink(): number {
  return sinkValue;
}

/** Lets the event loop run what the logger queued (ticks, microtasks). */
function drain(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Times `reps` calls of `run(chunk)` and the drain after them, in ms. */
async function timeBatch(c: Case, chunk: number, reps: number) {
  let acc = 0;
  const t0 = clock();
  for (let i = 0; i < reps; i++) acc += c.run(chunk);
  await drain();
  const t1 = clock();
  sinkValue = (sinkValue + (acc | 0)) | 0;
  return t1 - t0;
}

/** The chunk (about CHUNK_MS of work) and the chunks per batch. */
async function calibrate(c: Case, batchMs: number): Promise<[number, number]> {
  let chunk = 1;
  for (;;) {
    const t = await timeBatch(c, chunk, 1);
    if (t >= CHUNK_MS / 2 || chunk >= 2 ** 20) {
      chunk = Math.max(1, Math.round(chunk * CHUNK_MS / Math.max(t, 1e-4)));
      break;
    }
    chunk *= t < CHUNK_MS / 32 ? 8 : 2;
  }
  let reps = 1;
  let t = await timeBatch(c, chunk, reps);
  while (t < batchMs / 8) {
    reps *= 2;
    t = await timeBatch(c, chunk, reps);
  }
  return [chunk, Math.max(1, Math.round(reps * batchMs / Math.max(t, 1e-3)))];
}

/** Warms up, calibrates and measures `cases`, interleaved by round. */
export async function runCasesAsync(
  cases: readonly Case[],
  opts: AsyncHarnessOptions,
): Promise<CaseResult[]> {
  clock = opts.clock === "wall" ? () => perf.now() : cpuNow;
  const plan: [number, number][] = [];
  for (const c of cases) {
    const end = perf.now() + opts.warmupMs;
    let k = 1;
    while (perf.now() < end) {
      await timeBatch(c, k, 1);
      if (k < 1 << 10) k *= 2;
    }
    plan.push(await calibrate(c, opts.batchMs));
  }
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    for (let j = 0; j < cases.length; j++) {
      const i = (j + r) % cases.length;
      const [chunk, reps] = plan[i];
      const t = await timeBatch(cases[i], chunk, reps);
      samples[i].push(t * 1e6 / (chunk * reps));
    }
    opts.onRound?.(r + 1);
  }
  return cases.map((c, i) => ({
    id: c.id,
    group: c.group,
    label: c.label,
    chunk: plan[i][0],
    reps: plan[i][1],
    samples: samples[i],
    median: median(samples[i]),
    min: Math.min(...samples[i]),
    max: Math.max(...samples[i]),
  }));
}
