// Fault injection: hostile samplers, and the REAL memory API of this runtime
// (Deno.memoryUsage on Deno, process.memoryUsage on Node and Bun) replaced
// for the length of one test by versions that throw, lie or stall.
//
// Whatever the fault, LiveMemUse must not throw, must not print NaN, Inf or
// a negative size for a measured figure (rss, heap, used, external,
// arrayBuffers, limit; the derived free and other are signed by design),
// must print `unavailable` or the figures it could read, and must print the
// real figures again on the next good sample.
//
// The built-in sampler binds the API when it is detected, which LiveMemUse
// does in its constructor: so each test patches the global first, then
// creates the LiveMemUse, and the patch is a switch that later hands over to
// the real function (the "next good sample" comes from the real API through
// the same instance). Every patch is undone in a finally block.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect as nodeInspect } from "node:util";
import { LiveMemUse, type MemorySample, type Sampler } from "../mod.ts";
import { MiB, runtime, settle } from "./_memory.ts";
import { runChild } from "./support/child.ts";
import { BUN_LINE } from "./support/mem_line.ts";

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Usage = Record<string, number>;

interface Globals {
  Deno?: Record<string, unknown> & { inspect(v: unknown): string };
  process?: Record<string, unknown>;
}
const g = globalThis as unknown as Globals;

// The API the built-in sampler reads on this runtime.
const owner = (runtime === "deno" ? g.Deno : g.process) as Record<
  string,
  unknown
>;
const apiName = runtime === "deno" ? "Deno.memoryUsage" : "process.memoryUsage";
const realUsage = owner.memoryUsage as Fn;
const readReal = (): Usage => realUsage.call(owner) as Usage;

/**
 * Replaces `obj[key]` with `descriptor` while `body` runs, then puts the
 * original property back exactly as it was, whatever `body` does.
 */
function patched<T>(
  obj: Record<string, unknown>,
  key: string,
  descriptor: PropertyDescriptor,
  body: () => T,
): T {
  const saved = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, { configurable: true, ...descriptor });
  try {
    return body();
  } finally {
    if (saved) Object.defineProperty(obj, key, saved);
    else delete obj[key];
  }
}

const FIGURE = String.raw`-?[\d,]+\.\d(?:[KMGTPEZY]i)?B`;
// The full line of this runtime (Deno has no arrayBuffers figure; Bun's
// line is its own, see support/mem_line.ts).
const REAL_LINE = runtime === "bun" ? new RegExp(`^${BUN_LINE}$`) : new RegExp(
  String
    .raw`^rss=${FIGURE} \(heap=${FIGURE} \(used:${FIGURE} \+ free:${FIGURE}\) ; ` +
    String.raw`external=${FIGURE}` +
    (runtime === "deno" ? "" : String.raw` \(arrayBuffers:${FIGURE}\)`) +
    String.raw` ; other=${FIGURE}\)$`,
);

const MEASURED = ["rss=", "heap=", "used:", "heapUsed=", "external="]
  .concat(["arrayBuffers:", "arrayBuffers=", "limit=", "peak="]);
const DERIVED = ["free:", "other="];

/**
 * Checks a log text: `unavailable`, or labelled figures with no NaN, no
 * Inf and no minus on a measured figure. Returns the labels printed.
 */
function checkText(text: unknown, where: string): string[] {
  assert.equal(typeof text, "string", where);
  const s = text as string;
  if (s === "unavailable") return [];
  assert.ok(!/NaN|Inf|undefined|null/.test(s), `${where}: ${s}`);
  const labels: string[] = [];
  for (const m of s.matchAll(/([A-Za-z]+[=:])(-?)([\d,]+\.\d)(\D*?)B/g)) {
    const [, label, minus] = m;
    assert.ok(
      MEASURED.includes(label) || DERIVED.includes(label),
      `${where}: unknown label ${label} in ${s}`,
    );
    if (MEASURED.includes(label)) {
      assert.equal(minus, "", `${where}: negative ${label} in ${s}`);
    }
    labels.push(label);
  }
  assert.ok(labels.length > 0, `${where}: no figure in ${s}`);
  return labels;
}

/** Checks toJSON: finite numbers, measured ones >= 0, and JSON-safe. */
function checkJSON(mem: LiveMemUse, where: string): Record<string, unknown> {
  const json = mem.toJSON() as unknown as Record<string, unknown>;
  assert.equal(typeof json.runtime, "string", where);
  for (const [k, v] of Object.entries(json)) {
    if (typeof v !== "number") continue;
    assert.ok(Number.isFinite(v), `${where}: toJSON ${k}=${v}`);
    if (k !== "heapFree" && k !== "other") {
      assert.ok(v >= 0, `${where}: toJSON ${k}=${v}`);
    }
  }
  assert.doesNotThrow(() => JSON.stringify(json), where);
  return json;
}

/** What console.log shows on this runtime. */
function inspect(v: unknown): string {
  return g.Deno ? g.Deno.inspect(v) : nodeInspect(v);
}

/** Spins for about `ms` milliseconds (a synchronous sampler cannot sleep). */
function busyWait(ms: number): number {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  return spins;
}

const throwing = (what: string) => (): never => {
  throw new Error(`${what} exploded`);
};
// A value whose every conversion throws.
const evil = {
  toString: throwing("toString"),
  valueOf: throwing("valueOf"),
  [Symbol.toPrimitive]: throwing("toPrimitive"),
};

// One fault: what the patched API returns given a real reading, and what
// the text must then be ("unavailable", or the labels that must and must
// not show).
interface Fault {
  name: string;
  usage: (real: Usage) => unknown;
  want: "unavailable" | { has: string[]; not?: string[] };
  /** Bun's text, where it differs (no heap total; see lib/bun_figures.ts). */
  bun?: Fault["want"];
}

const FAULTS: Fault[] = [
  {
    name: "throws",
    usage: throwing(apiName),
    want: "unavailable",
  },
  {
    name: "returns NaN",
    usage: () => NaN,
    want: "unavailable",
  },
  {
    name: "returns NaN in every field",
    usage: (r) => Object.fromEntries(Object.keys(r).map((k) => [k, NaN])),
    want: "unavailable",
  },
  {
    name: "returns a NaN rss",
    usage: (r) => ({ ...r, rss: NaN }),
    want: { has: ["heap=", "used:", "external="], not: ["rss=", "other="] },
    bun: { has: ["heapUsed=", "external="], not: ["rss=", "heap=", "other="] },
  },
  {
    name: "returns negative figures",
    usage: (r) => Object.fromEntries(Object.keys(r).map((k) => [k, -r[k] - 1])),
    want: "unavailable",
  },
  {
    name: "returns a negative heapUsed",
    usage: (r) => ({ ...r, heapUsed: -1 }),
    want: { has: ["rss=", "heap=", "external="], not: ["used:", "free:"] },
    bun: { has: ["rss=", "external="], not: ["heapUsed=", "heap="] },
  },
  {
    name: "returns huge figures (> 2^53)",
    usage: (r) => ({ ...r, rss: 2 ** 60, external: 2 ** 54 + 2 }),
    want: { has: ["rss=", "heap=", "external=", "other="] },
    // external > heapUsed: the used part is unknown.
    bun: { has: ["rss=", "external="], not: ["heapUsed="] },
  },
  {
    name: "returns figures near Number.MAX_VALUE",
    usage: (r) => ({
      ...r,
      heapTotal: Number.MAX_VALUE,
      external: Number.MAX_VALUE,
    }),
    // rss - heapTotal - external overflows: other is left out, not -Inf.
    want: { has: ["rss=", "heap=", "external="], not: ["other="] },
    bun: { has: ["rss=", "external="], not: ["heapUsed=", "other="] },
  },
  {
    name: "returns Infinity",
    usage: (r) => ({ ...r, rss: Infinity }),
    want: { has: ["heap=", "external="], not: ["rss="] },
    bun: { has: ["heapUsed=", "external="], not: ["rss="] },
  },
  {
    name: "returns no fields",
    usage: () => ({}),
    want: "unavailable",
  },
  {
    name: "returns only rss",
    usage: (r) => ({ rss: r.rss }),
    want: { has: ["rss="], not: ["heap=", "external=", "other="] },
  },
  {
    name: "returns only the heap",
    usage: (r) => ({ heapTotal: r.heapTotal, heapUsed: r.heapUsed }),
    want: { has: ["heap=", "used:", "free:"], not: ["rss=", "external="] },
    // Without external the used part is unknown, and heapTotal is dropped.
    bun: "unavailable",
  },
  {
    name: "returns an object with a throwing getter",
    usage: (r) => ({
      rss: r.rss,
      get heapTotal(): number {
        throw new Error("getter exploded");
      },
      heapUsed: r.heapUsed,
    }),
    // The fields read before the getter threw are kept.
    want: { has: ["rss="], not: ["heap=", "other="] },
  },
  {
    name: "returns a Proxy that throws on every read",
    usage: () => new Proxy({}, { get: throwing("get"), has: throwing("has") }),
    want: "unavailable",
  },
  {
    name: "returns all zeros (workerd's nodejs_compat)",
    usage: (r) => Object.fromEntries(Object.keys(r).map((k) => [k, 0])),
    want: "unavailable",
  },
  {
    name: "returns figures whose toString and valueOf throw",
    usage: (r) => Object.fromEntries(Object.keys(r).map((k) => [k, evil])),
    want: "unavailable",
  },
  {
    name: "returns an object whose own toString and valueOf throw",
    usage: (r) => ({ ...r, ...evil }),
    want: { has: ["rss=", "heap=", "used:", "external=", "other="] },
    bun: { has: ["rss=", "heapUsed=", "external="], not: ["heap=", "other="] },
  },
  {
    name: "returns strings and bigints",
    usage: (r) => ({ rss: String(r.rss), heapTotal: BigInt(r.heapTotal) }),
    want: "unavailable",
  },
];

/** The expected text for a fault, checked against what was printed. */
function checkWant(text: string, want: Fault["want"], where: string): void {
  const labels = checkText(text, where);
  if (want === "unavailable") {
    assert.equal(text, "unavailable", where);
    return;
  }
  for (const l of want.has) assert.ok(labels.includes(l), `${where}: ${text}`);
  for (const l of want.not ?? []) {
    assert.ok(!labels.includes(l), `${where}: ${l} in ${text}`);
  }
}

for (const fault of FAULTS) {
  test(`real ${apiName} ${fault.name}: LiveMemUse prints what it can, then recovers`, () => {
    // Bun: after a collection, so its used part and external are known.
    settle();
    const want = runtime === "bun" ? fault.bun ?? fault.want : fault.want;
    let healed = false;
    let calls = 0;
    const api = function (this: unknown): unknown {
      calls++;
      return healed ? realUsage.call(this) : fault.usage(readReal());
    };
    let mem: LiveMemUse | undefined;
    patched(owner, "memoryUsage", { value: api }, () => {
      mem = new LiveMemUse({ interval: 0 });
      const where = `${apiName} ${fault.name}`;
      // Interval 0: each read is a new sample (the real figures move).
      checkWant(mem.toString(), want, where);
      checkWant(`${mem}`, want, `${where}, a second sample`);
      checkWant(inspect(mem), want, `${where}, console.log`);
      checkJSON(mem, where);
      assert.ok(calls >= 3, `the patched ${apiName} was the one read`);
      // The next good sample, through the same instance, is the real one.
      healed = true;
      assert.match(mem.toString(), REAL_LINE);
      const json = checkJSON(mem, "healed");
      assert.ok((json.rss as number) > MiB, "a real rss");
    });
    // With the global restored, a new instance reads the real API.
    assert.equal(owner.memoryUsage, realUsage, "the real API is back");
    assert.match(new LiveMemUse({ interval: 0 }).toString(), REAL_LINE);
    assert.match(mem!.toString(), REAL_LINE);
  });
}

test(`real ${apiName} replaced by a throwing getter, or by a non-function: unavailable or another API, never a throw`, () => {
  patched(owner, "memoryUsage", { get: throwing("memoryUsage getter") }, () => {
    const mem = new LiveMemUse({ interval: 0 });
    checkWant(mem.toString(), "unavailable", "getter");
    checkJSON(mem, "getter");
  });
  for (const value of [undefined, null, 42, "memoryUsage", {}]) {
    patched(owner, "memoryUsage", { value }, () => {
      const mem = new LiveMemUse({ interval: 0 });
      const text = mem.toString();
      // Deno falls back on its node-compat process.memoryUsage, which
      // (in Deno 2.9) calls Deno.memoryUsage: the real line or unavailable.
      if (runtime === "deno" && text !== "unavailable") {
        assert.match(text, REAL_LINE, String(value));
      } else assert.equal(text, "unavailable", String(value));
      checkJSON(mem, String(value));
    });
  }
  assert.match(new LiveMemUse({ interval: 0 }).toString(), REAL_LINE);
});

test(`real ${apiName} that sometimes takes 50 ms: every read returns the right text`, () => {
  let calls = 0;
  let slow = 0;
  const api = function (this: unknown): unknown {
    // The 2nd and 5th calls stall: about 100 ms in all.
    if (++calls === 2 || calls === 5) {
      slow++;
      assert.ok(busyWait(50) > 0);
    }
    return realUsage.call(this);
  };
  patched(owner, "memoryUsage", { value: api }, () => {
    const mem = new LiveMemUse({ interval: 0 });
    for (let i = 0; i < 6; i++) assert.match(mem.toString(), REAL_LINE);
    // A long interval: the read after a slow sample is served from cache.
    const cached = new LiveMemUse({ interval: 60_000 });
    const first = cached.toString();
    const before = calls;
    assert.equal(cached.toString(), first);
    assert.equal(calls, before, "no sample within the interval");
  });
  assert.equal(slow, 2);
});

test(`real ${apiName}: an instance created before a fault keeps the API it bound`, () => {
  const mem = new LiveMemUse({ interval: 0 });
  patched(owner, "memoryUsage", { value: throwing(apiName) }, () => {
    assert.match(mem.toString(), REAL_LINE);
    assert.equal(new LiveMemUse({ interval: 0 }).toString(), "unavailable");
  });
});

test(
  "real process.resourceUsage faults: toJSON leaves out the peak rss, then has it again",
  {
    skip: typeof g.process?.resourceUsage !== "function"
      ? "no process.resourceUsage"
      : false,
  },
  () => {
    const proc = g.process!;
    const real = proc.resourceUsage as Fn;
    const faults: [string, () => unknown][] = [
      ["throws", throwing("resourceUsage")],
      ["returns NaN", () => ({ maxRSS: NaN })],
      ["returns a negative maxRSS", () => ({ maxRSS: -1 })],
      ["returns a throwing getter", () => ({
        get maxRSS(): number {
          throw new Error("getter exploded");
        },
      })],
      ["returns undefined", () => undefined],
    ];
    for (const [name, fault] of faults) {
      let healed = false;
      const api = function (this: unknown): unknown {
        return healed ? real.call(this) : fault();
      };
      patched(proc, "resourceUsage", { value: api }, () => {
        const mem = new LiveMemUse({ interval: 0 });
        assert.match(mem.toString(), REAL_LINE, name);
        const json = checkJSON(mem, name);
        assert.equal(json.peakRss, undefined, name);
        assert.ok((json.rss as number) > 0, name);
        healed = true;
        const good = checkJSON(mem, `${name}, healed`);
        assert.ok(
          (good.peakRss as number) >= (good.rss as number),
          `${name}: peak ${good.peakRss} >= rss ${good.rss}`,
        );
      });
    }
  },
);

test("real process.getBuiltinModule fault: no heap limit, the rest prints", {
  // Bun never reads v8 heap statistics (they walk its heap).
  skip: runtime === "bun" ? "Bun does not read the heap limit" : false,
}, () => {
  const proc = g.process!;
  const before = checkJSON(new LiveMemUse({ interval: 0 }), "before");
  assert.ok((before.heapLimit as number) > 0, "a heap limit normally");
  patched(
    proc,
    "getBuiltinModule",
    { value: throwing("getBuiltinModule") },
    () => {
      const mem = new LiveMemUse({ interval: 0 });
      assert.match(mem.toString(), REAL_LINE);
      const json = checkJSON(mem, "getBuiltinModule");
      assert.equal(json.heapLimit, undefined);
      assert.match(mem.toString(), REAL_LINE, "a second sample");
    },
  );
});

// ------------------------------------------------------- through Sampler

const GOOD: MemorySample = {
  runtime: "node",
  rss: 64 * MiB,
  heapTotal: 16 * MiB,
  heapUsed: 10 * MiB,
  external: 40 * MiB,
  arrayBuffers: 32 * MiB,
};
const GOOD_TEXT =
  "rss=64.0MiB (heap=16.0MiB (used:10.0MiB + free:6.0MiB) ; external=40.0MiB (arrayBuffers:32.0MiB) ; other=8.0MiB)";

// Each mode returns what sample() does; "good" is the recovery.
const MODES: [string, () => unknown][] = [
  ["good", () => ({ ...GOOD })],
  ["throws", throwing("sample")],
  ["throws a non-Error", () => {
    throw evil;
  }],
  ["NaN", () => ({ ...GOOD, rss: NaN, heapUsed: NaN })],
  ["negative", () => ({ ...GOOD, rss: -1, external: -5 })],
  ["huge", () => ({ ...GOOD, rss: 2 ** 70, heapTotal: 2 ** 60 })],
  ["missing fields", () => ({ runtime: "node", heapUsed: MiB })],
  ["throwing getter", () => ({
    ...GOOD,
    get heapUsed(): number {
      throw new Error("getter");
    },
  })],
  ["zeros", () => ({ runtime: "node", rss: 0, heapTotal: 0, external: 0 })],
  ["evil figures", () => ({ runtime: "node", rss: evil, heapTotal: evil })],
  ["evil sample", () => ({ ...GOOD, ...evil })],
  ["a Proxy", () => new Proxy({}, { get: throwing("get") })],
  ["undefined", () => undefined],
  ["a string", () => "64 MiB"],
];

test("Sampler faults in any order: every read prints what it can, a good sample recovers at once", () => {
  // A fixed schedule through every pair of modes (a de Bruijn-like walk):
  // each fault is followed by each other mode, so recovery from every fault
  // into every state is seen.
  const schedule: number[] = [];
  for (let a = 0; a < MODES.length; a++) {
    for (let b = 0; b < MODES.length; b++) schedule.push(a, b);
  }
  let mode = 0;
  let calls = 0;
  const sampler: Sampler = {
    runtime: "node",
    sample() {
      calls++;
      return MODES[mode][1]() as MemorySample;
    },
  };
  const mem = new LiveMemUse({ sampler, interval: 0 });
  for (const m of schedule) {
    mode = m;
    const where = MODES[m][0];
    const text = mem.toString();
    checkText(text, where);
    checkJSON(mem, where);
    if (where === "good") assert.equal(text, GOOD_TEXT, "recovered");
  }
  // toJSON samples too (interval 0): two samples a step.
  assert.equal(calls, schedule.length * 2);
});

test("Sampler faults with an interval: a failure is cached for the interval only", () => {
  let t = 0;
  let fail = true;
  const sampler: Sampler = {
    runtime: "node",
    sample: () => (fail ? throwing("sample")() : { ...GOOD }),
  };
  const mem = new LiveMemUse({ sampler, interval: 1000, now: () => t });
  assert.equal(mem.toString(), "unavailable");
  fail = false;
  t = 1000;
  assert.equal(mem.toString(), "unavailable", "still within the interval");
  t = 1000.001;
  assert.equal(mem.toString(), GOOD_TEXT, "the next sample recovers");
});

test("a Sampler that sometimes takes 50 ms: right text, and the cache holds", () => {
  let calls = 0;
  const sampler: Sampler = {
    runtime: "node",
    sample() {
      // The 1st and 3rd samples stall.
      if (++calls % 2 === 1) assert.ok(busyWait(50) > 0);
      return { ...GOOD };
    },
  };
  const fresh = new LiveMemUse({ sampler, interval: 0 });
  assert.equal(fresh.toString(), GOOD_TEXT);
  assert.equal(fresh.toString(), GOOD_TEXT);
  assert.equal(calls, 2);
  // The sample time is taken before sampling: a stall is not added to the
  // interval, and reads within it never call the sampler.
  let t = 0;
  const cached = new LiveMemUse({
    sampler,
    interval: 1000,
    now: () => t,
  });
  assert.equal(cached.toString(), GOOD_TEXT);
  t = 1000;
  assert.equal(cached.toString(), GOOD_TEXT);
  assert.equal(calls, 3, "one sample for two reads");
});

// ------------------------------------------------- import in a trapped scope

test("import: touches no runtime global and adds none; the first use needs no permission", async () => {
  // Deno runs it with no --allow-* flag and --no-prompt: a permission
  // check would fail the child instead of asking.
  const probe = "tests/support/import_probe.ts";
  const r = await runChild(
    runtime === "deno" ? ["run", "--no-prompt", probe] : [probe],
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
    trapped: string[];
    atImport: string[];
    added: string[];
    atUse: string[];
    text: string;
  };
  assert.ok(out.trapped.includes("process"), `trapped ${out.trapped}`);
  assert.ok(out.trapped.includes("performance"), `trapped ${out.trapped}`);
  // Symbol.for builds the protocol and inspect keys: a pure read.
  assert.deepEqual(
    out.atImport.filter((n) => n !== "Symbol"),
    [],
    "globals read at import",
  );
  assert.deepEqual(out.added, [], "globals added at import");
  // The traps work: the first use reads the runtime's API and the clock.
  const api = runtime === "deno" ? "Deno" : "process";
  assert.ok(out.atUse.includes(api), `used ${out.atUse}`);
  assert.ok(out.atUse.includes("performance"), `used ${out.atUse}`);
  assert.match(out.text, REAL_LINE);
});
