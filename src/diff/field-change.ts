// A changed field's two values for people to read: one short line each. The values given are already
// masked (compare masks Secrets before it looks for changes), so what is rendered here is safe to show.
import type { ChangedValue } from "./changed-paths.js";

/** One changed field of a comparison, its values rendered by `renderValue`. */
export interface FieldChange {
  /** JSON pointer into the live object (as in `Comparison.changedPaths`). */
  path: string;
  /** The desired value (what applying Git gives); absent when the desired object lacks the field. */
  desired?: string;
  /** The live value; absent when the live object lacks the field. */
  live?: string;
}

/** Longest rendered value, in characters; a longer one is cut and ends with "…". */
export const MAX_VALUE_CHARS = 120;

/** Strings that would read as another JSON type (or as nothing) unquoted. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is quoted
const NEEDS_QUOTES = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$|^\s|\s$|^$|["\u0000-\u001f\u007f]/;

/**
 * A JSON value on one line: a plain string as it is (quoted when it would read as a number, a boolean,
 * null or nothing, or holds quotes or control characters), anything else as compact JSON. Cut to
 * `maxChars` characters (code points), the last being "…".
 */
export function renderValue(value: unknown, maxChars: number = MAX_VALUE_CHARS): string {
  const text =
    typeof value === "string" && !NEEDS_QUOTES.test(value) ? value : (JSON.stringify(value) ?? String(value));
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(0, maxChars - 1)).join("")}…`;
}

/** Field changes from `changedValues(desired, live)` (desired on the `a` side, live on the `b` side). */
export function fieldChanges(values: readonly ChangedValue[]): FieldChange[] {
  return values.map(({ path, a, b }) => ({
    path,
    ...(a === undefined ? {} : { desired: renderValue(a) }),
    ...(b === undefined ? {} : { live: renderValue(b) }),
  }));
}
