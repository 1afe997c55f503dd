/**
 * The Formatter protocol: a value with a method under {@link formatter}
 * formats itself, like a Go value that implements `fmt.Formatter`.
 *
 * @module
 */

/**
 * The key of the Formatter method. It is `Symbol.for("livemem.formatter")`,
 * so two copies of this module (for example one from JSR and one bundled)
 * recognise each other's values.
 */
export const formatter: unique symbol = /* @__PURE__ */ Symbol.for(
  "livemem.formatter",
) as never;

/** The flags, width and precision of one verb, as Go's `fmt.State` gives them. */
export interface FormatState {
  /** The width, or `undefined` when the verb has none. */
  readonly width: number | undefined;
  /** The precision, or `undefined` when the verb has none. */
  readonly precision: number | undefined;
  /** The `+` flag. */
  readonly plus: boolean;
  /** The `-` flag: pad on the right. */
  readonly minus: boolean;
  /** The `#` flag: alternate form. */
  readonly sharp: boolean;
  /** The space flag. */
  readonly space: boolean;
  /** The `0` flag: pad with leading zeros. */
  readonly zero: boolean;
  /** Whether the printer groups integer digits with `,` (textui style). */
  readonly grouping: boolean;
}

/** A value that formats itself for any verb (Go's `fmt.Formatter`). */
export interface Formatter {
  /**
   * Returns the text for `verb` (one character, such as `"v"` or `"f"`)
   * under `state`. It should not throw; if it does, the printer prints
   * Go's `%!v(PANIC=Format method: …)` form instead.
   */
  [formatter](state: FormatState, verb: string): string;
}
