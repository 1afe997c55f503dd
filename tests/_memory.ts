// Helpers for the tests that allocate real memory on the real runtime.

/** Bytes in a MiB. */
export const MiB = 2 ** 20;

interface Globals {
  Deno?: unknown;
  Bun?: { gc?: (force: boolean) => void };
}
const g = globalThis as unknown as Globals;

/** The runtime running the tests, by its own global. */
export const runtime: "deno" | "bun" | "node" = g.Deno !== undefined
  ? "deno"
  : g.Bun !== undefined
  ? "bun"
  : "node";

/**
 * Bun updates heapUsed only at GC, so collect before a reading there; Deno
 * and Node report live figures and expose no gc() without flags.
 */
export function settle(): void {
  g.Bun?.gc?.(true);
}

// Everything a test allocates stays reachable until the process ends: a
// buffer freed by one test could otherwise be collected in the middle of the
// next test's measurement (V8 collects under external memory pressure) and
// hide what that test allocated.
const kept: unknown[] = [];

/** Allocates `mib` MiB of ArrayBuffers, written so their pages are resident. */
export function allocBuffers(mib: number): void {
  for (let i = 0; i < mib; i++) {
    const b = new ArrayBuffer(MiB);
    new Uint8Array(b).fill(i + 1);
    kept.push(b);
  }
}

/** Allocates `n` small objects on the JS heap (about 150 bytes each). */
export function allocObjects(n: number): void {
  const objs: object[] = [];
  for (let i = 0; i < n; i++) objs.push({ i, s: `x${i}`, a: [i, i + 1] });
  kept.push(objs);
}

/**
 * Runs a measurement up to `tries` times until its assertions pass. Under
 * `deno test` and `bun test` every test file shares one process, so another
 * test's garbage can be collected in the middle of a measurement and move a
 * figure by more than the tolerance; a figure in the wrong field fails every
 * attempt. Each attempt allocates afresh (nothing is freed, see `kept`).
 */
export function measure(tries: number, attempt: () => void): void {
  const errors: string[] = [];
  for (let i = 0; i < tries; i++) {
    try {
      attempt();
      return;
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  throw new Error(`all ${tries} attempts failed:\n${errors.join("\n")}`);
}
