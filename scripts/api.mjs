// Writes docs/api.md, the API reference, from the JSDoc of every entry in
// deno.json "exports" (read with `deno doc --json`), so the page lists what
// the code exports, with the options and defaults its JSDoc gives.
//
//   node scripts/api.mjs           write docs/api.md
//   node scripts/api.mjs --check   exit 1 when docs/api.md is not up to date
//
// The page goes through `deno fmt`, so it is what `deno fmt --check` expects.
// Plain JavaScript for Node >= 20; Deno from node_modules (`npm ci`).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DENO = join(root, "node_modules", ".bin", "deno");
const OUT = join(root, "docs", "api.md");
const JSR_NAME = "@livemem/livemem";
const NPM_NAME = "livemem";

// ------------------------------------------------------------------ types

/** A TypeScript type from `deno doc --json`, as source text. */
function typeText(t) {
  if (!t) return "unknown";
  const v = t.value;
  switch (t.kind) {
    case "keyword":
      return v;
    case "typeRef": {
      const params = v.typeParams?.length
        ? `<${v.typeParams.map(typeText).join(", ")}>`
        : "";
      return `${v.typeName}${params}`;
    }
    case "literal":
      if (v.kind === "string") return JSON.stringify(v.string);
      if (v.kind === "number") return String(v.number);
      if (v.kind === "boolean") return String(v.boolean);
      return t.repr;
    case "union":
      return v.map(typeText).join(" | ");
    case "intersection":
      return v.map(typeText).join(" & ");
    case "array": {
      const inner = typeText(v);
      return /[ |&]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case "tuple":
      return `[${v.map(typeText).join(", ")}]`;
    case "typeOperator":
      return `${v.operator} ${typeText(v.tsType)}`;
    case "parenthesized":
      return `(${typeText(v)})`;
    case "optional":
      return `${typeText(v)}?`;
    case "indexedAccess":
      return `${typeText(v.objType)}[${typeText(v.indexType)}]`;
    case "fnOrConstructor":
      return `${v.constructor ? "new " : ""}(${paramsText(v.params)}) => ${
        typeText(v.tsType)
      }`;
    case "typeLiteral":
      return `{ ${literalMembers(v).join("; ")} }`;
    case "this":
      return "this";
    default:
      return t.repr || "unknown";
  }
}

function literalMembers(v) {
  return [
    ...(v.properties ?? []).map((p) =>
      `${p.readonly ? "readonly " : ""}${p.name}${p.optional ? "?" : ""}: ${
        typeText(p.tsType)
      }`
    ),
    ...(v.methods ?? []).map((m) =>
      `${m.name}(${paramsText(m.params)}): ${typeText(m.returnType)}`
    ),
    ...(v.callSignatures ?? []).map((c) =>
      `(${paramsText(c.params)}): ${typeText(c.tsType)}`
    ),
    ...(v.indexSignatures ?? []).map((s) =>
      `[${paramsText(s.params)}]: ${typeText(s.tsType)}`
    ),
  ];
}

/** One parameter; a default value makes it optional (the default is listed apart). */
function paramText(p) {
  switch (p.kind) {
    case "identifier":
      return `${p.name}${p.optional ? "?" : ""}${
        p.tsType ? `: ${typeText(p.tsType)}` : ""
      }`;
    case "assign":
      return paramText({ ...p.left, optional: true });
    case "rest":
      return `...${paramText(p.arg)}${
        p.tsType ? `: ${typeText(p.tsType)}` : ""
      }`;
    default:
      return `${p.kind === "object" ? "{…}" : "[…]"}${
        p.tsType ? `: ${typeText(p.tsType)}` : ""
      }`;
  }
}

const paramsText = (ps = []) => ps.map(paramText).join(", ");

const typeParamsText = (tps = []) =>
  tps.length ? `<${tps.map((tp) => tp.name).join(", ")}>` : "";

// ---------------------------------------------------------------- JSDoc

/** JSDoc text as Markdown prose: `{@link X}` as `X`, lines joined. */
function prose(text = "") {
  return text.replace(/\{@link(?:code|plain)?\s+([^}\s|]+)[^}]*\}/g, "`$1`")
    .trim();
}

const tagsOf = (jsDoc, kind) =>
  (jsDoc?.tags ?? []).filter((t) => t.kind === kind);

function defaultText(jsDoc) {
  const tag = tagsOf(jsDoc, "default")[0];
  if (!tag) return "";
  const doc = prose(tag.doc ?? "");
  const sep = doc.startsWith("(") ? " " : ", ";
  return `Default: \`${tag.value}\`${doc ? sep + doc : ""}`;
}

function throwsText(jsDoc) {
  return tagsOf(jsDoc, "throws").map((t) =>
    `Throws \`${typeText(t.tsType) || "Error"}\`${
      t.doc
        ? ` ${prose(t.doc).replace(/^(When|If)\b/, (w) => w.toLowerCase())}`
        : ""
    }`
  ).map((s) => s.endsWith(".") ? s : `${s}.`).join(" ");
}

function returnsText(jsDoc) {
  const tag = tagsOf(jsDoc, "return")[0];
  return tag?.doc
    ? `Returns ${prose(tag.doc).replace(/^[A-Z]/, (c) => c.toLowerCase())}`
    : "";
}

/** The doc of a member or parameter list: its text, default, returns, throws. */
function details(jsDoc, extra = []) {
  return [
    prose(jsDoc?.doc),
    defaultText(jsDoc),
    ...extra,
    returnsText(jsDoc),
    throwsText(jsDoc),
  ].filter(Boolean).map((s) => /[.:!?]$/.test(s) ? s : `${s}.`)
    .join(" ");
}

/** Parameter docs (@param) and defaults, as list items under `indent`. */
function paramItems(params = [], jsDoc, indent = "  ") {
  const docs = new Map(tagsOf(jsDoc, "param").map((t) => [t.name, t.doc]));
  return params.map((p) => {
    const name = p.kind === "assign"
      ? p.left.name
      : p.kind === "rest"
      ? p.arg.name
      : p.name;
    const fallback = p.kind === "assign" && p.right !== "[UNSUPPORTED]"
      ? ` Default: \`${JSON.stringify(p.right)}\`.`
      : "";
    const doc = docs.get(name);
    return doc || fallback
      ? `${indent}- \`${name}\`: ${
        prose(doc ?? "").replace(/\s*$/, "")
      }${fallback}`
      : null;
  }).filter(Boolean);
}

// -------------------------------------------------------------- symbols

function renderFunction(name, decl) {
  const def = decl.def;
  const sig = `function ${name}${typeParamsText(def.typeParams)}(${
    paramsText(def.params)
  }): ${typeText(def.returnType)}`;
  return [
    "```ts",
    sig,
    "```",
    "",
    details(decl.jsDoc),
    ...listBlock(paramItems(def.params, decl.jsDoc, ""), "Parameters:"),
  ];
}

function listBlock(items, title) {
  if (!items.length) return [];
  return ["", title, "", ...items];
}

function memberItem(head, jsDoc, extra) {
  const text = details(jsDoc, extra);
  return `- \`${head}\`${text ? `: ${text}` : ""}`;
}

function renderProperties(def) {
  return (def.properties ?? []).map((p) =>
    memberItem(
      `${p.isStatic ? "static " : ""}${p.readonly ? "readonly " : ""}${
        p.computed ? `[${p.name}]` : p.name
      }${p.optional ? "?" : ""}: ${typeText(p.tsType)}`,
      p.jsDoc,
    )
  );
}

function renderMethods(def, fnOf) {
  const items = [];
  const methods = def.methods ?? [];
  for (const m of methods) {
    const fn = fnOf(m);
    const key = m.computed ? `[${m.name}]` : m.name;
    const stat = m.isStatic ? "static " : "";
    if (m.kind === "setter") {
      if (methods.some((x) => x.kind === "getter" && x.name === m.name)) {
        continue;
      }
      items.push(
        memberItem(`${stat}set ${key}(${paramsText(fn.params)})`, m.jsDoc),
      );
    } else if (m.kind === "getter") {
      const settable = methods.some((x) =>
        x.kind === "setter" && x.name === m.name
      );
      items.push(memberItem(
        `${stat}${settable ? "" : "readonly "}${key}: ${
          typeText(fn.returnType)
        }`,
        m.jsDoc,
        settable ? ["Settable."] : [],
      ));
    } else {
      items.push(memberItem(
        `${stat}${key}${m.optional ? "?" : ""}${
          typeParamsText(fn.typeParams)
        }(${paramsText(fn.params)}): ${typeText(fn.returnType)}`,
        m.jsDoc,
      ));
      items.push(...paramItems(fn.params, m.jsDoc));
    }
  }
  return items;
}

function renderClass(name, decl) {
  const def = decl.def;
  const members = [
    ...(def.constructors ?? []).flatMap((c) => [
      memberItem(`new ${name}(${paramsText(c.params)})`, c.jsDoc),
      ...paramItems(c.params, c.jsDoc),
    ]),
    ...renderProperties(def),
    ...renderMethods(def, (m) => m.functionDef),
  ];
  const ext = def.extends ? ` extends ${def.extends}` : "";
  return [
    "```ts",
    `class ${name}${typeParamsText(def.typeParams)}${ext}`,
    "```",
    "",
    details(decl.jsDoc),
    ...listBlock(members, "Members:"),
  ];
}

function renderInterface(name, decl) {
  const def = decl.def;
  const ext = def.extends?.length
    ? ` extends ${def.extends.map(typeText).join(", ")}`
    : "";
  const members = [
    ...renderProperties(def),
    ...renderMethods(def, (m) => m),
    ...(def.callSignatures ?? []).map((c) =>
      memberItem(`(${paramsText(c.params)}): ${typeText(c.tsType)}`, c.jsDoc)
    ),
  ];
  const title = /Options$/.test(name) ? "Options:" : "Members:";
  return [
    "```ts",
    `interface ${name}${typeParamsText(def.typeParams)}${ext}`,
    "```",
    "",
    details(decl.jsDoc),
    ...listBlock(members, title),
  ];
}

function renderTypeAlias(name, decl) {
  const t = decl.def.tsType;
  let body = typeText(t);
  // A long union or intersection reads better one member a line.
  if ((t.kind === "union" || t.kind === "intersection") && body.length > 60) {
    const op = t.kind === "union" ? "|" : "&";
    body = "\n" + t.value.map((x) => `  ${op} ${typeText(x)}`).join("\n");
  }
  const members = t.kind === "intersection"
    ? t.value.filter((x) => x.kind === "typeLiteral").flatMap((x) =>
      renderProperties(x.value)
    )
    : [];
  return [
    "```ts",
    `type ${name}${typeParamsText(decl.def.typeParams)} = ${body};`,
    "```",
    "",
    details(decl.jsDoc),
    ...listBlock(members, "Fields it adds:"),
  ];
}

function renderVariable(name, decl) {
  return [
    "```ts",
    `${decl.def.kind ?? "const"} ${name}: ${typeText(decl.def.tsType)};`,
    "```",
    "",
    details(decl.jsDoc),
  ];
}

const RENDER = {
  function: renderFunction,
  class: renderClass,
  interface: renderInterface,
  typeAlias: renderTypeAlias,
  variable: renderVariable,
};

function renderSymbol(symbol) {
  const out = [`### ${symbol.name}`, ""];
  for (const decl of symbol.declarations) {
    const render = RENDER[decl.kind];
    out.push(
      ...(render ? render(symbol.name, decl) : [`(${decl.kind})`]),
      "",
    );
  }
  return out;
}

// ----------------------------------------------------------------- page

function readEntries() {
  const manifest = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
  const exports = typeof manifest.exports === "string"
    ? { ".": manifest.exports }
    : manifest.exports;
  return Object.entries(exports).map(([name, file]) => ({ name, file }));
}

function denoDoc(file) {
  const r = spawnSync(DENO, ["doc", "--json", file], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (r.status !== 0) {
    throw new Error(`deno doc --json ${file} failed:\n${r.stderr}`);
  }
  const json = JSON.parse(r.stdout);
  const url = pathToFileURL(join(root, file)).href;
  return json.nodes?.[url] ?? { symbols: [] };
}

/** The first paragraphs of a module doc, without its examples. */
const moduleProse = (node) => prose(node.module_doc?.doc ?? "");

function renderPage() {
  const out = [
    "# API reference",
    "",
    "<!-- Generated by `node scripts/api.mjs` from the JSDoc of each entry of deno.json.",
    "     Edit the JSDoc, then rerun it; `node scripts/test.mjs` checks it is up to date. -->",
    "",
    "Every export of every entry, with its options and their defaults, taken from the JSDoc",
    "of the code (each symbol's JSDoc also has runnable examples: `deno doc <entry>`).",
    "The import names are those of JSR; on npm the package is `" + NPM_NAME +
    "`",
    "with the same entries.",
    "",
  ];
  const entries = readEntries();
  for (const e of entries) {
    const sub = e.name === "." ? "" : e.name.slice(1);
    out.push(`- [\`${JSR_NAME}${sub}\`](#${anchor(`${JSR_NAME}${sub}`)})`);
  }
  out.push("");
  for (const e of entries) {
    const sub = e.name === "." ? "" : e.name.slice(1);
    const node = denoDoc(e.file);
    out.push(`## ${JSR_NAME}${sub}`, "");
    out.push(
      `\`import … from "${JSR_NAME}${sub}"\` (npm: \`"${NPM_NAME}${sub}"\`), the file \`${
        e.file.replace(/^\.\//, "")
      }\`.`,
      "",
    );
    const about = moduleProse(node);
    if (about) out.push(about, "");
    const symbols = node.symbols ?? [];
    if (symbols.length === 0) out.push("It exports nothing.", "");
    for (const s of symbols) out.push(...renderSymbol(s));
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

/** GitHub's heading anchor for a heading text. */
function anchor(text) {
  return text.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-");
}

/** The text as `deno fmt` would write it. */
function formatted(markdown) {
  const r = spawnSync(DENO, ["fmt", "--ext", "md", "-"], {
    cwd: root,
    input: markdown,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (r.status !== 0) throw new Error(`deno fmt failed:\n${r.stderr}`);
  return r.stdout;
}

function main() {
  const page = formatted(renderPage());
  if (process.argv.includes("--check")) {
    const current = existsSync(OUT) ? readFileSync(OUT, "utf8") : "";
    if (current !== page) {
      console.error(
        "docs/api.md is not up to date with the JSDoc: run node scripts/api.mjs",
      );
      process.exitCode = 1;
    } else console.log("docs/api.md is up to date");
    return;
  }
  writeFileSync(OUT, page);
  console.log(`wrote ${OUT}`);
}

main();
