// The import graph of lib/: no cycle (type-only imports included), and no
// static import of a builtin or a package. Read from the source text, so
// it runs the same under deno, bun and node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = join(import.meta.dirname!, "..");
const LIB = join(ROOT, "lib");

/** The .ts files under lib/, as paths from the repository root. */
function libFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".ts")) out.push(relative(ROOT, path));
    }
  };
  walk(LIB);
  return out.sort();
}

// `import … from "x"`, `import "x"`, `export … from "x"` at the start of a
// line (JSDoc examples start with ` * ` and are not imports of the file).
const STATIC =
  /^(?:import|export)\s[^;]*?\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gm;

/** The modules `file` imports statically, as written. */
function importsOf(source: string): string[] {
  return [...source.matchAll(STATIC)].map((m) => m[1] ?? m[2]);
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of libFiles()) {
    const source = readFileSync(join(ROOT, file), "utf8");
    edges.set(
      file,
      importsOf(source).map((spec) =>
        spec.startsWith(".") ? normalize(join(dirname(file), spec)) : spec
      ),
    );
  }
  return edges;
}

/** A cycle in `edges` as a list of files, or undefined when there is none. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "open") {
      return [...path.slice(path.indexOf(file)), file];
    }
    state.set(file, "open");
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

test("imports: the parser sees static imports and re-exports, not doc examples", () => {
  const source = [
    'import { a } from "./a.ts";',
    'import type {\n  B,\n} from "./b.ts";',
    'export { c } from "./c.ts";',
    'export type { D } from "./d.ts";',
    'import "./e.ts";',
    ' * import { f } from "./f.ts";',
    'const g = "import x from \\"./g.ts\\"";',
  ].join("\n");
  assert.deepEqual(importsOf(source), [
    "./a.ts",
    "./b.ts",
    "./c.ts",
    "./d.ts",
    "./e.ts",
  ]);
  const cyclic = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]]);
  assert.deepEqual(findCycle(cyclic), ["a", "b", "c", "a"]);
  assert.equal(findCycle(new Map([["a", ["b"]], ["b", []]])), undefined);
});

test("imports: lib/ has no import cycle", () => {
  const edges = graph();
  assert.ok(edges.has(join("lib", "runtime.ts")), "lib/ was read");
  assert.ok(
    (edges.get(join("lib", "live_mem_use.ts")) ?? []).length > 0,
    "imports were found",
  );
  const cycle = findCycle(edges);
  assert.equal(cycle, undefined, `a cycle: ${cycle?.join(" -> ")}`);
});

test("imports: lib/ imports only its own files statically", () => {
  for (const [file, specs] of graph()) {
    for (const spec of specs) {
      assert.ok(
        spec.startsWith("lib/") || spec.startsWith(`lib${"\\"}`),
        `${file} imports ${spec}`,
      );
    }
  }
});
