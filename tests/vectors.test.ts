// Every case of Go's golden vectors, one test each, on every runtime.
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

function load<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(name, testdata), "utf8")) as T[];
}

const sprintfCases = load<SprintfCase>("sprintf.json");
const unitsCases = load<UnitsCase>("units.json");

for (const name of ["sprintf.json", "units.json", "README.md"]) {
  const source = fileURLToPath(new URL(name, shared));
  test(`testdata/${name} is an unchanged copy of shared/vectors`, {
    skip: existsSync(source) ? false : "../shared/vectors is not present",
  }, () => {
    const copy = readFileSync(new URL(name, testdata), "utf8");
    assert.equal(copy, readFileSync(source, "utf8"));
  });
}

test("the vector files hold the expected number of cases", () => {
  assert.equal(sprintfCases.length, 3046);
  assert.equal(unitsCases.length, 1719);
});

sprintfCases.forEach((c, i) => {
  test(`sprintf #${i} ${JSON.stringify(c.format)}`, () => {
    assert.equal(sprintf(c.format, ...c.args.map(decode)), c.want);
  });
});

const grouped = new Printer({ grouping: true });
const plain = new Printer();

unitsCases.forEach((c, i) => {
  test(`units #${i} ${c.kind} ${JSON.stringify(c.format)}`, () => {
    const value = decode(c.value) as number | bigint;
    const q = c.kind === "iec" ? iec(value, c.unit) : metric(value, c.unit);
    assert.equal((c.grouped ? grouped : plain).sprintf(c.format, q), c.want);
  });
});
