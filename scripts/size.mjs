// Reports the minified and gzipped (level 9) size of livemem bundles, and
// checks that importing only `iec` pulls in no sampler code.
//
//   node scripts/size.mjs              a text table
//   node scripts/size.mjs --markdown   a markdown table (for BENCHMARKS.md)
//   node scripts/size.mjs --files      also the minified bytes each file adds
//
// Exits 1 when a budget (docs/contributing.md) is missed or tree-shaking fails.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { bundleWithInputs } from "./bundle.mjs";

// Budgets are decimal kilobytes (the stricter reading of "KB").
const entries = [
  { name: "whole module", source: 'export * from "./mod.ts";', budget: 6000 },
  {
    name: "LiveMemUse alone",
    source: 'export { LiveMemUse } from "./mod.ts";',
    budget: 3000,
  },
  { name: "iec alone", source: 'export { iec } from "./mod.ts";' },
  { name: "sprintf alone", source: 'export { sprintf } from "./mod.ts";' },
];

// Property names that only sampling code reads; minifiers keep them.
export const samplerMarkers = [
  "memoryUsage",
  "resourceUsage",
  "getHeapStatistics",
  "usedJSHeapSize",
  "jsHeapSizeLimit",
];

/** Size of `code` in bytes: minified as given, and gzipped at level 9. */
export function sizes(code) {
  const raw = Buffer.byteLength(code);
  const gz = gzipSync(Buffer.from(code), { level: 9 }).length;
  return { raw, gz };
}

/** The markers of `samplerMarkers` that occur in `code`. */
export function markersIn(code) {
  return samplerMarkers.filter((m) => code.includes(m));
}

async function measure(entry) {
  const { code, inputs } = await bundleWithInputs({ source: entry.source });
  return { ...entry, ...sizes(code), markers: markersIn(code), inputs };
}

function filesTable(rows) {
  return rows.map((r) =>
    `${r.name}: minified bytes per file\n` +
    r.inputs.map((i) => `  ${num(i.bytes).padStart(7)}  ${i.file}`).join("\n")
  ).join("\n");
}

const num = (n) => n.toLocaleString("en-US");

function verdict(row) {
  if (row.budget === undefined) return "";
  return row.gz <= row.budget ? "ok" : `OVER by ${num(row.gz - row.budget)} B`;
}

function textTable(rows) {
  const head = [
    "bundle",
    "minified B",
    "gzip -9 B",
    "budget gz B",
    "",
    "sampler code",
  ];
  const body = rows.map((r) => [
    r.name,
    num(r.raw),
    num(r.gz),
    r.budget === undefined ? "-" : num(r.budget),
    verdict(r),
    r.markers.length ? `yes (${r.markers[0]}, …)` : "none",
  ]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((l) => l[i].length)));
  return all.map((l) =>
    l.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))
      .join("  ").trimEnd()
  ).join("\n");
}

function markdownTable(rows) {
  const lines = [
    "| bundle (esbuild, ESM, minified) | minified | gzip -9 | budget (gzip) | sampler code |",
    "|---|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const budget = r.budget === undefined
      ? "-"
      : `${num(r.budget)} B ${verdict(r)}`;
    const markers = r.markers.length ? `yes (${r.markers.join(", ")})` : "none";
    lines.push(
      `| ${r.name} | ${num(r.raw)} B | ${
        num(r.gz)
      } B | ${budget} | ${markers} |`,
    );
  }
  return lines.join("\n");
}

/** Problems: budgets missed, iec pulling sampler code, markers not found at all. */
function problems(rows) {
  const out = [];
  for (const r of rows) {
    if (r.budget !== undefined && r.gz > r.budget) {
      out.push(`${r.name}: ${verdict(r)}`);
    }
  }
  const iec = rows.find((r) => r.name === "iec alone");
  if (iec.markers.length) {
    out.push(`iec alone pulls in sampler code: ${iec.markers}`);
  }
  const whole = rows.find((r) => r.name === "whole module");
  if (!whole.markers.length) {
    out.push("no sampler marker in the whole module: markers are stale");
  }
  return out;
}

async function main() {
  const rows = [];
  for (const e of entries) rows.push(await measure(e));
  const md = process.argv.includes("--markdown");
  console.log(md ? markdownTable(rows) : textTable(rows));
  if (process.argv.includes("--files")) console.log(`\n${filesTable(rows)}`);
  const bad = problems(rows);
  for (const p of bad) console.error(`size: ${p}`);
  process.exitCode = bad.length ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
