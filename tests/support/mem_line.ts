// Bun's real log text, for the tests that match the text of the real
// runtime: Bun has no heap total (its heapTotal leaves large objects out),
// its used part once a collection has measured it, and external and
// arrayBuffers when not 0 (see lib/bun_figures.ts), so its line is
// `rss=… (heapUsed=… ; external=… (arrayBuffers:…))` with any of the parts
// in parentheses left out. Deno's and Node's lines stay with their tests.

const FIGURE = String.raw`-?[\d,]+\.\d(?:[KMGTPEZY]i)?B`;
const EXTERNAL = String.raw`external=${FIGURE}(?: \(arrayBuffers:${FIGURE}\))?`;

/** Bun's plain text (no headroom), as a regular expression source, unanchored. */
export const BUN_LINE = String
  .raw`rss=${FIGURE}(?: \((?:heapUsed=${FIGURE}(?: ; ${EXTERNAL})?|${EXTERNAL})\))?`;

/** Bun's plain text once a collection has run: the used part is known. */
export const BUN_LINE_COLLECTED = String
  .raw`rss=${FIGURE} \(heapUsed=${FIGURE}(?: ; ${EXTERNAL})?\)`;
