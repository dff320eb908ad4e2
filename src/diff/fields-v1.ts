// Reading managedFields: a `fieldsV1` set names fields by name ("f:"), list items by key ("k:{...}"),
// by value ("v:<json>") or by index ("i:N"); "." is the map or item itself. Here those names are turned
// into JSON pointers of one concrete object.

import { isRecord, type JsonRecord, jsonEqual } from "../api/index.js";
import { formatPointer } from "./json-pointer.js";

/** One field a manager owns, located in a concrete object. */
export interface OwnedField {
  /** JSON pointer into the object the fieldsV1 set was read against. */
  pointer: string;
  /**
   * True for a "." entry: the manager owns the existence of this map or list item (it created it or
   * set it as a whole), not necessarily every field inside it. False for a field owned as a value.
   */
  self: boolean;
  /**
   * Set (true) on a field that is part of its list item's key: `name` inside `k:{"name":"web"}`. It is
   * the item's identity rather than content; every owner of the item owns it.
   */
  key?: true;
}

/**
 * The fields a `fieldsV1` set names, as pointers into `obj`. Field names ("f:") resolve even when the
 * object lacks the field; list items ("k:", "v:", "i:") resolve only when the object has a matching
 * item, so an entry that names an item the object does not have yields nothing. Malformed entries are
 * skipped: managedFields is data written by other programs.
 */
export function ownedFields(obj: unknown, fieldsV1: unknown): OwnedField[] {
  const out: OwnedField[] = [];
  walk(obj, fieldsV1, [], out);
  return out;
}

/** The pointers of `ownedFields`, fields owned as values only (no "." entries). */
export function ownedPointers(obj: unknown, fieldsV1: unknown): string[] {
  return ownedFields(obj, fieldsV1)
    .filter((f) => !f.self)
    .map((f) => f.pointer);
}

/** `keys`: the key field names when `node` is a list item reached through "k:{...}". */
function walk(node: unknown, set: unknown, path: (string | number)[], out: OwnedField[], keys?: JsonRecord): void {
  if (!isRecord(set)) return;
  for (const [element, children] of Object.entries(set)) {
    if (element === ".") {
      out.push({ pointer: formatPointer(path), self: true });
      continue;
    }
    const step = resolve(node, element);
    if (step === undefined) continue;
    const childPath = [...path, step.token];
    if (isRecord(children) && Object.keys(children).length > 0) {
      walk(step.value, children, childPath, out, step.key);
    } else {
      const isKey = keys !== undefined && element.startsWith("f:") && Object.hasOwn(keys, element.slice(2));
      out.push(
        isKey
          ? { pointer: formatPointer(childPath), self: false, key: true }
          : { pointer: formatPointer(childPath), self: false },
      );
    }
  }
}

interface Step {
  token: string | number;
  value: unknown;
  /** The key of a "k:" item. */
  key?: JsonRecord;
}

function resolve(node: unknown, element: string): Step | undefined {
  const kind = element.slice(0, 2);
  const rest = element.slice(2);
  switch (kind) {
    case "f:":
      return { token: rest, value: isRecord(node) ? node[rest] : undefined };
    case "k:": {
      const key = parseJson(rest);
      if (!isRecord(key) || !Array.isArray(node)) return undefined;
      const step = located(
        node,
        node.findIndex((item) => isRecord(item) && Object.entries(key).every(([k, v]) => jsonEqual(item[k], v))),
      );
      return step && { ...step, key };
    }
    case "v:": {
      if (!Array.isArray(node)) return undefined;
      const wanted = parseJson(rest);
      if (wanted === undefined) return undefined;
      return located(
        node,
        node.findIndex((item) => jsonEqual(item, wanted)),
      );
    }
    case "i:": {
      if (!Array.isArray(node) || !/^(0|[1-9][0-9]*)$/.test(rest)) return undefined;
      return located(node, Number(rest));
    }
    default:
      return undefined;
  }
}

function located(list: unknown[], index: number): Step | undefined {
  return index >= 0 && index < list.length ? { token: index, value: list[index] } : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
