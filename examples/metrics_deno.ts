/**
 * A Prometheus endpoint on Deno, with `Deno.serve` on 127.0.0.1:
 *
 *     deno run --allow-net=127.0.0.1 examples/metrics_deno.ts 9464
 *     curl http://127.0.0.1:9464/metrics
 *
 * The port is the first argument, else `PORT` (read only when
 * `--allow-env=PORT` is granted: no prompt), else 9464. `/alloc?mib=64`
 * keeps 64 MiB more, to watch `process_resident_memory_bytes` move.
 *
 * @module
 */
import { portFrom, route } from "./metrics_app.ts";

const envGranted =
  Deno.permissions.querySync({ name: "env", variable: "PORT" }).state ===
    "granted";
const port = portFrom(
  Deno.args[0],
  envGranted ? Deno.env.get("PORT") : undefined,
);

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ port }) =>
    console.log(`metrics on http://127.0.0.1:${port}/metrics`),
}, (request) => {
  const { status, type, body } = route(new URL(request.url));
  return new Response(body, { status, headers: { "content-type": type } });
});
