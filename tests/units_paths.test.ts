// iec and metric take a fast path for plain %v %s %d %f; it must print
// exactly what the general path prints. A width of 1 never pads these
// texts but sends the same verb down the general path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { iec, metric, Printer } from "../mod.ts";
import { propertyRuns, Random } from "./support/random.ts";

const RUNS = propertyRuns(20_000);
const VERBS = [
  "%v",
  "%s",
  "%d",
  "%f",
  "%.0f",
  "%.1f",
  "%.2f",
  "%.3f",
  "%.8f",
  "%.12f",
];
const UNITS = ["B", "", "B/s", "bit", "Hz", "iB"];

function value(r: Random): number | bigint {
  switch (r.int(6)) {
    case 0:
      return r.double();
    case 1:
      return (r.int(2 ** 21) - 2 ** 20) / 2 ** r.int(8); // ties and near-ties
    case 2:
      return 1024 ** r.int(9) * (1023.9 + r.next() * 0.2); // round-up region
    case 3:
      return BigInt(r.int(2 ** 30)) ** BigInt(1 + r.int(3));
    case 4:
      return (r.next() - 0.5) * 10 ** (r.int(60) - 30);
    default:
      return r.int(2 ** 31) - 2 ** 30;
  }
}

test(`iec and metric: fast and general paths agree on ${RUNS} values`, () => {
  const r = new Random(7);
  const printers = [new Printer(), new Printer({ grouping: true })];
  for (let i = 0; i < RUNS; i++) {
    const v = value(r);
    const unit = r.pick(UNITS);
    const verb = r.pick(VERBS);
    const wide = "%1" + verb.slice(1);
    for (const p of printers) {
      for (const q of [iec(v, unit), metric(v, unit)]) {
        assert.equal(
          p.sprintf(verb, q),
          p.sprintf(wide, q),
          `${verb} of ${v} ${unit}`,
        );
      }
    }
  }
});

test("figures at the edges take the same path either way", () => {
  const p = new Printer({ grouping: true });
  assert.equal(p.sprintf("%.1f", iec(1023.95 * 1024)), "1.0MiB");
  assert.equal(p.sprintf("%1.1f", iec(1023.95 * 1024)), "1.0MiB");
  assert.equal(p.sprintf("%.1f", iec(1280)), "1.2KiB");
  assert.equal(p.sprintf("%.1f", iec(-0.04)), "0.0B");
});
