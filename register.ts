/**
 * Live memory lines on stderr for any script, without touching its code:
 * preload this module and it writes one line of `LiveMemUse` text every
 * second, with the peak so far and the heap limit where known, and a last
 * line at exit.
 *
 *     node --import livemem/register app.js              # npm install livemem
 *     bun --preload livemem/register app.ts
 *     deno run --preload jsr:@livemem/livemem/register main.ts   # no permission needed
 *     deno run --allow-env=LIVEMEM_INTERVAL,LIVEMEM_FORMAT --preload jsr:@livemem/livemem/register main.ts
 *
 * `LIVEMEM_INTERVAL` sets the interval in milliseconds (default 1000) and
 * `LIVEMEM_FORMAT=json` writes JSON lines. Deno reads them only with the env
 * permission for them; without it the defaults apply and nothing prompts. A
 * bad value prints one line and the default is used. The timer never keeps
 * the process alive, and the program's own output and exit code are left
 * as they are: the lines go to file descriptor 2 without touching the
 * program's `process.stderr` stream, and when stderr is closed (a pipe to
 * `head`) or fails otherwise, the reporter stops quietly. On a terminal each
 * line first clears the row it starts on (`\r\x1b[K`), so it never lands
 * glued to a program's live progress line. Loading it twice starts one
 * reporter.
 *
 * Importing it is the point: it has that side effect. For a reporter under
 * your own control, use `startReporter` from `@livemem/livemem/integrations`
 * (npm: `livemem/integrations`).
 *
 * @example Preloading it (a shell session)
 * ```sh
 * LIVEMEM_INTERVAL=500 node --import livemem/register app.js
 * # livemem: rss=84.0MiB (heap=13.9MiB (used:10.3MiB + free:3.6MiB) ; external=8.4MiB (arrayBuffers:198.3KiB) ; other=61.6MiB) ; peak=86.1MiB ; limit=4.2GiB
 * # livemem: exit rss=…
 * ```
 *
 * @module
 */
import { startReporter } from "./lib/reporter.ts";

const started = Symbol.for("livemem.register");
const scope = globalThis as { [started]?: unknown };
if (scope[started] === undefined) scope[started] = startReporter();
