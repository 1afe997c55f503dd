/**
 * The Prometheus metrics livemem exposes: prom-client's default names where
 * prom-client has the figure, so dashboards made for it work on Deno and Bun
 * too, and `livemem_` names in the same style for the rest. All are gauges
 * in bytes.
 *
 * @module
 */

/** One metric: which figure it reports, and its name and help text. */
export interface PrometheusMetric {
  /** The `LiveMemUse.toJSON()` field it reports. */
  readonly field: string;
  /** The metric name. */
  readonly name: string;
  /** The `# HELP` text. */
  readonly help: string;
}

/** The metrics, in the order they are written. */
export const PROMETHEUS_METRICS: readonly PrometheusMetric[] = [
  {
    field: "rss",
    name: "process_resident_memory_bytes",
    help: "Resident set size of the process in bytes.",
  },
  {
    field: "heapTotal",
    name: "nodejs_heap_size_total_bytes",
    help: "Size of the JS heap, used and free, in bytes.",
  },
  {
    field: "heapUsed",
    name: "nodejs_heap_size_used_bytes",
    help: "Part of the JS heap in use in bytes.",
  },
  {
    field: "external",
    name: "nodejs_external_memory_bytes",
    help: "Memory outside the JS heap owned by JS objects in bytes.",
  },
  {
    field: "arrayBuffers",
    name: "livemem_array_buffers_bytes",
    help: "Part of the external memory held by ArrayBuffers in bytes.",
  },
  {
    field: "heapLimit",
    name: "livemem_heap_size_limit_bytes",
    help: "Largest size the JS heap may grow to in bytes.",
  },
  {
    field: "peakRss",
    name: "livemem_peak_resident_memory_bytes",
    help: "Largest resident set size of the process so far in bytes.",
  },
  {
    field: "memoryLimit",
    name: "livemem_memory_limit_bytes",
    help:
      "Limit on the resident set size in bytes: the container's or a configured one.",
  },
  {
    field: "headroom",
    name: "livemem_memory_headroom_bytes",
    help:
      "Memory left before the nearest limit, of the heap or the process, in bytes.",
  },
];
