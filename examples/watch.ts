/**
 * The live demo, run from a clone: the same program as `demo.ts`.
 *
 *     deno run examples/watch.ts            # no permission needed
 *     bun examples/watch.ts
 *     node examples/watch.ts                # Node >= 22.18 (type stripping)
 *
 * Options: `--seconds N` (default 3), `--json` (one JSON object a line,
 * the field through `toJSON()`), `--help`.
 *
 * @module
 */
import { main } from "../demo.ts";
import { setExitCode } from "../demo/terminal.ts";

main().then(setExitCode);
