/**
 * The cheapest way to put the field on a JSON line that a logger already
 * made: splice its cached JSON text in as the object's last member, so the
 * logger serializes nothing more per line.
 *
 * @module
 */

import type { LiveMemUse } from "../live_mem_use.ts";

const CLOSE = 125; // }
const OPEN = 123; // {
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/**
 * Makes the engine store a concatenation as one flat string (V8 and
 * JavaScriptCore flatten a string when a character is read): copied into
 * every line, a flat string copies faster than a tree of pieces.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

const isSpace = (c: number): boolean =>
  c === SPACE || c === LF || c === CR || c === TAB;

/**
 * Makes a function that adds `"key":<mem.toJSONString()>` to a line holding
 * one JSON object, as its last member, before the closing `}` and any line
 * ending after it (`\n`, `\r\n`, any whitespace). A line that does not
 * start with `{` and end with `}` is returned as it is: the function does
 * not parse the line, it trusts a logger's JSON line to be one object.
 * Never throws.
 *
 * A record that already has the key gets it twice; `JSON.parse` keeps the
 * last, this one.
 *
 * @param mem The field.
 * @param key The member's name (JSON-escaped here).
 * @returns The splicing function.
 *
 * @example A pino line
 * ```ts
 * import assert from "node:assert/strict";
 * import { LiveMemUse } from "../live_mem_use.ts";
 * import { jsonSplicer } from "./splice.ts";
 *
 * const mem = new LiveMemUse();
 * const splice = jsonSplicer(mem, "mem");
 * const line = splice('{"level":30,"msg":"done"}\n');
 * assert.ok(line.endsWith("}}\n"));
 * assert.equal(JSON.parse(line).mem.rss, mem.toJSON().rss);
 * ```
 */
export function jsonSplicer(
  mem: LiveMemUse,
  key: string,
): (line: string) => string {
  const name = JSON.stringify(key);
  // The member's text, rebuilt only when the field's cached text changes (a
  // new sample): between samples a line costs the field's cached read, an
  // identity comparison and the concatenations a constant would cost.
  let text = "";
  let member = "";
  let comma = "";
  return (line) => {
    if (typeof line !== "string") return line;
    const json = mem.toJSONString();
    if (json !== text) {
      text = json;
      member = flat(name + ":" + json);
      comma = flat("," + member);
    }
    const n = line.length;
    // The common line: `{…x}\n`, x ending a member's value.
    if (
      line.charCodeAt(n - 1) === LF && line.charCodeAt(n - 2) === CLOSE &&
      line.charCodeAt(0) === OPEN && !isSpace(line.charCodeAt(n - 3)) &&
      line.charCodeAt(n - 3) !== OPEN
    ) {
      return line.slice(0, n - 2) + comma + "}\n";
    }
    return spliceAny(line, member, comma);
  };
}

/** The general case of {@link jsonSplicer}: any line ending, `{}`, text. */
function spliceAny(line: string, member: string, comma: string): string {
  let end = line.length - 1;
  let c = line.charCodeAt(end);
  while (isSpace(c)) c = line.charCodeAt(--end);
  // Only a line that is one object: `{` first (loggers write no whitespace
  // before it) and `}` last.
  if (c !== CLOSE || line.charCodeAt(0) !== OPEN) return line;
  // In valid JSON only `{` (and whitespace) can come right before the
  // closing `}` of an object with no member yet: then no comma.
  let before = end - 1;
  while (isSpace(line.charCodeAt(before))) before--;
  const head = line.slice(0, end);
  return head + (line.charCodeAt(before) === OPEN ? member : comma) +
    line.slice(end);
}
