// Numbers the way Go's strconv reads and writes them: SOPS feeds Go's text of every value into its MAC,
// so a float must be written exactly as `strconv.FormatFloat(v, 'f', -1, 64)` would (never an exponent),
// and an int read exactly as `strconv.ParseInt(s, 0, 64)` would (0x, 0o, 0b and a leading-0 octal).

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Shortest round-trip decimal digits of a finite, non-zero |v|, and where the decimal point goes. */
function shortestDigits(v: number): { digits: string; point: number } {
  // toExponential() without an argument gives as many digits as needed to identify the value: the
  // shortest round-trip form, as Go's 'f'/-1 and 'g'/-1 use.
  const text = Math.abs(v).toExponential();
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) throw new Error(`unexpected exponential form ${text}`);
  const digits = (match[1] ?? "") + (match[2] ?? "");
  return { digits, point: Number(match[3]) + 1 };
}

function nonFinite(v: number): string | undefined {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return undefined;
}

/** `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, plain decimal notation. */
export function formatFloatF(v: number): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  if (v === 0) return `${sign}0`;
  const { digits, point } = shortestDigits(v);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `strconv.FormatFloat(v, 'g', -1, 64)`, what go-yaml writes for a float64 (exponent from 1e+06 and below 1e-04). */
export function formatFloatG(v: number): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const { digits, point } = shortestDigits(v);
  const exp = point - 1;
  if (exp < -4 || exp >= 6) {
    const sign = v < 0 ? "-" : "";
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${mantissa}e${exp < 0 ? "-" : "+"}${e}`;
  }
  return formatFloatF(v);
}

/** `strconv.ParseBool`. */
export function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** Go's text of a bool in SOPS (`strings.Title(strconv.FormatBool(b))`). */
export function formatGoBool(b: boolean): string {
  return b ? "True" : "False";
}

/** `strconv.Atoi` on 64-bit Go: optional sign, decimal digits, within int64. */
export function parseGoDecimalInt(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const value = BigInt(s.startsWith("+") ? s.slice(1) : s);
  return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
}

export type GoIntParse = { ok: true; value: bigint } | { ok: false; reason: "syntax" | "range" };

/**
 * `strconv.ParseInt(s, 0, bits)` (and ParseUint with `unsigned`): base from the prefix (0x, 0o, 0b, or a
 * leading 0 for octal), optional sign (ParseInt only). Underscores are not accepted: callers strip them first.
 */
export function parseGoIntBase0(s: string, options: { unsigned: boolean }): GoIntParse {
  let body = s;
  let negative = false;
  if (!options.unsigned && (body.startsWith("+") || body.startsWith("-"))) {
    negative = body.startsWith("-");
    body = body.slice(1);
  }
  if (body === "") return { ok: false, reason: "syntax" };
  let prefix = "";
  let digits = body;
  let pattern = /^[0-9]+$/;
  if (body.length > 1 && body[0] === "0") {
    const marker = body[1]?.toLowerCase();
    if (marker === "x") [prefix, digits, pattern] = ["0x", body.slice(2), /^[0-9a-fA-F]+$/];
    else if (marker === "b") [prefix, digits, pattern] = ["0b", body.slice(2), /^[01]+$/];
    else if (marker === "o") [prefix, digits, pattern] = ["0o", body.slice(2), /^[0-7]+$/];
    else [prefix, digits, pattern] = ["0o", body.slice(1), /^[0-7]+$/];
  }
  if (!pattern.test(digits)) return { ok: false, reason: "syntax" };
  const magnitude = BigInt(prefix + digits);
  const value = negative ? -magnitude : magnitude;
  const [min, max] = options.unsigned ? [0n, UINT64_MAX] : [INT64_MIN, INT64_MAX];
  return value >= min && value <= max ? { ok: true, value } : { ok: false, reason: "range" };
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * `strconv.ParseFloat(s, 64)` for the forms SOPS writes and reads: decimal with optional exponent, and
 * inf/infinity/nan in any case with an optional sign. Out of range (1e400) is an error, as in Go.
 */
export function parseGoFloat(s: string): number | undefined {
  const lower = s.toLowerCase();
  const unsigned = lower.replace(/^[+-]/, "");
  if (unsigned === "inf" || unsigned === "infinity") {
    return lower.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (unsigned === "nan" && lower === "nan") return Number.NaN;
  if (!DECIMAL_FLOAT.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}
