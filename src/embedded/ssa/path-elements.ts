// Encoding list items and fields as path elements, and finding or removing a path in an object.

import { canonicalJson, isRecord, jsonEqual } from "../../api/index.js";
import type { FieldSchema } from "../resources/field-schema.js";
import type { FieldPath, PathElement } from "./field-set.js";

/** Field names of a path (list items skipped): what FieldSchema answers questions about. */
export function schemaPath(path: FieldPath): string[] {
  return path.filter((e) => e.startsWith("f:")).map((e) => e.slice(2));
}

/** Key fields that the API server defaults before it names a list item (ports without a protocol are TCP). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: "TCP" };

export class ListKeyError extends Error {
  override readonly name = "ListKeyError";
}

/** `k:{"containerPort":80,"protocol":"TCP"}` for an item of an associative list. */
export function keyElement(item: unknown, keys: readonly string[], where: string): PathElement {
  if (!isRecord(item)) throw new ListKeyError(`${where}: expected an object in an associative list`);
  const key: Record<string, unknown> = {};
  for (const k of keys) {
    const value = item[k] ?? KEY_DEFAULTS[k];
    if (value === undefined) {
      if (keys.length > 1 && k !== keys[0]) continue;
      throw new ListKeyError(`${where}: associative list with keys has an element that omits key field "${k}"`);
    }
    key[k] = value;
  }
  return `k:${canonicalJson(key)}`;
}

export function valueElement(value: unknown): PathElement {
  return `v:${canonicalJson(value)}`;
}

/** The index of the item a list element names, or -1. */
export function findItem(list: readonly unknown[], element: PathElement, keys: readonly string[] | undefined): number {
  if (element.startsWith("i:")) {
    const i = Number(element.slice(2));
    return i < list.length ? i : -1;
  }
  if (element.startsWith("v:")) {
    const value: unknown = JSON.parse(element.slice(2));
    return list.findIndex((item) => jsonEqual(item, value));
  }
  if (element.startsWith("k:") && keys) {
    return list.findIndex((item) => {
      try {
        return keyElement(item, keys, "") === element;
      } catch {
        return false;
      }
    });
  }
  return -1;
}

function listKeys(schema: FieldSchema, path: FieldPath): readonly string[] | undefined {
  const type = schema.list(schemaPath(path));
  return type.type === "map" ? type.keys : undefined;
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath, schema: FieldSchema): unknown {
  let node = obj;
  for (let i = 0; i < path.length; i++) {
    const element = path[i] ?? "";
    if (element.startsWith("f:")) {
      if (!isRecord(node)) return undefined;
      node = node[element.slice(2)];
    } else if (Array.isArray(node)) {
      const at = findItem(node, element, listKeys(schema, path.slice(0, i)));
      if (at < 0) return undefined;
      node = node[at];
    } else return undefined;
  }
  return node;
}

/**
 * Removes the value at `path` from `obj` (in place). Maps left empty by the removal go too, up to the
 * first one that `keep` says stays (it is still named by the applier's configuration).
 */
export function removeAt(obj: unknown, path: FieldPath, schema: FieldSchema, keep: (path: FieldPath) => boolean): void {
  if (path.length === 0) return;
  const parentPath = path.slice(0, -1);
  const parent = valueAt(obj, parentPath, schema);
  const last = path[path.length - 1] ?? "";
  if (last.startsWith("f:")) {
    if (!isRecord(parent) || !Object.hasOwn(parent, last.slice(2))) return;
    delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const at = findItem(parent, last, listKeys(schema, parentPath));
    if (at < 0) return;
    parent.splice(at, 1);
  } else return;
  const emptied = isRecord(parent) ? Object.keys(parent).length === 0 : Array.isArray(parent) && parent.length === 0;
  if (emptied && parentPath.length > 1 && !keep(parentPath)) removeAt(obj, parentPath, schema, keep);
}
