// What the logger integration tests share: a stream that keeps what a
// logger writes, and a field whose figures the test knows exactly.
import { Writable } from "node:stream";
import { LiveMemUse } from "../../mod.ts";
import type { MemorySample } from "../../lib/samplers.ts";
import { MiB } from "../_memory.ts";

/** A writable stream that keeps what is written, one chunk a line. */
export function collector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}

/**
 * A field over a sampler whose rss is 1 MiB times the number of samples
 * taken (heapTotal 1024 and heapUsed 512 times it, external 0, and `extra`),
 * and a clock the test sets: `clock.t = 2000` makes the next read re-sample
 * (interval 1000).
 */
export function countingField(
  extra: Partial<MemorySample> = {},
): { mem: LiveMemUse; clock: { t: number } } {
  const clock = { t: 0 };
  let n = 0;
  const mem = new LiveMemUse({
    interval: 1000,
    now: () => clock.t,
    sampler: {
      runtime: "node",
      sample: () => {
        n++;
        return {
          runtime: "node",
          rss: n * MiB,
          heapTotal: n * 1024,
          heapUsed: n * 512,
          external: 0,
          ...extra,
        };
      },
    },
  });
  return { mem, clock };
}
