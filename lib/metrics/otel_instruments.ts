/**
 * The OpenTelemetry instruments livemem registers: one per figure of
 * `LiveMemUse.toJSON()`, named after the semantic conventions where they
 * define the figure (`process.memory.usage`) and under `livemem.` in the
 * same style where they do not. All are in bytes (UCUM `By`).
 *
 * The conventions' `v8js.memory.heap.*` metrics are left out: they are per
 * heap space (their `v8js.heap.space.name` attribute is required), and
 * per-space statistics are not part of a livemem sample.
 *
 * @module
 */

/** How a figure is recorded: an up-down counter for sizes, else a gauge. */
export type OtelInstrumentKind = "UpDownCounter" | "Gauge";

/** One instrument: which figure it reports and how. */
export interface OtelInstrument {
  /** The `LiveMemUse.toJSON()` field it reports. */
  readonly field: string;
  /** The instrument name. */
  readonly name: string;
  /** The instrument kind (always observable). */
  readonly kind: OtelInstrumentKind;
  /** The instrument description. */
  readonly description: string;
}

/**
 * The instruments, in the order they are created. Sizes that add up over
 * processes are up-down counters, as the conventions make
 * `process.memory.usage` and their limits; the peak rss is a gauge, since a
 * sum of peaks is no peak.
 */
export const OTEL_INSTRUMENTS: readonly OtelInstrument[] = [
  {
    field: "rss",
    name: "process.memory.usage",
    kind: "UpDownCounter",
    description: "Resident set size of the process.",
  },
  {
    field: "heapTotal",
    name: "livemem.memory.heap.size",
    kind: "UpDownCounter",
    description: "Size of the JS heap, used and free.",
  },
  {
    field: "heapUsed",
    name: "livemem.memory.heap.used",
    kind: "UpDownCounter",
    description: "Part of the JS heap in use.",
  },
  {
    field: "heapLimit",
    name: "livemem.memory.heap.limit",
    kind: "UpDownCounter",
    description: "Largest size the JS heap may grow to.",
  },
  {
    field: "external",
    name: "livemem.memory.external",
    kind: "UpDownCounter",
    description: "Memory outside the JS heap owned by JS objects.",
  },
  {
    field: "arrayBuffers",
    name: "livemem.memory.array_buffers",
    kind: "UpDownCounter",
    description: "Part of the external memory held by ArrayBuffers.",
  },
  {
    field: "peakRss",
    name: "livemem.memory.peak_usage",
    kind: "Gauge",
    description: "Largest resident set size of the process so far.",
  },
  {
    field: "memoryLimit",
    name: "livemem.memory.limit",
    kind: "UpDownCounter",
    description:
      "Limit on the resident set size: the container's or a configured one.",
  },
  {
    field: "headroom",
    name: "livemem.memory.headroom",
    kind: "UpDownCounter",
    description:
      "Memory left before the nearest limit, of the heap or the process.",
  },
];
