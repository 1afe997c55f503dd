/**
 * An edge function that logs every request with the live memory use.
 *
 * Its default export is the `{ fetch }` shape that Cloudflare Workers,
 * `deno serve` (Deno, Deno Deploy) and Bun serve as they are:
 *
 *     deno serve --allow-net examples/edge.ts
 *     bun examples/edge.ts
 *
 * Cloudflare Workers: bundle it (esbuild, `scripts/bundle.mjs`) as the
 * worker module. Supabase Edge and other `Deno.serve` hosts: `Deno.serve(handle)`.
 *
 * Each request is logged as `GET /path mem=…` and answered with the text and
 * the JSON of the field. Where the platform reports nothing (Workers), the
 * text is `unavailable`. Importing it starts nothing.
 *
 * @module
 */
import { LiveMemUse } from "../mod.ts";

/** The field: re-sampled at most once a second, however many requests log it. */
const mem = new LiveMemUse();

/** Logs the request with the mem field and answers with its text and JSON. */
export function handle(request: Request): Response {
  const { pathname } = new URL(request.url);
  console.log(`${request.method} ${pathname} mem=${mem}`);
  return Response.json({ mem: `${mem}`, json: mem.toJSON() });
}

/** The Workers / `deno serve` / Bun module shape. */
export default { fetch: handle };
