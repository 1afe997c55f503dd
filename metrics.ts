/**
 * The live memory use of the process for fleet tools: OpenTelemetry
 * instruments on a `Meter` you pass in, and a Prometheus `/metrics` text
 * with prom-client's metric names, on Deno, Bun and Node alike. Nothing here
 * imports OpenTelemetry or a Prometheus client; the figures come from a
 * `LiveMemUse`, so metrics and log lines share its samples.
 *
 * @example A Prometheus endpoint
 * ```ts
 * import { prometheus, PROMETHEUS_CONTENT_TYPE } from "./metrics.ts";
 *
 * const metrics = prometheus();
 * const respond = () =>
 *   new Response(metrics(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } });
 * const text = await respond().text();
 * if (!text.includes("# TYPE process_resident_memory_bytes gauge\n")) throw new Error(text);
 * ```
 *
 * @example OpenTelemetry instruments
 * ```ts
 * import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
 * import { observe } from "./metrics.ts";
 *
 * class Reader extends MetricReader {
 *   override async onForceFlush() {}
 *   override async onShutdown() {}
 * }
 * const reader = new Reader();
 * const provider = new MeterProvider({ readers: [reader] });
 * const observation = observe(provider.getMeter("livemem"));
 * const { resourceMetrics } = await reader.collect();
 * const [usage] = resourceMetrics.scopeMetrics[0].metrics;
 * if (usage.descriptor.name !== "process.memory.usage") throw new Error();
 * observation.stop();
 * await provider.shutdown();
 * ```
 *
 * @module
 */

export {
  type Observation,
  observe,
  type ObserveOptions,
} from "./lib/metrics/observe.ts";
export type {
  OtelBatchObservableCallback,
  OtelBatchObservableResult,
  OtelInstrumentOptions,
  OtelMeter,
  OtelObservable,
} from "./lib/metrics/otel_types.ts";
export {
  OTEL_INSTRUMENTS,
  type OtelInstrument,
  type OtelInstrumentKind,
} from "./lib/metrics/otel_instruments.ts";
export {
  prometheus,
  PROMETHEUS_CONTENT_TYPE,
  type PrometheusOptions,
} from "./lib/metrics/prometheus.ts";
export {
  PROMETHEUS_METRICS,
  type PrometheusMetric,
} from "./lib/metrics/prometheus_names.ts";
export type { MemSource, SourceOptions } from "./lib/metrics/source.ts";
