/**
 * What the three metrics example servers share: the field, its Prometheus
 * exposition, and the routes, independent of the server API.
 *
 * - `GET /metrics`: the exposition of the current sample.
 * - `GET /alloc?mib=64`: keeps 64 MiB more (filled, so it is resident), to
 *   watch a figure move, and answers with the field's text (of its last
 *   sample, up to a second old).
 *
 * @module
 */
import { LiveMemUse } from "../mod.ts";
import { prometheus, PROMETHEUS_CONTENT_TYPE } from "../metrics.ts";

/** The field: shared by the log lines and the scrapes. */
export const mem: LiveMemUse = new LiveMemUse();
const metrics = prometheus({ mem });
const kept: Uint8Array[] = [];
const MiB = 2 ** 20;

/** An answer, for any server API to send. */
export interface Reply {
  status: number;
  type: string;
  body: string;
}

const text = (status: number, body: string): Reply => ({
  status,
  type: "text/plain; charset=utf-8",
  body: body + "\n",
});

/** Answers one request for `url`. */
export function route(url: URL): Reply {
  if (url.pathname === "/metrics") {
    return { status: 200, type: PROMETHEUS_CONTENT_TYPE, body: metrics() };
  }
  if (url.pathname === "/alloc") {
    const mib = Number(url.searchParams.get("mib") ?? 64);
    if (!Number.isInteger(mib) || mib < 1 || mib > 1024) {
      return text(400, "mib must be an integer from 1 to 1024");
    }
    kept.push(new Uint8Array(mib * MiB).fill(1));
    return text(200, `kept ${total()} MiB; mem=${mem}`);
  }
  return text(404, "try /metrics or /alloc?mib=64");
}

function total(): number {
  let bytes = 0;
  for (const a of kept) bytes += a.byteLength;
  return bytes / MiB;
}

/**
 * The port to listen on: the first argument, else `PORT`, else 9464 (the
 * port OpenTelemetry's Prometheus exporter uses by default).
 */
export function portFrom(arg?: string, env?: string): number {
  const port = Number(arg ?? env ?? 9464);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(
      `port must be an integer from 0 to 65535, got ${arg ?? env}`,
    );
  }
  return port;
}
