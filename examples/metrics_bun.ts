/**
 * A Prometheus endpoint on Bun, with `Bun.serve` on 127.0.0.1:
 *
 *     bun examples/metrics_bun.ts 9464
 *     curl http://127.0.0.1:9464/metrics
 *
 * The port is the first argument, else `PORT`, else 9464. `/alloc?mib=64`
 * keeps 64 MiB more, to watch `process_resident_memory_bytes` move.
 *
 * @module
 */
import { portFrom, route } from "./metrics_app.ts";

// Bun's types are not installed: the part of its API used here.
declare const Bun: {
  serve(opts: {
    hostname: string;
    port: number;
    fetch(request: Request): Response;
  }): { port: number };
};

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: portFrom(process.argv[2], process.env.PORT),
  fetch(request) {
    const { status, type, body } = route(new URL(request.url));
    return new Response(body, { status, headers: { "content-type": type } });
  },
});
console.log(`metrics on http://127.0.0.1:${server.port}/metrics`);
