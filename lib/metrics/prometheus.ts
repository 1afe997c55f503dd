/**
 * {@link prometheus}: the figures of a `LiveMemUse` as a Prometheus
 * exposition, for a `/metrics` endpoint.
 *
 * @module
 */

import { exposition } from "./exposition.ts";
import { sourceOption, type SourceOptions } from "./source.ts";

/** The content type to serve the exposition with: text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE =
  "text/plain; version=0.0.4; charset=utf-8";

/** Options of {@link prometheus}. */
export type PrometheusOptions = SourceOptions;

/**
 * Makes the function a `/metrics` handler calls: each call gives the text
 * exposition (format 0.0.4) of the field's current sample, to serve with
 * `PROMETHEUS_CONTENT_TYPE`. A call reads `mem.toJSON()` once, so a scrape
 * costs at most one sample, and none when the field sampled less than its
 * interval ago; the text is kept while the sample is the same. Prometheus
 * adds the `job` and `instance` labels; livemem adds `runtime`. Never
 * throws: a failing source gives an empty exposition.
 *
 * @param opts Where the figures come from.
 * @returns A function giving the exposition text.
 * @throws {TypeError} When `opts` is not an object or `mem` is not a
 * `LiveMemUse`.
 *
 * @example Serving it
 * ```ts
 * import { prometheus, PROMETHEUS_CONTENT_TYPE } from "./prometheus.ts";
 * const metrics = prometheus();
 * const handle = () =>
 *   new Response(metrics(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } });
 * const text = await handle().text();
 * if (!/^process_resident_memory_bytes\{runtime="\w+"\} \d+$/m.test(text)) throw new Error(text);
 * ```
 */
export function prometheus(opts: PrometheusOptions = {}): () => string {
  const mem = sourceOption(opts);
  let last: object | undefined;
  let text = "";
  return () => {
    try {
      const json = mem.toJSON();
      // toJSON() gives the same object until the next sample.
      if (json !== last) {
        text = exposition(json);
        last = json;
      }
      return text;
    } catch {
      last = undefined;
      return text = "";
    }
  };
}
