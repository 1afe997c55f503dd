/**
 * An edge function that logs every request with the live memory use.
 *
 * Deno (also Deno Deploy, Supabase Edge):
 *
 *     deno run --allow-net examples/edge.ts
 *
 * Cloudflare Workers: bundle it (it is the `export default { fetch }` shape).
 *
 * Each request is logged as `GET /path mem=…` and answered with the text and
 * the JSON of the field. Where the platform reports nothing (Workers), the
 * text is `unavailable`.
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

/** The Workers module shape. */
export default { fetch: handle };

if (import.meta.main && typeof Deno !== "undefined") Deno.serve(handle);
