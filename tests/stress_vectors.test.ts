// The second, harder set of Go's vectors (tests/testdata/stress/), on every
// runtime: one test per generator category, each failing with the cases
// that print otherwise (30,205 cases are too many for one test each).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { iec, metric, Printer, sprintf } from "../mod.ts";
import {
  decode,
  shared,
  type SprintfCase,
  testdata,
  type UnitsCase,
} from "./support/vectors.ts";

/** A stress case: `want` may come as runs (`wantParts`), and a category. */
interface Stress {
  cat: string;
  want?: string;
  wantParts?: [string, number][];
  grouped?: boolean;
}

const stress = new URL("stress/", testdata);
const sharedStress = new URL("stress/", shared);

function load<T>(name: string): (T & Stress)[] {
  return JSON.parse(readFileSync(new URL(name, stress), "utf8"));
}

const sprintfCases = load<SprintfCase>("sprintf.json");
const unitsCases = load<UnitsCase>("units.json");

function want(c: Stress): string {
  return c.want ?? c.wantParts!.map(([text, n]) => text.repeat(n)).join("");
}

for (const name of ["sprintf.json", "units.json", "README.md"]) {
  const source = fileURLToPath(new URL(name, sharedStress));
  test(
    `testdata/stress/${name} is an unchanged copy of shared/vectors/stress`,
    {
      skip: existsSync(source)
        ? false
        : "../shared/vectors/stress is not present",
    },
    () => {
      const copy = readFileSync(new URL(name, stress), "utf8");
      assert.equal(copy, readFileSync(source, "utf8"));
    },
  );
}

test("the stress files hold the expected number of cases", () => {
  assert.equal(sprintfCases.length, 20205);
  assert.equal(unitsCases.length, 10000);
});

/** Runs `cases` by category; each category is a test listing its failures. */
function byCategory<T extends Stress>(
  file: string,
  cases: T[],
  run: (c: T) => string,
): void {
  const groups = new Map<string, [number, T][]>();
  cases.forEach((c, i) => {
    const list = groups.get(c.cat) ?? [];
    list.push([i, c]);
    groups.set(c.cat, list);
  });
  for (const [cat, list] of groups) {
    test(`stress ${file} ${cat}: ${list.length} cases`, () => {
      const failures: string[] = [];
      for (const [i, c] of list) {
        let got: string;
        try {
          got = run(c);
        } catch (e) {
          got = `threw ${e}`;
        }
        if (got !== want(c)) {
          failures.push(
            `#${i} ${JSON.stringify(c).slice(0, 300)}\n  got  ${
              JSON.stringify(got).slice(0, 300)
            }`,
          );
        }
      }
      assert.equal(
        failures.length,
        0,
        `${failures.length} of ${list.length} fail:\n` +
          failures.slice(0, 10).join("\n"),
      );
    });
  }
}

const grouped = new Printer({ grouping: true });
const plain = new Printer();

byCategory(
  "sprintf.json",
  sprintfCases,
  (c) =>
    c.grouped
      ? grouped.sprintf(c.format, ...c.args.map(decode))
      : sprintf(c.format, ...c.args.map(decode)),
);

byCategory("units.json", unitsCases, (c) => {
  const value = decode(c.value) as number | bigint;
  const q = c.kind === "iec" ? iec(value, c.unit) : metric(value, c.unit);
  return (c.grouped ? grouped : plain).sprintf(c.format, q);
});
