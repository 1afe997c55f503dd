// Soak tests: millions of reads of a LiveMemUse and a flood of distinct
// format strings, with the retained JS heap measured after a forced full GC
// before and after. The growth must stay under the bound in each test name.
//
// CI sizes are smaller; LIVEMEM_SOAK=full runs the full ones (10,000,000
// cached reads, 100,000 refreshing reads, 1,000,000 distinct formats).
//
// A forced GC without flags: `Bun.gc(true)` on Bun; on Node and Deno,
// `--expose-gc` set at run time through node:v8, then `gc` taken from a new
// vm context (the flag applies to contexts created after it).
import { test } from "node:test";
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { LiveMemUse, Printer, sprintf } from "../mod.ts";
import { MiB, runtime } from "./_memory.ts";
import { BUN_LINE } from "./support/mem_line.ts";

const env =
  (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process?.env ?? {};
const FULL = env.LIVEMEM_SOAK === "full";
const CACHED_READS = FULL ? 10_000_000 : 1_000_000;
const REFRESHING_READS = FULL ? 100_000 : 20_000;
const FORMATS = FULL ? 1_000_000 : 200_000;
const LONG_FORMATS = FULL ? 100_000 : 20_000;
// Bun stops a test after 5 s unless told otherwise; the full sizes take longer.
const SLOW = { timeout: 300_000 };

const g = globalThis as unknown as {
  Bun?: { gc(force: boolean): void };
  process: { memoryUsage(): { heapUsed: number } };
};

/** A full, synchronous garbage collection. */
const collect: () => void = g.Bun ? () => g.Bun!.gc(true) : (() => {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
})();

/** The JS heap still in use after a full collection, in bytes. */
function retained(): number {
  collect();
  collect();
  return g.process.memoryUsage().heapUsed;
}

const fmtMiB = (bytes: number): string => (bytes / MiB).toFixed(2) + " MiB";
const FIGURE = String.raw`-?[\d,]+\.\d(?:[KMGTPEZY]i)?B`;
// Bun's line is its own: see support/mem_line.ts.
const LINE = runtime === "bun"
  ? new RegExp(`^${BUN_LINE}$`)
  : new RegExp(String.raw`^rss=${FIGURE} \(heap=${FIGURE} `);

/**
 * Runs `work` once to warm it up, measures the retained heap, runs it for
 * real, measures again, prints the figures and checks the growth.
 */
function soak(
  name: string,
  boundMiB: number,
  warm: () => void,
  work: () => void,
): void {
  warm();
  const before = retained();
  const started = performance.now();
  work();
  const seconds = (performance.now() - started) / 1000;
  const after = retained();
  const growth = after - before;
  console.log(
    `[soak] ${runtime} ${name}: ${seconds.toFixed(2)} s, retained heap ${
      fmtMiB(before)
    } -> ${fmtMiB(after)} (growth ${fmtMiB(growth)}, bound ${boundMiB} MiB)`,
  );
  assert.ok(
    growth < boundMiB * MiB,
    `${name}: the retained heap grew by ${fmtMiB(growth)}`,
  );
}

test(
  "the measurement works: dropped objects are collected, a leaking cache is seen",
  SLOW,
  () => {
    const before = retained();
    let junk: object[] | undefined = [];
    for (let i = 0; i < 400_000; i++) junk.push({ i, s: `x${i}` });
    const full = retained();
    assert.ok(full - before > 8 * MiB, `${fmtMiB(full - before)} held`);
    assert.equal(junk.length, 400_000); // junk is live up to here
    junk = undefined;
    const after = retained();
    assert.ok(after - before < 2 * MiB, `${fmtMiB(after - before)} left`);
    // What an unbounded format cache would hold after the flood below: its
    // keys alone break that test's 4 MiB bound.
    const leak = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      leak.set(`request ${i} from %s took %d ms (%.1f%%)`, i);
    }
    const leaked = retained() - after;
    assert.ok(leaked > 4 * MiB, `a leaking cache holds ${fmtMiB(leaked)}`);
    assert.equal(leak.size, 200_000);
  },
);

test(
  `LiveMemUse: ${CACHED_READS} cached toString() calls retain < 2 MiB`,
  SLOW,
  () => {
    const mem = new LiveMemUse({ interval: 3_600_000 });
    const text = mem.toString();
    assert.match(text, LINE);
    let chars = 0;
    const read = (n: number): void => {
      for (let i = 0; i < n; i++) chars += mem.toString().length;
    };
    soak(
      `${CACHED_READS} cached reads`,
      2,
      () => read(100_000),
      () => read(CACHED_READS),
    );
    assert.equal(chars, text.length * (CACHED_READS + 100_000));
    assert.equal(mem.toString(), text, "still the cached text");
  },
);

test(
  `LiveMemUse: ${REFRESHING_READS} refreshing toString() calls (and a toJSON() in 100) retain < 2 MiB`,
  SLOW,
  () => {
    const mem = new LiveMemUse({ interval: 0 });
    let bad = 0;
    const read = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const text = mem.toString();
        if (i % 100 === 0) {
          if (!LINE.test(text)) bad++;
          if (!(mem.toJSON().rss! > 0)) bad++;
        }
      }
    };
    soak(
      `${REFRESHING_READS} refreshing reads`,
      2,
      () => read(2_000),
      () => read(REFRESHING_READS),
    );
    assert.equal(bad, 0, "every checked read had the full line and an rss");
  },
);

test(
  `sprintf: ${FORMATS} distinct format strings retain < 4 MiB (the format cache is bounded)`,
  SLOW,
  () => {
    // The classic mistake: data interpolated into the format string.
    let chars = 0;
    const flood = (from: number, n: number): void => {
      for (let i = from; i < from + n; i++) {
        chars +=
          sprintf(`request ${i} from %s took %d ms (%.1f%%)`, "a", i, 0.5)
            .length;
      }
    };
    soak(`${FORMATS} distinct formats`, 4, () => flood(0, 5_000), () => {
      flood(5_000, FORMATS);
    });
    assert.ok(chars > FORMATS * 30);
    assert.equal(
      sprintf("request 7 from %s took %d ms (%.1f%%)", "b", 7, 12.25),
      "request 7 from b took 7 ms (12.2%)",
      "still formats correctly",
    );
  },
);

test(
  `Printer: ${LONG_FORMATS} distinct formats of 300 characters (too long to cache) retain < 4 MiB`,
  SLOW,
  () => {
    const printer = new Printer({ grouping: true });
    const pad = "%d ".repeat(95);
    const args = Array.from({ length: 96 }, (_, i) => i * 1000);
    let chars = 0;
    const flood = (from: number, n: number): void => {
      for (let i = from; i < from + n; i++) {
        chars += printer.sprintf(`${pad}#${i}: %v`, ...args).length;
      }
    };
    soak(`${LONG_FORMATS} long formats`, 4, () => flood(0, 1_000), () => {
      flood(1_000, LONG_FORMATS);
    });
    assert.ok(pad.length + 4 > 256, "longer than the cached maximum");
    assert.ok(chars > LONG_FORMATS * 300);
  },
);
