// What every bench needs to know about the runtime running it: its name, a
// version line for the results, and its command-line options.

interface VersionGlobals {
  Deno?: { version: { deno: string; v8: string }; args: string[] };
  Bun?: { version: string };
  process?: { versions: Record<string, string | undefined>; argv: string[] };
}
const g = globalThis as unknown as VersionGlobals;

/** The runtime running the bench. */
export const runtime: "deno" | "bun" | "node" = g.Deno
  ? "deno"
  : g.Bun
  ? "bun"
  : "node";

/** The runtime and its engine, for the results. */
export const version: string = g.Deno
  ? `deno ${g.Deno.version.deno} (V8 ${g.Deno.version.v8})`
  : g.Bun
  ? `bun ${g.Bun.version} (JavaScriptCore)`
  : `node ${g.process?.versions.node} (V8 ${g.process?.versions.v8})`;

/** The bench's own command-line arguments. */
export const args: readonly string[] = g.Deno
  ? g.Deno.args
  : g.process?.argv.slice(2) ?? [];

/** A positive number option `name N`, or `fallback` when absent or bad. */
export function option(name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
