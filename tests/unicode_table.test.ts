// Go's printability table (lib/fmt/unicode_table.ts) against facts of the
// Unicode standard that no JS engine's own tables can change, and, where a
// Go toolchain of the table's release is installed, against Go itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { isPrint } from "../lib/fmt/quote.ts";
import {
  FLIP_COUNT,
  GO_RELEASE,
  UNICODE_VERSION,
} from "../lib/fmt/unicode_table.ts";
import { sprintf } from "../mod.ts";
import {
  goFlips,
  goRelease,
  render,
  tableFile,
} from "../scripts/gen_unicode.mjs";

const hex = (r: number) => "U+" + r.toString(16).toUpperCase().padStart(4, "0");

function assertPrint(list: number[], want: boolean, why: string): void {
  for (const r of list) assert.equal(isPrint(r), want, `${hex(r)}: ${why}`);
}

test("the table is Go 1.19's: Unicode 13.0.0", () => {
  assert.equal(UNICODE_VERSION, "13.0.0");
  assert.equal(GO_RELEASE, "go1.19");
  assert.ok(FLIP_COUNT > 1000 && FLIP_COUNT < 2000, String(FLIP_COUNT));
});

test("code points assigned by Unicode 13.0 print as themselves", () => {
  // Graphic characters new in 13.0 (Arabic, Yezidi, Chorasmian, Dives
  // Akuru, Khitan, Legacy Computing, CJK Ext G, emoji) and older ones.
  assertPrint(
    [
      0x08c7,
      0x0b55,
      0x0d04,
      0x0d81,
      0x2b97,
      0x2e52,
      0x31bf,
      0x4dbf,
      0x9ffc,
      0xa7ca,
      0xab6b,
      0x10e80,
      0x10fb0,
      0x11900,
      0x18b00,
      0x18d08,
      0x1f6d6,
      0x1f972,
      0x1fad6,
      0x1fb00,
      0x1fbf9,
      0x30000,
      0x3134a,
    ],
    true,
    "assigned in Unicode 13.0",
  );
  assertPrint(
    [
      0x41,
      0xa1,
      0xff,
      0x100,
      0x301,
      0xe3f,
      0x4e00,
      0xac00,
      0xfffd,
      0x1d400,
      0x1f600,
      0x20000,
      0x2fa1d,
      0xe0100,
      0xe01ef,
    ],
    true,
    "a letter, mark, number, punctuation or symbol before 13.0",
  );
});

test("code points assigned after Unicode 13.0 are escaped", () => {
  // 14.0: Arabic Extended-B, Tagalog pamudpod, som sign, melting face, x-ray;
  // 15.0: Kawi, Cyrillic Extended-D, wireless, shaking face, CJK Ext H;
  // 15.1: CJK Ext I; 16.0: Egyptian Extended-A, Legacy Computing
  // Supplement; 17.0: CJK Ext J.
  assertPrint(
    [
      0x061d,
      0x0870,
      0x0898,
      0x08b5,
      0x0c5d,
      0x1715,
      0x171f,
      0x180f,
      0x1ac1,
      0x20c0,
      0x2c2f,
      0x9ffd,
      0xa7c0,
      0xfdcf,
      0x1f7f0,
      0x1fa7b,
      0x1fae0,
    ],
    false,
    "assigned in Unicode 14.0",
  );
  assertPrint(
    [
      0x11f00,
      0x1e030,
      0x1f6dc,
      0x1fae8,
      0x31350,
      0x2ebf0,
      0x13460,
      0x1cc00,
      0x323b0,
    ],
    false,
    "assigned in Unicode 15.0 or later",
  );
  assert.equal(sprintf("%q", "\u1715"), '"\\u1715"');
  assert.equal(sprintf("%q", 0x1f6dc), "'\\U0001f6dc'");
  assert.equal(sprintf("%#U", 0x1fae8), "U+1FAE8");
  assert.equal(sprintf("%#U", 0x1fad6), "U+1FAD6 '\u{1fad6}'");
});

test("controls, format characters, separators and non-characters are escaped", () => {
  assertPrint(
    [
      -1,
      0,
      0x1f,
      0x7f,
      0x85,
      0xa0,
      0xad,
      0x378,
      0x061c,
      0x180e,
      0x200b,
      0x200d,
      0x2028,
      0x2029,
      0x202e,
      0x2060,
      0x3000,
      0xd800,
      0xdfff,
      0xe000,
      0xf8ff,
      0xfeff,
      0xfff9,
      0xfffe,
      0xffff,
      0x1d173,
      0xe0001,
      0xe007f,
      0xf0000,
      0x10ffff,
      0x110000,
    ],
    false,
    "not a graphic character other than the ASCII space",
  );
});

/** The installed Go release (`go1.19`), or undefined without `go`. */
function installedGo(): string | undefined {
  try {
    const out = execFileSync("go", ["env", "GOVERSION"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    return goRelease(out.trim());
  } catch {
    return undefined;
  }
}

const go = installedGo();

test("the committed table is a fresh generation from Go", {
  skip: go === undefined
    ? "go is not installed"
    : go !== GO_RELEASE
    ? `go is ${go}; the table is from ${GO_RELEASE}`
    : false,
  timeout: 300_000,
}, () => {
  const fresh = goFlips();
  assert.equal(fresh.unicode, UNICODE_VERSION);
  // Every code point, through the decoder, against Go's own answer.
  let printable = false;
  let next = 0;
  for (let r = 0; r <= 0x10ffff; r++) {
    if (r === fresh.flips[next]) {
      printable = !printable;
      next++;
    }
    if (isPrint(r) !== printable) assert.fail(`${hex(r)}: not Go's answer`);
  }
  assert.equal(next, FLIP_COUNT);
  assert.equal(readFileSync(tableFile, "utf8"), render(fresh));
});
