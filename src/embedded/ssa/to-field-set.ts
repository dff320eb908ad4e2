// The fields an object (an applied configuration) sets: leaves, atomic lists and maps, empty maps,
// items of associative lists and sets. Server-owned metadata is never part of a field set.

import { isRecord } from "../../api/index.js";
import type { FieldSchema } from "../resources/field-schema.js";
import { type FieldPath, FieldSet } from "./field-set.js";
import { keyElement, schemaPath, valueElement } from "./path-elements.js";

/** Top-level and metadata fields no manager owns. */
const IGNORED_TOP = new Set(["apiVersion", "kind"]);
export const IGNORED_METADATA = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

/** Whether a field of a record at `path` takes part in field ownership. */
export function isTrackedField(path: FieldPath, field: string): boolean {
  if (path.length === 0) return !IGNORED_TOP.has(field);
  if (path.length === 1 && path[0] === "f:metadata") return !IGNORED_METADATA.has(field);
  return true;
}

function walkList(list: unknown[], path: FieldPath, schema: FieldSchema, set: FieldSet): void {
  const type = schema.list(schemaPath(path));
  if (type.type === "atomic") {
    set.insert(path);
    return;
  }
  for (const item of list) {
    const element = type.type === "map" ? keyElement(item, type.keys, pathString(path)) : valueElement(item);
    const itemPath = [...path, element];
    set.insert(itemPath);
    if (type.type === "map" && isRecord(item)) walkRecordFields(item, itemPath, schema, set);
  }
}

function walkRecordFields(record: Record<string, unknown>, path: FieldPath, schema: FieldSchema, set: FieldSet): void {
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined || !isTrackedField(path, field)) continue;
    walk(value, [...path, `f:${field}`], schema, set);
  }
}

function walk(value: unknown, path: FieldPath, schema: FieldSchema, set: FieldSet): void {
  if (Array.isArray(value)) walkList(value, path, schema, set);
  else if (isRecord(value) && Object.keys(value).length > 0 && !schema.atomicMap(schemaPath(path)))
    walkRecordFields(value, path, schema, set);
  else set.insert(path);
}

function pathString(path: FieldPath): string {
  return schemaPath(path).join(".");
}

/** The field set of a whole object. Throws ListKeyError for an associative list item without its key. */
export function fieldSetOf(obj: Record<string, unknown>, schema: FieldSchema): FieldSet {
  const set = new FieldSet();
  walkRecordFields(obj, [], schema, set);
  return set;
}
