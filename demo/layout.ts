/**
 * How the demo's text fits a terminal `width` columns wide: the live line
 * in the longest form that fits, and log lines wrapped at spaces onto
 * indented continuation lines. Pure text; no terminal here.
 *
 * Everything is kept one column short of the width: a line that ends in the
 * last column leaves some terminals about to wrap, and the next character
 * would land on a new row.
 *
 * @module
 */

import { iec, type LiveMemUseJSON, Printer } from "../mod.ts";

/** The indent of a log line's continuation lines. */
export const INDENT = "    ";
/** Narrower than this, log lines are left for the terminal to wrap. */
export const MIN_WRAP_WIDTH = 20;

const printer = /* @__PURE__ */ new Printer({ grouping: true });
// The field's own figure: %.1f of an IEC quantity, digits grouped.
const figure = (bytes: number): string =>
  printer.sprintf("%.1f", iec(bytes, "B"));

/**
 * The forms of the live line, longest first: the field's text itself, then
 * shorter ones in the same notation that leave out the parts a reader can
 * derive (free = heap - used, other = rss - heap - external), then rss alone.
 * A form that needs a figure the sample lacks is left out: a shorter line
 * never shows a number the field does not have.
 *
 * @param text The field's text (`String(mem)`).
 * @param json The field's figures (`mem.toJSON()`).
 * @returns One to five lines, each starting with `mem=`.
 */
export function liveForms(
  text: string,
  json: Partial<LiveMemUseJSON>,
): string[] {
  const forms = [`mem=${text}`];
  const { rss, heapTotal, heapUsed, external } = json;
  if (rss === undefined) return forms;
  const r = figure(rss);
  if (heapTotal !== undefined) {
    if (heapUsed !== undefined && external !== undefined) {
      forms.push(
        `mem=rss=${r} (heap=${figure(heapTotal)} (used:${
          figure(heapUsed)
        }) ; external=${figure(external)})`,
      );
    }
    if (external !== undefined) {
      forms.push(
        `mem=rss=${r} (heap=${figure(heapTotal)} ; external=${
          figure(external)
        })`,
      );
    }
    forms.push(`mem=rss=${r} (heap=${figure(heapTotal)})`);
  }
  forms.push(`mem=rss=${r}`);
  return forms;
}

/**
 * The first of `forms` that fits in `width - 1` columns.
 *
 * @returns The form, or `undefined` when none fits (then no live line is
 * drawn: a figure cut short would be a false one).
 *
 * @example The longest form that fits
 * ```ts
 * import { fitLive } from "./layout.ts";
 * if (fitLive(["mem=a long form", "mem=short"], 12) !== "mem=short") throw new Error();
 * if (fitLive(["mem=short"], 5) !== undefined) throw new Error();
 * ```
 */
export function fitLive(
  forms: readonly string[],
  width: number,
): string | undefined {
  return forms.find((form) => form.length <= width - 1);
}

// Greedy fill: each unit goes on the current line if it fits, else starts
// a new one; a unit wider than a line gets a line of its own.
function fill(
  units: readonly string[],
  max: number,
  first: string,
  lines: string[],
): string {
  let line = first;
  for (const unit of units) {
    if (line === "") line = INDENT + unit;
    else if (line.length + 1 + unit.length <= max) line += " " + unit;
    else {
      lines.push(line);
      line = INDENT + unit;
    }
  }
  return line;
}

/**
 * A log line `head field` as terminal lines of at most `width - 1` columns:
 * one line when it fits; else the head wrapped at its spaces, then the
 * field from a new line, broken preferably after its ` ; ` separators,
 * else at spaces. Continuation lines start with {@link INDENT}. Joining the
 * lines with single spaces, after trimming the indent, gives `head field`
 * back: nothing is cut.
 *
 * @param head The message, such as `step 3/10: allocated …`.
 * @param field The field, such as `mem=rss=… (…)`.
 * @param width The terminal's width in columns.
 * @returns The lines, without line ends.
 *
 * @example A log line at 36 columns
 * ```ts
 * import { wrapLog } from "./layout.ts";
 * const lines = wrapLog("step 1/3: done", "mem=rss=1.0MiB (heap=1.0MiB ; other=0.0B)", 36);
 * if (lines.join("|") !== "step 1/3: done|    mem=rss=1.0MiB (heap=1.0MiB ;|    other=0.0B)") {
 *   throw new Error(lines.join("|"));
 * }
 * ```
 */
export function wrapLog(head: string, field: string, width: number): string[] {
  const max = width - 1;
  const whole = `${head} ${field}`;
  if (width < MIN_WRAP_WIDTH || whole.length <= max) return [whole];
  const lines: string[] = [];
  const [word, ...words] = head.split(" ");
  lines.push(fill(words, max, word, lines));
  const units = field.split(" ; ").flatMap((part, i, parts) => {
    const segment = i < parts.length - 1 ? `${part} ;` : part;
    return INDENT.length + segment.length <= max
      ? [segment]
      : segment.split(" ");
  });
  const last = fill(units, max, "", lines);
  if (last !== "") lines.push(last);
  return lines;
}
