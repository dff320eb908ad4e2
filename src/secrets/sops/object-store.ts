// A Kubernetes object that is already parsed (plain JavaScript values) and still carries its `sops`
// block: the render step's input. Key order is the object's property order, numbers are typed as a
// YAML reader would have typed their text; an object whose order or numbers JavaScript changed (an
// integer-like key, an int beyond 2^53, a date-only timestamp) fails the MAC rather than decrypting wrongly.

import { SopsFormatError } from "./errors.js";
import { formatRfc3339Nano } from "./go-time.js";
import type { GoScalar, TreeMap, TreeNode } from "./tree.js";

const MAX_DEPTH = 512;

function scalarOf(value: unknown, file: string): GoScalar {
  if (value === null || value === undefined) return { kind: "null" };
  if (typeof value === "string") return { kind: "str", value };
  if (typeof value === "boolean") return { kind: "bool", value };
  if (typeof value === "bigint") return { kind: "int", value };
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? { kind: "int", value: BigInt(value) } : { kind: "float", value };
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new SopsFormatError(file, "the object holds an invalid date");
    const d = new Date(ms);
    return {
      kind: "time",
      value: formatRfc3339Nano({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
        nanos: d.getUTCMilliseconds() * 1_000_000,
        offsetSeconds: 0,
      }),
    };
  }
  throw new SopsFormatError(file, `the object holds a ${typeof value} value, which SOPS cannot hold`);
}

function treeFromPlain(value: unknown, file: string, depth = 0): TreeNode {
  if (depth > MAX_DEPTH) throw new SopsFormatError(file, "the object is nested too deep");
  if (Array.isArray(value)) return { kind: "list", items: value.map((v) => treeFromPlain(v, file, depth + 1)) };
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return {
      kind: "map",
      entries: Object.entries(value).map(([key, v]) => ({
        kind: "pair",
        key,
        value: treeFromPlain(v, file, depth + 1),
      })),
    };
  }
  return { kind: "leaf", value: scalarOf(value, file) };
}

/** The object as a SOPS document (without `sops`) and its `sops` block. */
export function splitObject(object: Record<string, unknown>, file: string): { document: TreeMap; metadata: unknown } {
  const { sops: metadata, ...rest } = object;
  const document = treeFromPlain(rest, file);
  if (document.kind !== "map") throw new SopsFormatError(file, "the object is not a map");
  return { document, metadata };
}
