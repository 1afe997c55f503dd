// The demo's pure parts: the live line's forms and escapes, the wrapping of
// log lines, the command line and the plan of steps. The demo in a real
// terminal is tests/platform/terminal.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LiveMemUse } from "../mod.ts";
import {
  fitLive,
  INDENT,
  liveForms,
  MIN_WRAP_WIDTH,
  wrapLog,
} from "../demo/layout.ts";
import { LiveLine } from "../demo/live_line.ts";
import { MAX_SECONDS, parseArgs } from "../demo/options.ts";
import { plan } from "../demo/main.ts";

const MiB = 2 ** 20;
const fixed = (sample: Record<string, number>) =>
  new LiveMemUse({
    sampler: {
      runtime: "node",
      sample: () => ({ runtime: "node", ...sample }) as never,
    },
  });
const NODE_LIKE = {
  rss: 171.9 * MiB,
  heapTotal: 58.9 * MiB,
  heapUsed: 32.4 * MiB,
  external: 56.4 * MiB,
  arrayBuffers: 48.1 * MiB,
};

test("liveForms: the field's text first, then shorter forms of its own figures", () => {
  const mem = fixed(NODE_LIKE);
  const forms = liveForms(String(mem), mem.toJSON());
  assert.deepEqual(forms, [
    "mem=rss=171.9MiB (heap=58.9MiB (used:32.4MiB + free:26.5MiB) ; external=56.4MiB (arrayBuffers:48.1MiB) ; other=56.6MiB)",
    "mem=rss=171.9MiB (heap=58.9MiB (used:32.4MiB) ; external=56.4MiB)",
    "mem=rss=171.9MiB (heap=58.9MiB ; external=56.4MiB)",
    "mem=rss=171.9MiB (heap=58.9MiB)",
    "mem=rss=171.9MiB",
  ]);
  for (let i = 1; i < forms.length; i++) {
    assert.ok(forms[i].length < forms[i - 1].length, forms[i]);
  }
});

test("liveForms: no form shows a figure the field does not have", () => {
  // Only rss: the text and rss alone.
  const rssOnly = fixed({ rss: 10 * MiB });
  assert.deepEqual(liveForms(String(rssOnly), rssOnly.toJSON()), [
    `mem=${rssOnly}`,
    "mem=rss=10.0MiB",
  ]);
  // A sampler that fails: the text says so, and there is nothing shorter.
  const broken = new LiveMemUse({
    sampler: {
      runtime: "node",
      sample: () => {
        throw new Error("no");
      },
    },
  });
  assert.deepEqual(liveForms(String(broken), broken.toJSON()), [
    `mem=${broken}`,
  ]);
  assert.equal(fitLive(liveForms("unavailable", {}), 10), undefined);
});

test("fitLive: the longest form within width - 1 columns, or none", () => {
  const mem = fixed(NODE_LIKE);
  const forms = liveForms(String(mem), mem.toJSON());
  for (let width = 1; width <= 200; width++) {
    const line = fitLive(forms, width);
    if (line === undefined) {
      assert.ok(forms.every((f) => f.length > width - 1), `${width}`);
      continue;
    }
    assert.ok(line.length <= width - 1, `${width}: ${line}`);
    const longer = forms.slice(0, forms.indexOf(line));
    assert.ok(longer.every((f) => f.length > width - 1), `${width}`);
  }
  assert.equal(fitLive(forms, 80), forms[1]);
  assert.equal(fitLive(forms, 60), forms[2]);
  assert.equal(fitLive(forms, 120), forms[0]);
});

test("wrapLog: lines within the width, indented, and joining them gives the line back", () => {
  const field = `mem=${fixed(NODE_LIKE)}`;
  const heads = [
    "start: 10 steps over 3 s",
    "step 10/10: allocated 12 MiB of ArrayBuffers, 45,000 objects",
    "done: released everything; the next GC reclaims it",
  ];
  for (const head of heads) {
    for (let width = 1; width <= 220; width++) {
      const lines = wrapLog(head, field, width);
      const whole = `${head} ${field}`;
      assert.equal(
        lines.map((l, i) => i === 0 ? l : l.slice(INDENT.length)).join(" "),
        whole,
        `${width}`,
      );
      if (width < MIN_WRAP_WIDTH || whole.length <= width - 1) {
        assert.deepEqual(lines, [whole]);
        continue;
      }
      assert.ok(lines.length >= 2);
      // The field starts a line of its own.
      assert.ok(lines.some((l) => l.startsWith(INDENT + "mem=")), `${width}`);
      for (const [i, l] of lines.entries()) {
        if (i > 0) assert.ok(l.startsWith(INDENT) && l[INDENT.length] !== " ");
        // Longer only for a single word wider than a line.
        if (l.length > width - 1) {
          assert.ok(!l.trim().includes(" "), `${width}: ${JSON.stringify(l)}`);
        }
      }
    }
  }
  // At 80 columns the field breaks after a separator.
  assert.deepEqual(wrapLog(heads[1], field, 80), [
    heads[1],
    "    mem=rss=171.9MiB (heap=58.9MiB (used:32.4MiB + free:26.5MiB) ;",
    "    external=56.4MiB (arrayBuffers:48.1MiB) ; other=56.6MiB)",
  ]);
});

const NO_WRAP = "\x1b[?7l";
const WRAP = "\x1b[?7h";
const drawn = (text: string) => NO_WRAP + text + WRAP + "\r";

test("LiveLine: draws in place (autowrap off), the cursor at its start, and erases what it drew", () => {
  const live = new LiveLine();
  assert.equal(live.shown, false);
  assert.equal(live.draw("mem=a", 80), "\r" + drawn("mem=a"));
  assert.equal(live.shown, true);
  assert.equal(live.draw("mem=bb", 80), "\r\x1b[K" + drawn("mem=bb"));
  // A log line replaces it; the next draw has nothing to erase.
  assert.equal(
    live.print(["step 1", "    more"], 80),
    "\r\x1b[Kstep 1\n    more\n",
  );
  assert.equal(live.shown, false);
  assert.equal(live.draw("mem=c", 80), "\r" + drawn("mem=c"));
  assert.equal(live.clear(80), "\r\x1b[K");
  assert.equal(live.clear(80), "\r");
  // No form fits: only erase.
  live.draw("mem=c", 80);
  assert.equal(live.draw(undefined, 6), "\r\x1b[K");
  assert.equal(live.shown, false);
});

test("LiveLine: after the terminal narrows, it erases every row the line was rewrapped onto", () => {
  const live = new LiveLine();
  live.draw("x".repeat(119), 120);
  // 119 columns at 60 wide: 2 rows; at 40 wide: 3 rows (the cursor saved,
  // each row erased going down, the cursor restored to the line's start).
  assert.equal(
    live.draw("y".repeat(39), 40),
    "\r\x1b7\x1b[K\x1b[B\x1b[K\x1b[B\x1b[K\x1b8" + drawn("y".repeat(39)),
  );
  assert.equal(live.draw("z", 60), "\r\x1b[K" + drawn("z"));
  live.draw("x".repeat(119), 120);
  assert.equal(live.clear(60), "\r\x1b7\x1b[K\x1b[B\x1b[K\x1b8");
});

test("parseArgs: defaults, both --seconds forms, and clear errors", () => {
  assert.deepEqual(parseArgs([]), { seconds: 3, json: false, help: false });
  assert.deepEqual(parseArgs(["--seconds", "1.5", "--json"]), {
    seconds: 1.5,
    json: true,
    help: false,
  });
  assert.equal(parseArgs(["-h"]).help, true);
  assert.equal(parseArgs([`--seconds=${MAX_SECONDS}`]).seconds, MAX_SECONDS);
  const bad: [string[], RegExp][] = [
    [["--seconds", "-1"], /^--seconds must be a number > 0, got -1$/],
    [["--seconds", "NaN"], /^--seconds must be a number > 0, got NaN$/],
    [
      ["--seconds", "Infinity"],
      /^--seconds must be a number > 0, got Infinity$/,
    ],
    [["--seconds=3601"], /^--seconds must be at most 3600, got 3601$/],
    [["--seconds="], /^--seconds needs a value/],
    [["--seconds"], /^--seconds needs a value/],
    [["--jsn"], /^unknown option "--jsn"$/],
    [["3"], /^unexpected argument "3"$/],
  ];
  for (const [args, message] of bad) {
    assert.throws(() => parseArgs(args), { name: "RangeError", message });
  }
});

test("plan: the steps last the seconds asked for, 3 ticks of about 100 ms each", () => {
  assert.deepEqual(plan(3), { steps: 10, tickMs: 100 });
  assert.deepEqual(plan(0.3), { steps: 1, tickMs: 100 });
  assert.equal(plan(1).steps, 3);
  for (const seconds of [0.001, 0.2, 1, 1.5, 7.7, 60, 3600]) {
    const { steps, tickMs } = plan(seconds);
    assert.ok(Number.isInteger(steps) && steps >= 1);
    assert.ok(Math.abs(steps * 3 * tickMs - seconds * 1000) < 1e-6);
    if (seconds >= 0.3) assert.ok(tickMs > 66 && tickMs < 200, `${tickMs}`);
  }
});
