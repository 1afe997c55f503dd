// One Node-like sample with every figure, and the whole of its text: the
// fixture the headroom and LiveMemWatch tests build on.
import type { MemorySample } from "../../lib/samplers.ts";

const MiB = 2 ** 20;

/** A Node sample: 64 MiB rss, a 16 MiB heap, 40 MiB external, a 4 GiB limit. */
export const NODE_SAMPLE: MemorySample = {
  runtime: "node",
  rss: 64 * MiB,
  heapTotal: 16 * MiB,
  heapUsed: 10 * MiB,
  external: 40 * MiB,
  arrayBuffers: 32 * MiB,
  peakRss: 96 * MiB,
  heapLimit: 4 * 1024 * MiB,
};

/** The text of {@link NODE_SAMPLE} without the headroom. */
export const NODE_TEXT =
  "rss=64.0MiB (heap=16.0MiB (used:10.0MiB + free:6.0MiB) ; external=40.0MiB (arrayBuffers:32.0MiB) ; other=8.0MiB)";
