/**
 * A Prometheus endpoint on Node.js (22.6 and later strip the types), with
 * `node:http` on 127.0.0.1:
 *
 *     node examples/metrics_node.ts 9464
 *     curl http://127.0.0.1:9464/metrics
 *
 * The port is the first argument, else `PORT`, else 9464. `/alloc?mib=64`
 * keeps 64 MiB more, to watch `process_resident_memory_bytes` move.
 *
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { portFrom, route } from "./metrics_app.ts";

const server = createServer((request, response) => {
  const { status, type, body } = route(
    new URL(request.url ?? "/", "http://127.0.0.1"),
  );
  response.writeHead(status, { "content-type": type }).end(body);
});
server.listen(portFrom(process.argv[2], process.env.PORT), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`metrics on http://127.0.0.1:${port}/metrics`);
});
