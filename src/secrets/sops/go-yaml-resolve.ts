// What go-yaml v3 (the parser SOPS uses) makes of a plain YAML scalar: null, bool, int, float, time or
// string. Its rules are not YAML 1.2's core schema: `0x1F`, `0o17`, `017` (octal!), `1_000` are ints,
// `08` is a float, `2024-01-02` is a time, `yes`, `on` and `1e400` stay strings.

import { parseGoFloat, parseGoIntBase0 } from "./go-number.js";
import { formatRfc3339Nano, parseYamlTimestamp } from "./go-time.js";
import type { GoScalar } from "./tree.js";

/** A plain scalar go-yaml reads as a uint64 beyond int64, a type SOPS cannot walk. */
export class UnsignedIntError extends Error {
  override readonly name: string = "UnsignedIntError";
}

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const NANS = new Set([".nan", ".NaN", ".NAN"]);
const POSITIVE_INFS = new Set([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]);
const NEGATIVE_INFS = new Set(["-.inf", "-.Inf", "-.INF"]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function fromMap(s: string): GoScalar | undefined {
  if (NULLS.has(s)) return { kind: "null" };
  if (TRUES.has(s)) return { kind: "bool", value: true };
  if (FALSES.has(s)) return { kind: "bool", value: false };
  if (NANS.has(s)) return { kind: "float", value: Number.NaN };
  if (POSITIVE_INFS.has(s)) return { kind: "float", value: Number.POSITIVE_INFINITY };
  if (NEGATIVE_INFS.has(s)) return { kind: "float", value: Number.NEGATIVE_INFINITY };
  return undefined;
}

function numeric(s: string): GoScalar | undefined {
  const time = parseYamlTimestamp(s);
  if (time) return { kind: "time", value: formatRfc3339Nano(time) };
  const plain = s.replaceAll("_", "");
  const signed = parseGoIntBase0(plain, { unsigned: false });
  if (signed.ok) return { kind: "int", value: signed.value };
  if (parseGoIntBase0(plain, { unsigned: true }).ok) {
    throw new UnsignedIntError("an integer beyond the int64 range");
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = parseGoFloat(plain);
    if (value !== undefined) return { kind: "float", value };
  }
  return undefined;
}

/** go-yaml v3's `resolve("", s)` for an untagged plain scalar. */
export function resolvePlainScalar(s: string): GoScalar {
  const mapped = fromMap(s);
  if (mapped) return mapped;
  const first = s[0] ?? "";
  if (first === ".") {
    const value = parseGoFloat(s);
    if (value !== undefined) return { kind: "float", value };
  } else if (/[-+0-9]/.test(first)) {
    const value = numeric(s);
    if (value) return value;
  }
  return { kind: "str", value: s };
}

const CORE_TAGS: Record<string, GoScalar["kind"]> = {
  "tag:yaml.org,2002:int": "int",
  "tag:yaml.org,2002:float": "float",
  "tag:yaml.org,2002:bool": "bool",
  "tag:yaml.org,2002:null": "null",
  "tag:yaml.org,2002:timestamp": "time",
};

/**
 * A scalar with an explicit core tag (`!!int 5`), resolved and checked as go-yaml does; an int is
 * accepted as a float. Undefined when the text does not fit the tag. Other tags (`!!str`, `!custom`) are strings.
 */
export function resolveTaggedScalar(tag: string, s: string): GoScalar | undefined {
  const wanted = CORE_TAGS[tag];
  if (wanted === undefined) return { kind: "str", value: s };
  const resolved = resolvePlainScalar(s);
  if (resolved.kind === wanted) return resolved;
  if (wanted === "float" && resolved.kind === "int") return { kind: "float", value: Number(resolved.value) };
  return undefined;
}

const OLD_BOOLS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const BASE_60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/**
 * Whether a string must be quoted to stay a string: for go-yaml (SOPS), for a YAML 1.2 core-schema
 * parser, and for YAML 1.1 parsers (`yes`, `on`, base-60 numbers), as go-yaml's encoder also quotes them.
 */
export function plainWouldNotBeString(s: string): boolean {
  let goKind: GoScalar["kind"];
  try {
    goKind = resolvePlainScalar(s).kind;
  } catch {
    return true;
  }
  return goKind !== "str" || OLD_BOOLS.test(s) || BASE_60.test(s) || CORE_INT.test(s) || CORE_FLOAT.test(s);
}
