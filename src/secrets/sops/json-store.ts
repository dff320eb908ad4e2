// SOPS JSON files, and the JSON envelope of SOPS binary files. JSON.parse cannot be used: it moves
// integer-like keys ("10", "2") to the front of an object, which changes the MAC order, and it loses
// the difference between 1 and 1.0. This parser keeps keys in document order and types numbers as
// SOPS 3.13 does: an integer within int64 is an int, every other number a float.

import { SopsFormatError } from "./errors.js";
import { goBytes } from "./go-value.js";
import type { ParsedSopsFile } from "./store.js";
import { type GoScalar, type TreeList, type TreeMap, type TreeNode, treeToPlain } from "./tree.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 512;

class JsonReader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  fail(what: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split("\n").length;
    const column = this.pos - before.lastIndexOf("\n");
    throw new SopsFormatError(this.file, `the JSON is not valid: ${what} at line ${line}, column ${column}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos] ?? "")) this.pos++;
  }

  document(): TreeMap {
    this.skipSpace();
    if (this.text[this.pos] !== "{") this.fail("SOPS JSON must be an object at the top level; found something else");
    const root = this.object(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail("unexpected text after the top-level object");
    return root;
  }

  value(depth: number): TreeNode {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth + 1);
    if (c === "[") return this.array(depth + 1);
    return { kind: "leaf", value: this.scalar() };
  }

  scalar(): GoScalar {
    const c = this.text[this.pos];
    if (c === '"') return { kind: "str", value: this.string() };
    for (const [word, value] of [
      ["true", { kind: "bool", value: true }],
      ["false", { kind: "bool", value: false }],
      ["null", { kind: "null" }],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail("expected a value");
    this.pos += m[0].length;
    return this.number(m[0]);
  }

  number(text: string): GoScalar {
    if (/^-?\d+$/.test(text)) {
      const value = BigInt(text);
      if (value >= INT64_MIN && value <= INT64_MAX) return { kind: "int", value };
    }
    const value = Number(text);
    if (!Number.isFinite(value)) this.fail("a number out of the float64 range");
    return { kind: "float", value };
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === "\\") this.pos += 2;
      else if (c === '"') break;
      else this.pos++;
    }
    if (this.pos >= this.text.length) this.fail("an unterminated string");
    this.pos++;
    try {
      const parsed: unknown = JSON.parse(this.text.slice(start, this.pos));
      if (typeof parsed === "string") return parsed;
    } catch {
      // reported below
    }
    this.pos = start;
    return this.fail("an invalid string");
  }

  object(depth: number): TreeMap {
    this.pos++;
    const entries: TreeMap["entries"] = [];
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "map", entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("expected a key");
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      entries.push({ kind: "pair", key, value: this.value(depth) });
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "}") return { kind: "map", entries };
      if (c !== ",") {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
    }
  }

  array(depth: number): TreeList {
    this.pos++;
    const items: TreeList["items"] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { kind: "list", items };
    }
    for (;;) {
      items.push(this.value(depth));
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "]") return { kind: "list", items };
      if (c !== ",") {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
    }
  }
}

/** Parses a JSON object into a tree that keeps key order and SOPS's number types. */
export function parseJsonTree(text: string, file: string): TreeMap {
  return new JsonReader(text, file).document();
}

/** Splits the top-level `sops` entry off a parsed JSON document. */
export function splitJsonMetadata(tree: TreeMap): { document: TreeMap; metadata: unknown } {
  let metadata: unknown;
  const entries = tree.entries.filter((entry) => {
    if (entry.kind !== "pair" || entry.key !== "sops") return true;
    metadata = treeToPlain(entry.value);
    return false;
  });
  return { document: { kind: "map", entries }, metadata };
}

/** JSON text of a float: Go's encoding/json form, with `.0` when it would otherwise read back as an int. */
function jsonFloat(v: number, file: string): string {
  if (!Number.isFinite(v))
    throw new SopsFormatError(file, "a decrypted float is NaN or infinite, which JSON cannot hold");
  const text = Object.is(v, -0) ? "-0" : String(v);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function jsonScalar(value: GoScalar, file: string): string {
  switch (value.kind) {
    case "str":
    case "time":
      return JSON.stringify(value.value);
    case "int":
      return value.value.toString();
    case "float":
      return jsonFloat(value.value, file);
    case "bool":
      return String(value.value);
    case "bytes":
      return JSON.stringify(Buffer.from(goBytes(value)).toString("base64"));
    case "null":
      return "null";
  }
}

/** Tab-indented JSON, as SOPS writes it; comments (only possible as decrypted list items) are dropped. */
export function emitJson(node: TreeNode, file: string, indent = ""): string {
  const inner = `${indent}\t`;
  if (node.kind === "leaf") return jsonScalar(node.value, file);
  if (node.kind === "map") {
    const pairs = node.entries.flatMap((e) =>
      e.kind === "pair" ? [`${inner}${JSON.stringify(e.key)}: ${emitJson(e.value, file, inner)}`] : [],
    );
    return pairs.length === 0 ? "{}" : `{\n${pairs.join(",\n")}\n${indent}}`;
  }
  const items = node.items.flatMap((i) => (i.kind === "comment" ? [] : [`${inner}${emitJson(i, file, inner)}`]));
  return items.length === 0 ? "[]" : `[\n${items.join(",\n")}\n${indent}]`;
}

export function parseJsonFile(content: string, file: string): ParsedSopsFile {
  const { document, metadata } = splitJsonMetadata(parseJsonTree(content, file));
  return {
    documents: [document],
    metadata,
    emit: () => `${emitJson(document, file)}\n`,
  };
}
