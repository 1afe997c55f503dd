/**
 * A small benchmark harness that runs unchanged on Deno, Bun and Node.
 *
 * Each case is a function `run(k)` that performs its operation `k` times in
 * its own loop and returns a number folded from the results (the sink, so the
 * work cannot be dropped as dead code). Writing the loop inside each case
 * keeps every call site in it monomorphic: a shared `for (…) fn()` loop would
 * make the call megamorphic and add the same few ns to every case, which
 * hides ratios between fast cases.
 *
 * A batch calls `run(k)` many times with a chunk `k` of about 0.3 ms, rather
 * than once with a huge `k`: a function entered once and looping for
 * milliseconds runs on-stack-replaced code, which JITs optimise differently
 * from code entered normally, and which real callers never run.
 *
 * The harness warms every case up, calibrates the chunk and the number of
 * chunks so one batch lasts about `batchMs`, then runs `rounds` rounds; in
 * each round every case runs one batch, in an order rotated from round to
 * round (interleaved, so drift and noise from other processes hit all cases
 * alike). It reports the median ns/op of each case and, for pairs, the median
 * of the per-round ratios.
 *
 * @module
 */

/** One benchmark case. */
export interface Case {
  /** A stable identifier, used in the JSON output. */
  id: string;
  /** The group it belongs to (cases of a group are compared). */
  group: string;
  /** What it measures, for the tables. */
  label: string;
  /** Runs the operation `k` times; returns a value folded from the results. */
  run: (k: number) => number;
  /**
   * A fixed chunk, for cases that walk an input array: a batch then runs a
   * whole number of passes when `quantum` is the array's length.
   */
  chunk?: number;
  /** Operations per batch must be a multiple of this (one pass). */
  quantum?: number;
}

/** Harness options. */
export interface HarnessOptions {
  /** Rounds of measurement; the medians are over these. */
  rounds: number;
  /** Target duration of one batch, in ms. */
  batchMs: number;
  /** Warm-up time per case, in ms, before calibration. */
  warmupMs: number;
  /** Called after each round, for progress output. */
  onRound?: (round: number) => void;
}

/** The measurements of one case. */
export interface CaseResult {
  id: string;
  group: string;
  label: string;
  /** Operations per `run` call. */
  chunk: number;
  /** `run` calls per batch. */
  reps: number;
  /** ns per operation, one per round, in round order. */
  samples: number[];
  /** Median of `samples`. */
  median: number;
  /** Smallest and largest sample. */
  min: number;
  max: number;
}

let sinkValue = 0;

/** The sink: every result is folded in, and it is read at the end. */
export function sink(): number {
  return sinkValue;
}

const now: () => number = typeof performance !== "undefined"
  ? () => performance.now()
  : Date.now;

const CHUNK_MS = 0.3;

/** Times `reps` calls of `run(chunk)`, in ms. */
function timeBatch(c: Case, chunk: number, reps: number): number {
  let acc = 0;
  const t0 = now();
  for (let i = 0; i < reps; i++) acc += c.run(chunk);
  const t1 = now();
  sinkValue = (sinkValue + (acc | 0)) | 0;
  return t1 - t0;
}

/** Finds the chunk (about CHUNK_MS) and the number of chunks per batch. */
function calibrate(c: Case, batchMs: number): [number, number] {
  let chunk = c.chunk ?? 1;
  if (c.chunk === undefined) {
    for (;;) {
      const t = timeBatch(c, chunk, 1);
      if (t >= CHUNK_MS / 2 || chunk >= 2 ** 24) {
        chunk = Math.max(1, Math.round(chunk * CHUNK_MS / Math.max(t, 1e-4)));
        break;
      }
      chunk *= t < CHUNK_MS / 32 ? 8 : 2;
    }
  }
  // Time a few chunks together: one alone is too short for a coarse clock.
  let reps = 1;
  let t = timeBatch(c, chunk, reps);
  while (t < batchMs / 8) {
    reps *= 2;
    t = timeBatch(c, chunk, reps);
  }
  reps = Math.max(1, Math.round(reps * batchMs / Math.max(t, 1e-3)));
  if (c.quantum !== undefined) {
    // Whole passes over the input only.
    const per = Math.max(1, Math.round(c.quantum / chunk));
    reps = Math.max(per, Math.round(reps / per) * per);
  }
  return [chunk, reps];
}

/** The median of a list of numbers (mean of the middle two when even). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Warms up, calibrates and measures `cases`, interleaved by round. */
export function runCases(
  cases: readonly Case[],
  opts: HarnessOptions,
): CaseResult[] {
  const plan: [number, number][] = [];
  for (const c of cases) {
    // Warm-up: run until the JIT has had warmupMs to settle.
    const end = now() + opts.warmupMs;
    let k = c.chunk ?? 1;
    while (now() < end) {
      timeBatch(c, k, 1);
      if (c.chunk === undefined && k < 1 << 16) k *= 2;
    }
    plan.push(calibrate(c, opts.batchMs));
  }
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    for (let j = 0; j < cases.length; j++) {
      // Rotate the order so no case always runs right after the same one.
      const i = (j + r) % cases.length;
      const [chunk, reps] = plan[i];
      const t = timeBatch(cases[i], chunk, reps);
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

/**
 * The median over rounds of `subject / baseline`, measured in the same round.
 *
 * @throws {Error} when either id is not among `results`: a mistyped id must
 * stop the run, not print a ratio of NaN or drop it.
 */
export function pairedRatio(
  results: readonly CaseResult[],
  subject: string,
  baseline: string,
): number {
  const find = (id: string) => {
    const r = results.find((x) => x.id === id);
    if (r === undefined) throw new Error(`bench: no case with id ${id}`);
    return r;
  };
  const s = find(subject);
  const b = find(baseline);
  return median(s.samples.map((x, i) => x / b.samples[i]));
}
