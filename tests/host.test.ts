// lib/host.ts: hostHooks() over fake Deno, Node and other scopes (the
// facilities a scope offers, and that nothing is touched at the wrong
// time), and its stderr writer: fd 2 on Node and Bun, never the program's
// process.stderr stream; a full pipe drops a line, any other failure
// throws (the reporter then stops); a terminal gets "\r\x1b[K" first. The
// real runtimes with a closed stderr are tests/register.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostHooks } from "../lib/host.ts";

test("hostHooks: Deno reads a variable only when the env permission is granted", () => {
  const queried: string[] = [];
  let state = "prompt";
  const deno = {
    permissions: {
      querySync: (d: { name: string; variable: string }) => {
        queried.push(`${d.name}:${d.variable}`);
        return { state };
      },
    },
    env: { get: (name: string) => `value of ${name}` },
  };
  const host = hostHooks({ Deno: deno });
  assert.equal(host.env("LIVEMEM_INTERVAL"), undefined);
  state = "denied";
  assert.equal(host.env("LIVEMEM_INTERVAL"), undefined);
  state = "granted";
  assert.equal(host.env("LIVEMEM_FORMAT"), "value of LIVEMEM_FORMAT");
  assert.deepEqual(queried, [
    "env:LIVEMEM_INTERVAL",
    "env:LIVEMEM_INTERVAL",
    "env:LIVEMEM_FORMAT",
  ]);
  // A Deno without the permissions API reads nothing.
  assert.equal(hostHooks({ Deno: { env: deno.env } }).env("X"), undefined);
});

test("hostHooks: Deno writes with writeSync, unrefs its timer, and hooks unload", () => {
  const written: Uint8Array[] = [];
  const unrefed: number[] = [];
  const listeners: [string, () => void][] = [];
  const removed: string[] = [];
  const scope = {
    Deno: {
      // A short write: the rest must be written too.
      stderr: {
        writeSync: (
          b: Uint8Array,
        ) => (written.push(b.slice(0, 3)), Math.min(3, b.length)),
      },
      unrefTimer: (id: number) => void unrefed.push(id),
    },
    setInterval: () => 42,
    clearInterval: (id: number) => void removed.push(`timer ${id}`),
    addEventListener: (type: string, fn: () => void) =>
      void listeners.push([type, fn]),
    removeEventListener: (type: string) => void removed.push(type),
  };
  const host = hostHooks(scope);
  host.write("livemem\n");
  assert.equal(
    new TextDecoder().decode(new Uint8Array(written.flatMap((b) => [...b]))),
    "livemem\n",
  );
  const stop = host.every(() => {}, 100);
  assert.deepEqual(unrefed, [42]);
  stop();
  const remove = host.onExit(() => {});
  assert.equal(listeners[0][0], "unload");
  remove();
  assert.deepEqual(removed, ["timer 42", "unload"]);
});

test("hostHooks: Node and Bun use process.stderr, process.env, unref() and process.on('exit')", () => {
  const out: string[] = [];
  const calls: string[] = [];
  const scope = {
    process: {
      stderr: { write: (s: string) => out.push(s) },
      env: { LIVEMEM_INTERVAL: "100" },
      on: (event: string) => void calls.push(`on ${event}`),
      off: (event: string) => void calls.push(`off ${event}`),
    },
    setInterval: () => ({ unref: () => void calls.push("unref") }),
    clearInterval: () => void calls.push("clear"),
  };
  const host = hostHooks(scope);
  host.write("x\n");
  assert.deepEqual(out, ["x\n"]);
  assert.equal(host.env("LIVEMEM_INTERVAL"), "100");
  assert.equal(host.env("LIVEMEM_FORMAT"), undefined);
  host.every(() => {}, 100)();
  host.onExit(() => {})();
  assert.deepEqual(calls, ["unref", "clear", "on exit", "off exit"]);
});

test("hostHooks: elsewhere, console.error, no environment and no exit hook", () => {
  const errors: unknown[][] = [];
  const host = hostHooks({
    console: { error: (...a: unknown[]) => void errors.push(a) },
  });
  host.write("livemem: x\n");
  assert.deepEqual(errors, [["livemem: x"]]);
  assert.equal(host.env("LIVEMEM_INTERVAL"), undefined);
  // No setInterval in that scope: no timer, and stopping it is harmless.
  assert.doesNotThrow(() => host.every(() => {}, 100)());
  assert.doesNotThrow(() => host.onExit(() => {})());
});

/** An error like those Node, Bun and Deno throw from a failed write. */
function ioError(code: string, name = "Error"): Error {
  return Object.assign(new Error(`${code}: write`), { code, name });
}

/**
 * A Node-like scope whose node:fs writeSync is `writeSync`, and whose
 * process.stderr stream counts how often it is looked at.
 */
function nodeScope(
  writeSync: (fd: number, bytes: Uint8Array) => number,
  terminal = false,
) {
  const looked = { stderr: 0 };
  const modules: Record<string, unknown> = {
    "node:fs": { writeSync },
    "node:tty": { isatty: (fd: number) => terminal && fd === 2 },
  };
  const scope = {
    process: {
      getBuiltinModule: (id: string) => modules[id],
      get stderr(): unknown {
        looked.stderr++;
        throw new Error("process.stderr must not be touched");
      },
      env: {},
    },
  };
  return { scope, looked };
}

const text = (chunks: Uint8Array[]): string =>
  new TextDecoder().decode(new Uint8Array(chunks.flatMap((b) => [...b])));

test("host writer, Node and Bun: fs.writeSync on fd 2, every byte, never process.stderr", () => {
  const chunks: Uint8Array[] = [];
  const fds: number[] = [];
  // Short writes: at most 4 bytes at a time.
  const { scope, looked } = nodeScope((fd, bytes) => {
    fds.push(fd);
    chunks.push(bytes.slice(0, 4));
    return Math.min(4, bytes.length);
  });
  const host = hostHooks(scope);
  host.write("livemem: rss=1.0MiB\n");
  assert.equal(text(chunks), "livemem: rss=1.0MiB\n");
  assert.ok(fds.length > 1 && fds.every((fd) => fd === 2), String(fds));
  assert.equal(looked.stderr, 0, "the program's stream was never looked at");
});

test("host writer, Node and Bun: a full pipe drops the line; a closed one throws", () => {
  let fail: Error | undefined = ioError("EAGAIN");
  const chunks: Uint8Array[] = [];
  const { scope } = nodeScope((_fd, bytes) => {
    if (fail) throw fail;
    chunks.push(bytes.slice());
    return bytes.length;
  });
  const host = hostHooks(scope);
  assert.doesNotThrow(() => host.write("dropped\n"), "EAGAIN: dropped");
  fail = undefined;
  host.write("kept\n");
  assert.equal(text(chunks), "kept\n");
  for (const code of ["EPIPE", "EBADF", "EIO"]) {
    fail = ioError(code);
    assert.throws(() => host.write("x\n"), (e: unknown) => e === fail, code);
  }
  // A writeSync that writes nothing must not loop forever.
  const stuck = hostHooks(nodeScope(() => 0).scope);
  assert.doesNotThrow(() => stuck.write("x\n"));
});

test("host writer, Node and Bun: on a terminal each line first clears its row", () => {
  const chunks: Uint8Array[] = [];
  const write = (_fd: number, bytes: Uint8Array) => (
    chunks.push(bytes.slice()), bytes.length
  );
  hostHooks(nodeScope(write, true).scope).write("livemem: a\n");
  hostHooks(nodeScope(write, false).scope).write("livemem: b\n");
  assert.equal(text(chunks), "\r\x1b[Klivemem: a\nlivemem: b\n");
});

test("host writer, Deno: writeSync; WouldBlock drops, BrokenPipe throws, a terminal clears its row", () => {
  const chunks: Uint8Array[] = [];
  let fail: Error | undefined;
  const stderr = {
    terminal: true,
    writeSync(bytes: Uint8Array): number {
      if (fail) throw fail;
      chunks.push(bytes.slice());
      return bytes.length;
    },
    isTerminal() {
      return stderr.terminal;
    },
  };
  const host = hostHooks({ Deno: { stderr } });
  host.write("livemem: a\n");
  assert.equal(text(chunks), "\r\x1b[Klivemem: a\n");
  fail = ioError("EAGAIN", "WouldBlock");
  assert.doesNotThrow(() => host.write("dropped\n"));
  fail = ioError("EPIPE", "BrokenPipe");
  assert.throws(() => host.write("x\n"), (e: unknown) => e === fail);
  stderr.terminal = false;
  fail = undefined;
  chunks.length = 0;
  hostHooks({ Deno: { stderr } }).write("livemem: b\n");
  assert.equal(text(chunks), "livemem: b\n", "not a terminal: as is");
});

test("host writer, a Node without getBuiltinModule: process.stderr, checked before each write", () => {
  const out: string[] = [];
  const stream = {
    destroyed: false,
    writable: true,
    pending: undefined as ((e?: unknown) => void) | undefined,
    write(s: string, done: (e?: unknown) => void) {
      out.push(s);
      stream.pending = done;
      return true;
    },
  };
  const host = hostHooks({ process: { stderr: stream } });
  host.write("a\n");
  stream.pending!(); // written
  host.write("b\n");
  assert.deepEqual(out, ["a\n", "b\n"]);
  // A write that failed later (its callback got the error): the next throws.
  const epipe = ioError("EPIPE");
  stream.pending!(epipe);
  assert.throws(() => host.write("c\n"), (e: unknown) => e === epipe);
  // A destroyed or ended stream throws before writing.
  for (const state of [{ destroyed: true }, { writable: false }]) {
    const s = { ...stream, ...state, write: () => out.push("never") };
    assert.throws(() => hostHooks({ process: { stderr: s } }).write("d\n"));
  }
  assert.deepEqual(out, ["a\n", "b\n"]);
});

test("hostHooks: a scope whose globals throw when probed gets a host that does nothing", () => {
  const hostile = new Proxy({}, {
    get() {
      throw new Error("probe");
    },
    has() {
      throw new Error("probe");
    },
  });
  const host = hostHooks(hostile);
  assert.doesNotThrow(() => host.write("x\n"));
  assert.equal(host.env("LIVEMEM_INTERVAL"), undefined);
  assert.doesNotThrow(() => host.every(() => {}, 100)());
  assert.doesNotThrow(() => host.onExit(() => {})());
});
