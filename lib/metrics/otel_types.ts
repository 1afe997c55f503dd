/**
 * The part of the OpenTelemetry metrics API that {@link observe} uses,
 * written down structurally so nothing from `@opentelemetry/api` is imported:
 * a `Meter` from any `@opentelemetry/api` 1.x fits these types.
 *
 * @module
 */

/** An observable instrument, as a `Meter` creates it; opaque here. */
export type OtelObservable = object;

/** The options livemem gives when it creates an instrument. */
export interface OtelInstrumentOptions {
  /** What the instrument measures. */
  description?: string;
  /** Its UCUM unit, such as `By`. */
  unit?: string;
  /** `0` is `ValueType.INT`, `1` is `ValueType.DOUBLE`. */
  valueType?: number;
}

/** What a batch observable callback records its observations on. */
export interface OtelBatchObservableResult {
  /** Records one value of one instrument for this collection. */
  observe(
    observable: OtelObservable,
    value: number,
    attributes?: Record<string, string | number | boolean>,
  ): void;
}

/** The callback a collection calls once for all of its instruments. */
export type OtelBatchObservableCallback = (
  result: OtelBatchObservableResult,
) => void;

/** The methods of an OpenTelemetry `Meter` that {@link observe} calls. */
export interface OtelMeter {
  /** Creates an asynchronous gauge. */
  createObservableGauge(
    name: string,
    options?: OtelInstrumentOptions,
  ): OtelObservable;
  /** Creates an asynchronous up-down counter. */
  createObservableUpDownCounter(
    name: string,
    options?: OtelInstrumentOptions,
  ): OtelObservable;
  /** Registers one callback for several observable instruments. */
  addBatchObservableCallback(
    callback: OtelBatchObservableCallback,
    observables: OtelObservable[],
  ): void;
  /** Unregisters a callback given to `addBatchObservableCallback`. */
  removeBatchObservableCallback(
    callback: OtelBatchObservableCallback,
    observables: OtelObservable[],
  ): void;
}
