/**
 * The live line: one row the demo redraws in place between log lines. This
 * module makes the bytes to write; it never writes.
 *
 * The cursor rests at the start of the live line, not at its end, so:
 * - a line another writer puts on the terminal meanwhile (the preload's
 *   reporter on stderr) starts at column 0; when it begins with `\r\x1b[K`
 *   it replaces the live line, and the next draw puts the live line below it;
 * - after the terminal narrows and rewraps the live line onto more rows, the
 *   cursor is still on its first row, and erasing that row and the ones
 *   below removes all of it (a terminal that cuts instead of rewrapping has
 *   blank rows there: the live line is always the last thing drawn).
 *
 * The live line is written with the terminal's autowrap off (DECAWM, turned
 * back on in the same write). A terminal narrows before the program learns
 * of it (tmux tells it some 20 ms later), so a line drawn for the old width
 * may reach a narrower terminal: it is then cut at the margin, on its one
 * row, instead of wrapping and leaving the cursor on a row below its start.
 *
 * @module
 */

const ERASE_ROW = "\x1b[K";
const DOWN = "\x1b[B"; // stops at the bottom row, never scrolls
const SAVE = "\x1b7";
const RESTORE = "\x1b8";
const NO_WRAP = "\x1b[?7l";
const WRAP = "\x1b[?7h";

/** The state of the live line on screen. */
export class LiveLine {
  #drawn = 0; // columns of the live line on screen; 0 when there is none

  /** Whether a live line is on screen. */
  get shown(): boolean {
    return this.#drawn > 0;
  }

  // Erases what was drawn: its row, and the rows a narrower terminal has
  // rewrapped it onto (the cursor is saved and restored around them).
  #erase(width: number): string {
    if (this.#drawn === 0) return "\r";
    const rows = Math.ceil(this.#drawn / Math.max(1, width));
    this.#drawn = 0;
    if (rows <= 1) return "\r" + ERASE_ROW;
    return "\r" + SAVE + ERASE_ROW + (DOWN + ERASE_ROW).repeat(rows - 1) +
      RESTORE;
  }

  /**
   * Replaces the live line with `text` (which must fit in `width - 1`
   * columns: see `fitLive`), or only erases it when `text` is `undefined`.
   */
  draw(text: string | undefined, width: number): string {
    const erase = this.#erase(width);
    if (text === undefined || text === "") return erase;
    this.#drawn = text.length;
    return erase + NO_WRAP + text + WRAP + "\r";
  }

  /** Erases the live line and prints `lines`, each on a row of its own. */
  print(lines: readonly string[], width: number): string {
    return this.#erase(width) + lines.join("\n") + "\n";
  }

  /** Erases the live line, leaving the cursor where it started. */
  clear(width: number): string {
    return this.#erase(width);
  }
}
