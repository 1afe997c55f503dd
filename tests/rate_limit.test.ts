// rateLimit: Go's textui semantics with an injected clock (no timing
// assertions: every time below comes from a fake clock).
import { test } from "node:test";
import assert from "node:assert/strict";
import { rateLimit } from "../lib/rate_limit.ts";

function counter(): { fn: () => number; runs: () => number } {
  let n = 0;
  return { fn: () => ++n, runs: () => n };
}

test("rateLimit: the first call samples, N reads within the interval share it", () => {
  let t = 5000;
  const c = counter();
  const read = rateLimit(c.fn, { interval: 1000, now: () => t });
  assert.equal(c.runs(), 0, "nothing runs before the first read");
  for (let i = 0; i < 100; i++) {
    assert.equal(read(), 1);
    t += 10; // 100 reads spread over 990 ms after the sample
  }
  assert.equal(c.runs(), 1);
});

test("rateLimit: the boundary is strict (elapsed == interval is still fresh)", () => {
  let t = 0;
  const c = counter();
  const read = rateLimit(c.fn, { interval: 1000, now: () => t });
  read();
  t = 1000;
  assert.equal(read(), 1, "exactly the interval: cached");
  t = 1000.001;
  assert.equal(read(), 2, "strictly more: re-sampled");
  t = 2000.001;
  assert.equal(read(), 2, "measured from the last sample, not the first");
  t = 2000.002;
  assert.equal(read(), 3);
});

test("rateLimit: interval 0 samples on every call, even on the same clock reading", () => {
  const c = counter();
  const read = rateLimit(c.fn, { interval: 0, now: () => 7 });
  read();
  read();
  read();
  assert.equal(c.runs(), 3);
});

test("rateLimit: a clock going backwards or returning NaN re-samples", () => {
  let t = 10_000;
  const c = counter();
  const read = rateLimit(c.fn, { interval: 1000, now: () => t });
  read();
  t = 9_000;
  assert.equal(read(), 2, "backwards");
  t = NaN;
  assert.equal(read(), 3);
  assert.equal(read(), 4, "NaN never caches");
});

test("rateLimit: an error from fn propagates and is not cached", () => {
  let fail = true;
  let runs = 0;
  const read = rateLimit(() => {
    runs++;
    if (fail) throw new Error("boom");
    return "ok";
  }, { interval: 1000, now: () => 0 });
  assert.throws(read, /boom/);
  fail = false;
  assert.equal(read(), "ok");
  assert.equal(read(), "ok");
  assert.equal(runs, 2);
});

test("rateLimit: the default clock is usable and caches within a long interval", () => {
  const c = counter();
  const read = rateLimit(c.fn, { interval: 1e9 });
  read();
  read();
  assert.equal(c.runs(), 1);
});

test("rateLimit: a bad interval is a RangeError naming the option and the value", () => {
  for (
    const [bad, shown] of [[-1, "-1"], [NaN, "NaN"], [Infinity, "Infinity"], [
      -Infinity,
      "-Infinity",
    ]] as const
  ) {
    assert.throws(
      () => rateLimit(() => 0, { interval: bad }),
      (e: unknown) =>
        e instanceof RangeError && /interval/.test(e.message) &&
        e.message.includes(shown),
      `interval ${shown}`,
    );
  }
});

test("rateLimit: a non-number interval, a non-function clock or fn is a TypeError", () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      "string interval",
      () => rateLimit(() => 0, { interval: "1000" as unknown as number }),
      /interval.*"1000"/,
    ],
    [
      "missing interval",
      () => rateLimit(() => 0, {} as { interval: number }),
      /interval.*undefined/,
    ],
    [
      "bigint interval",
      () => rateLimit(() => 0, { interval: 5n as unknown as number }),
      /interval.*5n/,
    ],
    [
      "clock",
      () =>
        rateLimit(() => 0, { interval: 1, now: 3 as unknown as () => number }),
      /now.*3/,
    ],
    [
      "fn",
      () => rateLimit(null as unknown as () => number, { interval: 1 }),
      /fn/,
    ],
    [
      "options",
      () => rateLimit(() => 0, undefined as unknown as { interval: number }),
      /options/,
    ],
  ];
  for (const [name, f, re] of cases) {
    assert.throws(
      f,
      (e: unknown) => e instanceof TypeError && re.test(e.message),
      name,
    );
  }
});
