// Durations as Application specs write them (`30s`, `1m`, `1h30m`, `500ms`, `1.5h`): Go's syntax without
// signs or sub-millisecond units. Pure.
import { InvalidDurationError } from "./errors.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/y;

/** Milliseconds of a duration string; throws InvalidDurationError. `0` alone is zero. */
export function parseDuration(input: string): number {
  if (input === "0") return 0;
  if (input.length === 0) throw new InvalidDurationError(input, "empty");
  if (input.length > 64) throw new InvalidDurationError(input, "longer than 64 characters");
  let total = 0;
  let at = 0;
  while (at < input.length) {
    PART.lastIndex = at;
    const m = PART.exec(input);
    if (m === null) {
      const reason = /^\d+(?:\.\d+)?$/.test(input.slice(at))
        ? "a number needs a unit (ms, s, m, h)"
        : `unexpected ${JSON.stringify(input.slice(at))} (use e.g. 30s, 1m, 1h30m)`;
      throw new InvalidDurationError(input, reason);
    }
    const [, amount = "", unit = ""] = m;
    total += Number(amount) * (UNIT_MS[unit] ?? Number.NaN);
    at = PART.lastIndex;
  }
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) throw new InvalidDurationError(input, "too large");
  return ms;
}
