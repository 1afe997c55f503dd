/**
 * {@link observe}: the figures of a `LiveMemUse` as OpenTelemetry
 * observable instruments on a `Meter` the caller passes in.
 *
 * @module
 */

import { optionError } from "../options.ts";
import { OTEL_INSTRUMENTS, type OtelInstrument } from "./otel_instruments.ts";
import type {
  OtelBatchObservableCallback,
  OtelMeter,
  OtelObservable,
} from "./otel_types.ts";
import { figureOf, sourceOption, type SourceOptions } from "./source.ts";

/** Options of {@link observe}. */
export type ObserveOptions = SourceOptions;

/** What {@link observe} returns. */
export interface Observation {
  /**
   * Unregisters the instruments' callback: later collections no longer
   * sample. Calling it again does nothing.
   */
  stop(): void;
}

// The API's ValueType.INT: every figure is a whole number of bytes.
const INT = 0;

const METER_METHODS = [
  "createObservableGauge",
  "createObservableUpDownCounter",
  "addBatchObservableCallback",
  "removeBatchObservableCallback",
] as const;

function checkMeter(meter: unknown): OtelMeter {
  const ok = typeof meter === "object" && meter !== null &&
    METER_METHODS.every((m) =>
      typeof (meter as Record<string, unknown>)[m] === "function"
    );
  if (!ok) throw optionError("meter", "an OpenTelemetry Meter", meter);
  return meter as OtelMeter;
}

function create(meter: OtelMeter, i: OtelInstrument): OtelObservable {
  const options = { description: i.description, unit: "By", valueType: INT };
  return i.kind === "Gauge"
    ? meter.createObservableGauge(i.name, options)
    : meter.createObservableUpDownCounter(i.name, options);
}

/**
 * Registers one observable instrument per livemem figure on `meter` (see
 * the list in docs/metrics.md: `process.memory.usage` and `livemem.memory.*`,
 * all in `By`), with one batch callback: a collection reads `mem.toJSON()`
 * once for all of them, so it costs at most one sample, and none when the
 * field sampled less than its interval ago. A figure the runtime does not
 * know gets no data point. The callback never throws.
 *
 * @param meter An OpenTelemetry `Meter` (`@opentelemetry/api` 1.x).
 * @param opts Where the figures come from.
 * @returns A handle whose `stop()` unregisters the callback.
 * @throws {TypeError} When `meter` lacks a method used here, `opts` is not an
 * object or `mem` is not a `LiveMemUse`.
 *
 * @example Collecting the instruments with the OpenTelemetry SDK
 * ```ts
 * import assert from "node:assert/strict";
 * import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
 * import { observe } from "./observe.ts";
 *
 * class Reader extends MetricReader {
 *   override async onForceFlush() {}
 *   override async onShutdown() {}
 * }
 * const reader = new Reader();
 * const provider = new MeterProvider({ readers: [reader] });
 * const observation = observe(provider.getMeter("livemem"));
 * const { resourceMetrics } = await reader.collect();
 * const names = resourceMetrics.scopeMetrics[0].metrics.map((m) => m.descriptor.name);
 * assert.ok(names.includes("process.memory.usage"));
 * observation.stop();
 * await provider.shutdown();
 * ```
 */
export function observe(
  meter: OtelMeter,
  opts: ObserveOptions = {},
): Observation {
  const m = checkMeter(meter);
  const mem = sourceOption(opts);
  const observables = OTEL_INSTRUMENTS.map((i) => create(m, i));
  const callback: OtelBatchObservableCallback = (result) => {
    try {
      const json = mem.toJSON();
      for (let k = 0; k < OTEL_INSTRUMENTS.length; k++) {
        const v = figureOf(json, OTEL_INSTRUMENTS[k].field);
        if (v !== undefined) result.observe(observables[k], v);
      }
    } catch {
      // A hostile source or result: this collection gets what it got.
    }
  };
  m.addBatchObservableCallback(callback, observables);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      m.removeBatchObservableCallback(callback, observables);
    },
  };
}
