/**
 * The demo's command line: `--seconds N`, `--json`, `--help`.
 *
 * @module
 */

/** What the command line asks for. */
export interface DemoOptions {
  /** How long the workload runs, in seconds. */
  seconds: number;
  /** One JSON object a line instead of text. */
  json: boolean;
  /** Print the usage and stop. */
  help: boolean;
}

/** The longest run `--seconds` accepts: an hour. */
export const MAX_SECONDS = 3600;

/** The text `--help` prints. */
export const USAGE =
  `livemem demo: a workload that allocates and frees memory, with the memory
use of the process on every log line and, on a terminal, a live line that
follows it between log lines.

Usage:
  npx livemem [options]
  deno run jsr:@livemem/livemem/demo [options]
  bun demo.ts [options]              (in a clone; also examples/watch.ts)

Options:
  --seconds N   how long the workload runs, in seconds: more than 0,
                at most ${MAX_SECONDS} (default 3)
  --json        one JSON object a line, the field through toJSON()
  -h, --help    print this help and exit
`;

function seconds(value: string | undefined): number {
  if (value === undefined || value === "") {
    throw new RangeError("--seconds needs a value, such as --seconds 3");
  }
  const n = Number(value);
  if (!(n > 0 && n < Infinity)) {
    throw new RangeError(`--seconds must be a number > 0, got ${value}`);
  }
  if (n > MAX_SECONDS) {
    throw new RangeError(
      `--seconds must be at most ${MAX_SECONDS}, got ${value}`,
    );
  }
  return n;
}

/**
 * Reads the demo's arguments.
 *
 * @param args The arguments after the program's name.
 * @returns The options; defaults for those left out.
 * @throws {RangeError} For an unknown argument or a bad `--seconds`; the
 * message names the argument and the value.
 *
 * @example Both forms of an option
 * ```ts
 * import { parseArgs } from "./options.ts";
 * const o = parseArgs(["--seconds=0.5", "--json"]);
 * if (o.seconds !== 0.5 || !o.json || o.help) throw new Error();
 * ```
 */
export function parseArgs(args: readonly string[]): DemoOptions {
  const options: DemoOptions = { seconds: 3, json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") options.help = true;
    else if (arg === "--json") options.json = true;
    else if (arg === "--seconds") options.seconds = seconds(args[++i]);
    else if (arg.startsWith("--seconds=")) {
      options.seconds = seconds(arg.slice("--seconds=".length));
    } else if (arg.startsWith("-")) {
      throw new RangeError(`unknown option ${JSON.stringify(arg)}`);
    } else {
      throw new RangeError(`unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  return options;
}
