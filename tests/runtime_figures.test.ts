// Each runtime's figures in a fresh child of the runtime running the tests
// (tests/fixtures/figures_child.ts): 64 MiB of ArrayBuffers, or of
// Uint8Arrays, and 200,000 objects, read before and after a full collection.
// On Bun the text never shows a negative free or a false 0, and toJSON()
// says the heap figures are as of the last collection; on Deno and Node the
// figures are the runtime's own, unchanged, with no such mark.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runChild, runtimeName } from "./support/child.ts";
import { BUN_LINE } from "./support/mem_line.ts";

const MiB = 2 ** 20;
const FIGURE = String.raw`-?[\d,]+\.\d(?:[KMGTPEZY]i)?B`;
const UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB, GiB: 2 ** 30 };

type Figures = Record<string, number | string | undefined>;
interface Phase {
  phase: "fresh" | "allocated" | "collected";
  raw: Figures;
  text: string;
  json: Figures;
}

/** Runs the child for `kind` and returns its three phases. */
async function phases(kind: "ArrayBuffer" | "Uint8Array"): Promise<Phase[]> {
  const fixture = "tests/fixtures/figures_child.ts";
  const args = runtimeName === "deno"
    ? ["run", "--v8-flags=--expose-gc", fixture, kind]
    : runtimeName === "node"
    ? ["--expose-gc", fixture, kind]
    : [fixture, kind];
  const r = await runChild(args, { timeout: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.phase), [
    "fresh",
    "allocated",
    "collected",
    "kept",
  ]);
  return lines.slice(0, 3);
}

/** Every `free:` figure of a text, in bytes (the sign kept). */
function frees(text: string): number[] {
  return [...text.matchAll(/free:(-?)([\d,]+\.\d)([KMGT]?i?B)/g)].map(
    ([, minus, n, unit]) =>
      (minus ? -1 : 1) * Number(n.replaceAll(",", "")) * UNITS[unit],
  );
}

function checkEveryRuntime(p: Phase, where: string): void {
  assert.equal(p.json.runtime, runtimeName, where);
  for (const free of frees(p.text)) {
    assert.ok(free >= -MiB, `${where}: free ${free} in ${p.text}`);
  }
  if (p.phase !== "fresh") {
    // 64 MiB of ArrayBuffers are live: a 0 would be false.
    assert.ok(!p.text.includes("arrayBuffers:0.0B"), `${where}: ${p.text}`);
  }
}

function checkBun(p: Phase, kind: string, where: string): void {
  const { raw, json, text } = p;
  assert.match(text, new RegExp(`^${BUN_LINE}$`), where);
  assert.equal(json.heapAsOf, "lastGC", `${where}: the staleness mark`);
  assert.ok(!("heapTotal" in json) && !text.includes("free:"), where);
  assert.equal(json.rss, raw.rss, where);
  // 0 is "nothing counted yet": left out, never printed.
  for (const k of ["external", "arrayBuffers"]) {
    if (raw[k] === 0) assert.ok(!(k in json), `${where}: ${k} 0 left out`);
    else assert.equal(json[k], raw[k], `${where}: ${k}`);
  }
  const rawUsed = raw.heapUsed as number;
  const rawExternal = raw.external as number;
  if (p.phase === "fresh") {
    // Bun puts heapTotal in heapUsed until its first collection.
    assert.equal(rawUsed, raw.heapTotal, `${where}: no collection yet`);
    assert.ok(!("heapUsed" in json), `${where}: no used part yet`);
  } else if (p.phase === "allocated") {
    // A collection may have run while the buffers were made.
    if ("heapUsed" in json) {
      assert.equal(json.heapUsed, rawUsed - rawExternal, where);
    } else assert.ok(rawUsed === raw.heapTotal || rawUsed <= rawExternal);
  } else {
    // Right after Bun.gc(true) the used part is exact: the cells only.
    assert.equal(json.heapUsed, rawUsed - rawExternal, where);
    assert.ok((json.heapUsed as number) >= 8 * MiB, `${where}: the objects`);
    assert.ok(rawExternal >= 64 * MiB, `${where}: the buffers in external`);
    assert.ok(
      (json.heapUsed as number) <= rawUsed - 60 * MiB,
      `${where}: the buffers left out of the used part`,
    );
  }
  if (p.phase !== "fresh") {
    if (kind === "ArrayBuffer") {
      assert.ok((json.arrayBuffers as number) >= 64 * MiB, where);
    } else assert.ok(!("arrayBuffers" in json), `${where}: not counted`);
  }
}

function checkDenoOrNode(p: Phase, where: string): void {
  const { raw, json, text } = p;
  assert.ok(!("heapAsOf" in json), `${where}: figures as of the sample`);
  for (const k of ["rss", "heapTotal", "heapUsed", "external"]) {
    assert.equal(json[k], raw[k], `${where}: ${k} unchanged`);
  }
  assert.equal(
    json.heapFree,
    (raw.heapTotal as number) - (raw.heapUsed as number),
  );
  const ab = runtimeName === "node"
    ? String.raw` \(arrayBuffers:${FIGURE}\)`
    : "";
  assert.match(
    text,
    new RegExp(
      String
        .raw`^rss=${FIGURE} \(heap=${FIGURE} \(used:${FIGURE} \+ free:${FIGURE}\) ; external=${FIGURE}${ab} ; other=${FIGURE}\)$`,
    ),
    where,
  );
  if (runtimeName === "deno") {
    assert.ok(!("arrayBuffers" in json), `${where}: Deno's is always 0`);
  } else {
    assert.equal(json.arrayBuffers, raw.arrayBuffers, `${where}: unchanged`);
    if (p.phase !== "fresh") {
      assert.ok((json.arrayBuffers as number) >= 64 * MiB, where);
    }
  }
}

for (const kind of ["ArrayBuffer", "Uint8Array"] as const) {
  test(`real ${runtimeName}: 64 MiB of ${kind}s and 200,000 objects, before and after a full collection`, async () => {
    for (const p of await phases(kind)) {
      const where = `${kind} ${p.phase}: ${JSON.stringify(p)}`;
      checkEveryRuntime(p, where);
      if (runtimeName === "bun") checkBun(p, kind, where);
      else checkDenoOrNode(p, where);
    }
  });
}
