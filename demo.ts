/**
 * The live demo: a workload that allocates and frees memory, with the
 * memory use of the process on every log line and, on a terminal, a live
 * line under them that follows it. It fits the terminal it runs in (its
 * width, and a resize), stops quietly when the reader of a pipe leaves,
 * and needs no permission on Deno.
 *
 *     deno run jsr:@livemem/livemem/demo
 *     npx livemem
 *     deno run demo.ts --seconds 5        # in a clone; bun demo.ts, node demo.ts (Node >= 22.18)
 *
 * Run as the main module it runs itself; imported, it only exports
 * {@link main}.
 *
 * @example Running it from a program
 * ```ts
 * import { main } from "./demo.ts";
 * const code = await main(["--help"]); // prints the usage
 * if (code !== 0) throw new Error(`exit code ${code}`);
 * ```
 *
 * @module
 */

import { main } from "./demo/main.ts";
import { isMain, setExitCode } from "./demo/terminal.ts";

export { main };

// Run as the program's entry, it runs; imported (as an npm bin script
// does, which then calls main() itself), it does nothing.
if (isMain(import.meta)) main().then(setExitCode);
