/**
 * The demo's workload: a saw-tooth of memory use. Three steps of growth
 * (ArrayBuffers, written so their pages are resident, and small objects),
 * then a step that frees half of what is held. A growing step allocates on
 * each of its ticks, so the live line moves while it runs.
 *
 * @module
 */

const MiB = 2 ** 20;
const BUFFER_BYTES = 4 * MiB;
const OBJECTS_PER_TICK = 15_000;

/** The memory the demo holds, and how it grows and shrinks. */
export class Workload {
  #buffers: ArrayBuffer[] = [];
  #records: { id: number; name: string; tags: string[] }[][] = [];

  /** Whether `step` (from 1) grows; every fourth step frees instead. */
  static growing(step: number): boolean {
    return step % 4 !== 0;
  }

  /** Does the work of one tick (from 0) of `step`. */
  tick(step: number, tick: number): void {
    if (Workload.growing(step)) {
      const buffer = new ArrayBuffer(BUFFER_BYTES);
      new Uint8Array(buffer).fill(tick + 1);
      this.#buffers.push(buffer);
      const batch = [];
      for (let i = 0; i < OBJECTS_PER_TICK; i++) {
        batch.push({ id: i, name: `r${step}.${i}`, tags: ["a", "b"] });
      }
      this.#records.push(batch);
    } else if (tick === 0) {
      this.#buffers.splice(0, Math.ceil(this.#buffers.length / 2));
      this.#records.splice(0, Math.ceil(this.#records.length / 2));
    }
  }

  /** What a step of `ticks` ticks did, in words. */
  summary(step: number, ticks: number): string {
    if (!Workload.growing(step)) {
      return `freed half: ${this.#buffers.length} buffers and ${this.#records.length} object batches left`;
    }
    const objects = (ticks * OBJECTS_PER_TICK).toLocaleString("en-US");
    return `allocated ${
      ticks * BUFFER_BYTES / MiB
    } MiB of ArrayBuffers, ${objects} objects`;
  }

  /** Drops everything it holds. */
  release(): void {
    this.#buffers.length = 0;
    this.#records.length = 0;
  }
}
