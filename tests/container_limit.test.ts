// containerLimit(scope): the container's memory limit where the runtime
// gives it cheaply and without a permission, else undefined. Fake scopes for
// each answer a runtime may give (Node's 2^64 - 1 without a cgroup limit,
// Bun's total RAM, Deno's permission states), and the real runtime's own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { totalmem } from "node:os";
import { containerLimit } from "../lib/runtime.ts";
import { MiB, runtime } from "./_memory.ts";

const GiB = 1024 * MiB;

// A Node-like scope whose constrainedMemory() returns `value` and whose
// os.totalmem() returns `total` (none when undefined).
function nodeScope(value: unknown, total?: number) {
  const calls: string[] = [];
  const scope = {
    process: {
      constrainedMemory: () => {
        calls.push("constrainedMemory");
        return value;
      },
      getBuiltinModule: (id: string) => {
        calls.push(id);
        return id === "node:os" && total !== undefined
          ? { totalmem: () => total }
          : undefined;
      },
    },
  };
  return { scope, calls };
}

// A Deno-like scope: querySync answers `state` (or throws it when it is an
// Error); request() and requestSync() must never be called.
function denoScope(state: unknown, value: unknown = 256 * MiB) {
  const node = nodeScope(value, 16 * GiB);
  const queries: unknown[] = [];
  const never = () => {
    throw new Error("a permission was requested");
  };
  const scope = {
    ...node.scope,
    Deno: {
      permissions: {
        querySync: (desc: unknown) => {
          queries.push(desc);
          if (state instanceof Error) throw state;
          return { state };
        },
        request: never,
        requestSync: never,
        query: never,
      },
    },
  };
  return { scope, calls: node.calls, queries };
}

test("containerLimit: Node's 2^64 - 1 (no cgroup limit) and anything >= 2^53 is no limit", () => {
  for (const v of [2 ** 64 - 1, 2 ** 64, 2 ** 63, 2 ** 53, 2 ** 53 + 2]) {
    assert.equal(containerLimit(nodeScope(v).scope), undefined, `${v}`);
  }
  // Just below 2^53 (and no os.totalmem() to compare with) is a limit.
  assert.equal(containerLimit(nodeScope(2 ** 53 - 1).scope), 2 ** 53 - 1);
});

test("containerLimit: a real limit below 2^53 and below the machine's memory", () => {
  const { scope, calls } = nodeScope(256 * MiB, 16 * GiB);
  assert.equal(containerLimit(scope), 256 * MiB);
  assert.deepEqual(calls, ["constrainedMemory", "node:os"]);
  assert.equal(
    containerLimit(nodeScope(16 * GiB - 4096, 16 * GiB).scope),
    16 * GiB - 4096,
  );
  // Without os.totalmem() (no getBuiltinModule) the limit is taken as is.
  assert.equal(
    containerLimit({ process: { constrainedMemory: () => 2 * GiB } }),
    2 * GiB,
  );
});

test("containerLimit: Bun's answer without a limit (the machine's total memory) is no limit", () => {
  assert.equal(containerLimit(nodeScope(16 * GiB, 16 * GiB).scope), undefined);
  // At or above the total: no limit either.
  assert.equal(
    containerLimit(nodeScope(16 * GiB + 1, 16 * GiB).scope),
    undefined,
  );
});

test("containerLimit: 0, negative, NaN, infinite, a string, a bigint, an object are no limit", () => {
  for (
    const v of [
      0,
      -0,
      -1,
      -256 * MiB,
      NaN,
      Infinity,
      -Infinity,
      "268435456",
      268435456n,
      { valueOf: () => 256 * MiB },
      null,
      undefined,
    ]
  ) {
    assert.equal(
      containerLimit(nodeScope(v, 16 * GiB).scope),
      undefined,
      String(v),
    );
  }
});

test("containerLimit: a throwing or missing API is no limit, never a throw", () => {
  const throwing = {
    process: {
      constrainedMemory: () => {
        throw new Error("boom");
      },
    },
  };
  assert.equal(containerLimit(throwing), undefined);
  const badOs = {
    process: {
      constrainedMemory: () => 256 * MiB,
      getBuiltinModule: () => ({
        totalmem: () => {
          throw new Error("boom");
        },
      }),
    },
  };
  assert.doesNotThrow(() => containerLimit(badOs));
  for (
    const scope of [
      {},
      { process: {} },
      { process: null },
      { process: { constrainedMemory: 42 } },
      { process: { constrainedMemory: () => 256 * MiB, getBuiltinModule: 42 } },
      {
        get process(): never {
          throw new Error("getter");
        },
      },
    ]
  ) {
    assert.equal(containerLimit(scope), undefined);
  }
});

test("containerLimit: on Deno, read only while sys is granted; querySync is asked, nothing requested", () => {
  const granted = denoScope("granted");
  assert.equal(containerLimit(granted.scope), 256 * MiB);
  assert.deepEqual(granted.queries, [{
    name: "sys",
    kind: "systemMemoryInfo",
  }]);
  assert.deepEqual(granted.calls, ["constrainedMemory", "node:os"]);
  // Granted, but Deno's answer without a limit (2^63 - 1 here) is none.
  assert.equal(
    containerLimit(denoScope("granted", 2 ** 63 - 1).scope),
    undefined,
  );
  for (const state of ["prompt", "denied", undefined, "GRANTED"]) {
    const { scope, calls, queries } = denoScope(state);
    assert.equal(containerLimit(scope), undefined, String(state));
    assert.equal(queries.length, 1);
    // constrainedMemory() would prompt (or throw) on Deno: never called.
    assert.deepEqual(calls, [], String(state));
  }
});

test("containerLimit: on Deno, a throwing or missing querySync is no limit", () => {
  const thrown = denoScope(new Error("querySync failed"));
  assert.equal(containerLimit(thrown.scope), undefined);
  assert.deepEqual(thrown.calls, []);
  const { scope, calls } = nodeScope(256 * MiB, 16 * GiB);
  for (
    const deno of [{}, { permissions: {} }, {
      permissions: { querySync: () => undefined },
    }]
  ) {
    assert.equal(containerLimit({ ...scope, Deno: deno }), undefined);
  }
  assert.deepEqual(calls, []);
});

test("containerLimit: the real runtime's answer, on this machine no limit (never 2^64 - 1)", (t) => {
  const proc =
    (globalThis as { process?: { constrainedMemory?: () => number } })
      .process;
  // The tests run with all permissions on Deno, so the raw answer is readable.
  const raw = proc?.constrainedMemory?.();
  const got = containerLimit();
  t.diagnostic(
    `${runtime}: constrainedMemory() = ${raw}, containerLimit() = ${got}`,
  );
  assert.ok(
    got === undefined || Number.isSafeInteger(got) && got > 0,
    `${got}`,
  );
  assert.notEqual(got, 2 ** 64 - 1);
  // Node says 2^64 - 1, Deno 2^63 - 1, Bun the machine's memory when there
  // is no cgroup limit; only a real limit (a container) is a number.
  const total = totalmem();
  const expected =
    typeof raw === "number" && raw > 0 && raw < 2 ** 53 && raw < total
      ? raw
      : undefined;
  assert.equal(got, expected, `raw ${raw}, totalmem ${total}`);
  assert.equal(got, containerLimit(globalThis));
});
