/** A Node-like global scope with fixed figures, for driving the real sampler. */

const MiB = 2 ** 20;

/** How often the fake scope's APIs were called. */
export interface Reads {
  usage: number;
  peak: number;
}

/**
 * A scope whose `process.memoryUsage()` reports rss 2 MiB, heap 1 MiB (half
 * used), external 256 KiB, and whose `resourceUsage().maxRSS` is 3 MiB;
 * `reads` counts the calls of each.
 */
export function fakeNodeScope(): { scope: object; reads: Reads } {
  const reads: Reads = { usage: 0, peak: 0 };
  const scope = {
    process: {
      versions: { node: "24.0.0" },
      memoryUsage: () => (reads.usage++, {
        rss: 2 * MiB,
        heapTotal: MiB,
        heapUsed: MiB / 2,
        external: MiB / 4,
        arrayBuffers: 0,
      }),
      resourceUsage: () => (reads.peak++, { maxRSS: 3 * 1024 }),
    },
  };
  return { scope, reads };
}
