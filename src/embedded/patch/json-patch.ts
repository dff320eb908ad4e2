// JSON Patch (RFC 6902): add, remove, replace, move, copy, test over JSON pointers (RFC 6901).

import { cloneJson, isRecord, jsonEqual } from "../../api/index.js";
import { PatchError } from "./patch-error.js";

export interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new PatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Reads and validates a JSON Patch document. */
export function parseJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) throw new PatchError("a JSON patch must be an array of operations");
  return body.map((op, i) => {
    if (!isRecord(op) || typeof op.op !== "string" || typeof op.path !== "string")
      throw new PatchError(`operation ${i} needs "op" and "path"`);
    if (!["add", "remove", "replace", "move", "copy", "test"].includes(op.op))
      throw new PatchError(`unexpected kind of operation "${op.op}"`);
    if ((op.op === "move" || op.op === "copy") && typeof op.from !== "string")
      throw new PatchError(`operation ${i} (${op.op}) needs "from"`);
    if ((op.op === "add" || op.op === "replace" || op.op === "test") && !Object.hasOwn(op, "value"))
      throw new PatchError(`operation ${i} (${op.op}) needs "value"`);
    return op as unknown as JsonPatchOperation;
  });
}

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === "-") return length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PatchError(`invalid array index "${token}"`);
  const i = Number(token);
  if (i > length || (!forAdd && i === length)) throw new PatchError(`array index ${i} out of bounds`);
  return i;
}

/** The container (object or array) a pointer's last token lives in. */
function parentOf(doc: unknown, tokens: string[], pointer: string): unknown {
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(t, node.length, false)];
    else if (isRecord(node) && Object.hasOwn(node, t)) node = node[t];
    else throw new PatchError(`path "${pointer}" does not exist`);
  }
  return node;
}

function get(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(t, node.length, false)];
    else if (isRecord(node) && Object.hasOwn(node, t)) node = node[t];
    else throw new PatchError(`path "${pointer}" does not exist`);
  }
  return node;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, pointer);
  const last = tokens[tokens.length - 1] ?? "";
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isRecord(parent)) parent[last] = value;
  else throw new PatchError(`path "${pointer}" does not exist`);
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PatchError("cannot remove the whole document");
  const parent = parentOf(doc, tokens, pointer);
  const last = tokens[tokens.length - 1] ?? "";
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (isRecord(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new PatchError(`unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

function applyOne(doc: unknown, op: JsonPatchOperation): unknown {
  switch (op.op) {
    case "add":
      return add(doc, op.path, cloneJson(op.value));
    case "remove":
      return remove(doc, op.path);
    case "replace":
      get(doc, op.path);
      return add(remove(doc, op.path), op.path, cloneJson(op.value));
    case "move": {
      const value = get(doc, op.from ?? "");
      return add(remove(doc, op.from ?? ""), op.path, value);
    }
    case "copy":
      return add(doc, op.path, cloneJson(get(doc, op.from ?? "")));
    case "test":
      if (!jsonEqual(get(doc, op.path), op.value)) throw new PatchError(`testing value ${op.path} failed`);
      return doc;
  }
}

/** Applies the operations in order to a copy of `doc`; all or nothing. */
export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOperation[]): unknown {
  let result = cloneJson(doc);
  for (const op of ops) result = applyOne(result, op);
  return result;
}
