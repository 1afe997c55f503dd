/**
 * livemem's OpenTelemetry instruments, collected once by the real SDK and
 * printed, one line per metric: name, unit, point type, value.
 *
 *     deno run -A examples/metrics_otel.ts
 *     bun examples/metrics_otel.ts
 *     node examples/metrics_otel.ts
 *
 * In a service, give `observe()` the `Meter` of the provider your exporter
 * (OTLP, Prometheus…) reads, and the `LiveMemUse` your log lines print.
 *
 * @module
 */
import {
  DataPointType,
  MeterProvider,
  MetricReader,
} from "@opentelemetry/sdk-metrics";
import { LiveMemUse } from "../mod.ts";
import { observe } from "../metrics.ts";

/** A reader that collects when asked, as a pull exporter does. */
class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const mem = new LiveMemUse();
const reader = new PullReader();
const provider = new MeterProvider({ readers: [reader] });
const observation = observe(provider.getMeter("livemem"), { mem });

const { resourceMetrics } = await reader.collect();
for (const scope of resourceMetrics.scopeMetrics) {
  for (const m of scope.metrics) {
    const kind = m.dataPointType === DataPointType.GAUGE
      ? "gauge"
      : "sum (not monotonic)";
    const point = m.dataPoints[0];
    console.log(
      `${m.descriptor.name} [${m.descriptor.unit}] ${kind} ${
        JSON.stringify(point.attributes)
      } ${point.value}`,
    );
  }
}
console.log(`mem=${mem}`);
observation.stop();
await provider.shutdown();
