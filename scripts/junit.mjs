// Test counts from the runners' own JUnit XML reports, for scripts/test.mjs.
//
// Deno, Bun and Node each write a JUnit report when asked (REPORT_FLAGS). A
// report is a tree of <testsuite> elements (files, describe blocks) holding
// <testcase> elements; a case failed when it has a <failure> or <error> child,
// was skipped (or is a todo) when it has a <skipped> child, and passed
// otherwise. Only cases are counted, never suites, at whatever depth they sit.
//
// What each runner puts in its report, as seen on the pinned versions:
// - Deno lists a describe block and each of its tests as cases (a step is a
//   case named `parent > child`), which is how its own summary counts them
//   (`N passed (S steps)`). A file that throws at import is not in the report.
// - Bun lists describe blocks as suites. A file that throws at import is not
//   in the report.
// - Node lists describe blocks, and tests that have subtests, as suites. A
//   file that throws at import is a failed case named after the file.
// So a runner that exits non-zero has each expected file that is missing from
// its report counted as one failure, and a non-zero exit that the report does
// not explain is one failure too: a green total never hides a runner that did
// not finish. tests/platform/junit.test.mjs checks these totals against the
// runners' own summary lines.
//
// Plain JavaScript for Node 20 and later; no dependency.

import path from "node:path";

/** The command-line flags that make each runner write its report to `file`. */
export const REPORT_FLAGS = {
  deno: (file) => [`--junit-path=${file}`],
  bun: (file) => ["--reporter=junit", `--reporter-outfile=${file}`],
  // A second reporter keeps the human-readable output in the phase log.
  node: (file) => [
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=junit",
    `--test-reporter-destination=${file}`,
  ],
};

// ------------------------------------------------------------------ XML

const ENTITIES = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Replaces XML entity and character references in `text`. */
export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (ref, body) => {
    if (body[0] !== "#") return ENTITIES[body] ?? ref;
    const code = body[1] === "x"
      ? parseInt(body.slice(2), 16)
      : parseInt(body.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
}

// One token: a comment, CDATA, a declaration or doctype, a closing tag, or an
// opening tag with its attributes (a quoted value may hold `>`).
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][\s\S]*?>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Parses an XML document into its root element, `{ name, attrs, children }`
 * (text is dropped: the counts need only elements and attributes). Throws on
 * a tag that is not closed, a closing tag that does not match, or a document
 * with no element: a report cut short by a killed runner is not a report.
 */
export function parseXml(text) {
  const top = { name: "#document", attrs: {}, children: [] };
  const open = [top];
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    const between = text.slice(at, m.index);
    if (between.includes("<")) {
      throw new Error(`malformed XML near offset ${at + between.indexOf("<")}`);
    }
    at = m.index + m[0].length;
    const [, closing, name, attrText, selfClosing] = m;
    if (closing !== undefined) {
      const element = open.pop();
      if (element === top || element.name !== closing) {
        throw new Error(`unexpected </${closing}> at offset ${m.index}`);
      }
    } else if (name !== undefined) {
      const attrs = {};
      for (const a of attrText.matchAll(ATTRIBUTE)) {
        attrs[a[1]] = decodeEntities(a[2] ?? a[3]);
      }
      const element = { name, attrs, children: [] };
      open.at(-1).children.push(element);
      if (!selfClosing) open.push(element);
    }
  }
  if (text.slice(at).includes("<")) throw new Error("malformed XML at the end");
  if (open.length > 1) throw new Error(`<${open.at(-1).name}> is not closed`);
  if (top.children.length !== 1) {
    throw new Error(`${top.children.length} root elements, expected 1`);
  }
  return top.children[0];
}

// ---------------------------------------------------------------- cases

/**
 * Every test case in a JUnit report: `{ name, file, status }`, where status
 * is "passed", "failed" or "skipped" (a failure wins over a skip mark).
 * `file` is the case's own `file` attribute, or that of the nearest suite
 * with one, or the name of the file-level suite (Deno names it by path).
 */
export function readCases(xml) {
  const cases = [];
  const visit = (element, fileOf, depth) => {
    for (const child of element.children) {
      const file = child.attrs.file ??
        (depth === 0 && child.name === "testsuite" ? child.attrs.name : fileOf);
      if (child.name === "testcase") {
        cases.push({
          name: child.attrs.name ?? "",
          file,
          status: status(child),
        });
      } else {
        visit(child, file, depth + 1);
      }
    }
  };
  const root = parseXml(xml);
  // A report is <testsuites> around the suites, or a lone <testsuite>.
  if (root.name === "testsuites") visit(root, undefined, 0);
  else if (root.name === "testsuite") visit({ children: [root] }, undefined, 0);
  else throw new Error(`root element <${root.name}>, expected <testsuites>`);
  return cases;
}

function status(testcase) {
  const kinds = new Set(testcase.children.map((c) => c.name));
  if (kinds.has("failure") || kinds.has("error")) return "failed";
  return kinds.has("skipped") ? "skipped" : "passed";
}

/** `{ passed, failed, skipped }` over a list of cases. */
export function countCases(cases) {
  const n = { passed: 0, failed: 0, skipped: 0 };
  for (const c of cases) n[c.status]++;
  return n;
}

/** A report's `file` names as paths relative to `root`, without `./`. */
function relativeFile(file, root) {
  if (file === undefined) return undefined;
  const plain = file.startsWith("file://") ? new URL(file).pathname : file;
  return path.isAbsolute(plain)
    ? path.relative(root, plain)
    : path.normalize(plain);
}

/**
 * Turns one runner's run into counts: `{ passed, failed, skipped, detail }`.
 *
 * - `report`: the report's text, or null when the runner wrote none;
 * - `code`: the runner's exit code (-1 when it could not start or was killed);
 * - `note`: why it stopped, when it was stopped (a timeout, a signal);
 * - `files`: the test files it was given, relative to `root`; each one that
 *   is missing from the report of a failed run is one failure.
 */
export function tallyReport({ report, code, note = "", files = [], root }) {
  const fail = (why) => ({ passed: 0, failed: 1, skipped: 0, detail: why });
  if (report === null || report.trim() === "") {
    return fail(note || `no JUnit report (exit ${code})`);
  }
  let cases;
  try {
    cases = readCases(report);
  } catch (error) {
    return fail(
      [note, `unreadable JUnit report: ${error.message}`]
        .filter(Boolean).join("; "),
    );
  }
  const counts = countCases(cases);
  const details = [note];
  if (counts.skipped) details.push(`${counts.skipped} skipped`);
  if (cases.length === 0 && files.length > 0) {
    counts.failed++;
    details.push("the report has no test case");
  }
  if (code !== 0) {
    const seen = new Set(cases.map((c) => relativeFile(c.file, root)));
    const missing = files.map((f) => path.normalize(f))
      .filter((f) => !seen.has(f));
    counts.failed += missing.length;
    if (missing.length) {
      details.push(`not in the report: ${missing.join(", ")}`);
    }
    if (counts.failed === 0) {
      counts.failed = 1;
      if (!note) details.push(`exit ${code} with no failure in the report`);
    }
  }
  return { ...counts, detail: details.filter(Boolean).join("; ") };
}
