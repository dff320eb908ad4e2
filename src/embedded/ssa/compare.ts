// What changed between two versions of an object, as field sets: the basis of ownership for writes
// that are not applies (operation Update) and of conflict detection for applies.

import { isRecord, jsonEqual } from "../../api/index.js";
import type { FieldSchema } from "../resources/field-schema.js";
import { type FieldPath, FieldSet } from "./field-set.js";
import { keyElement, schemaPath, valueElement } from "./path-elements.js";
import { isTrackedField } from "./to-field-set.js";

export interface Comparison {
  /** Paths that did not exist before: leaves, and maps, lists and list items created whole. */
  added: FieldSet;
  /** Leaves (and atomic values) whose value changed. */
  modified: FieldSet;
  /** Paths that existed before and are gone (their descendants went with them). */
  removed: FieldSet;
}

/**
 * Structs that exist in every object of their kind even when empty (Go value fields): creating an object
 * does not create them as a whole, so their path is not owned, only what is inside.
 */
const ALWAYS_PRESENT = new Set(["metadata", "spec", "status", "template", "strategy", "updateStrategy", "containers"]);

type Items = Map<string, unknown>;

function itemsOf(list: unknown[], path: FieldPath, schema: FieldSchema): Items | undefined {
  const type = schema.list(schemaPath(path));
  if (type.type === "atomic") return undefined;
  const items: Items = new Map();
  for (const item of list) {
    try {
      items.set(type.type === "map" ? keyElement(item, type.keys, "") : valueElement(item), item);
    } catch {
      return undefined;
    }
  }
  return items;
}

class Comparer {
  readonly result: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  constructor(private readonly schema: FieldSchema) {}

  added(value: unknown, path: FieldPath, isItem: boolean): void {
    const wholeIsOwned = isItem || !ALWAYS_PRESENT.has((path[path.length - 1] ?? "").slice(2));
    if (Array.isArray(value)) {
      const items = itemsOf(value, path, this.schema);
      if (!items || value.length === 0 || wholeIsOwned) this.result.added.insert(path);
      if (items) for (const [element, item] of items) this.added(item, [...path, element], true);
      return;
    }
    if (isRecord(value) && Object.keys(value).length > 0 && !this.schema.atomicMap(schemaPath(path))) {
      if (wholeIsOwned) this.result.added.insert(path);
      this.records({}, value, path);
      return;
    }
    this.result.added.insert(path);
  }

  records(before: Record<string, unknown>, after: Record<string, unknown>, path: FieldPath): void {
    for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!isTrackedField(path, field)) continue;
      const a = before[field];
      const b = after[field];
      const child = [...path, `f:${field}`];
      if (b === undefined && a !== undefined) this.result.removed.insert(child);
      else if (a === undefined && b !== undefined) this.added(b, child, false);
      else if (a !== undefined) this.values(a, b, child);
    }
  }

  lists(before: unknown[], after: unknown[], path: FieldPath): void {
    const a = itemsOf(before, path, this.schema);
    const b = itemsOf(after, path, this.schema);
    if (!a || !b) {
      if (!jsonEqual(before, after)) this.result.modified.insert(path);
      return;
    }
    for (const [element, item] of b) {
      if (a.has(element)) this.values(a.get(element), item, [...path, element]);
      else this.added(item, [...path, element], true);
    }
    for (const element of a.keys()) if (!b.has(element)) this.result.removed.insert([...path, element]);
  }

  values(a: unknown, b: unknown, path: FieldPath): void {
    if (isRecord(a) && isRecord(b) && !this.schema.atomicMap(schemaPath(path))) this.records(a, b, path);
    else if (Array.isArray(a) && Array.isArray(b)) this.lists(a, b, path);
    else if (!jsonEqual(a, b)) this.result.modified.insert(path);
  }
}

export function compareObjects(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  schema: FieldSchema,
): Comparison {
  const c = new Comparer(schema);
  c.records(before ?? {}, after, []);
  return c.result;
}

/** The paths of `set` that are neither in `removed` nor below a path of it. */
export function withoutRemoved(set: FieldSet, removed: FieldSet): FieldSet {
  const gone = removed.paths();
  return set.filter((p) => !gone.some((r) => r.length <= p.length && r.every((e, i) => p[i] === e)));
}
