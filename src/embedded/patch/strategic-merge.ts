// Strategic merge patch, as kubectl sends it: maps merge, lists of the kind's associative lists merge
// by their patch merge key (containers by name, ports by containerPort, …), sets of scalars merge as
// sets, other lists replace. Directives: `$patch: replace|delete|merge` in a map or list item,
// `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`, `$retainKeys`.

import { cloneJson, isRecord, type JsonRecord, jsonEqual } from "../../api/index.js";
import type { FieldSchema } from "../resources/field-schema.js";
import { interleave, type OrderedItem } from "./list-order.js";
import { PatchError } from "./patch-error.js";

const DELETE_FROM = "$deleteFromPrimitiveList/";
const ORDER = "$setElementOrder/";

type Path = readonly string[];

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value))
    return value.filter((v) => !(isRecord(v) && Object.keys(v).length === 1 && "$patch" in v)).map(withoutDirectives);
  if (!isRecord(value)) return value;
  const out: JsonRecord = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith("$")) out[k] = withoutDirectives(v);
  return out;
}

function itemKey(item: unknown, key: string): unknown {
  return isRecord(item) ? item[key] : undefined;
}

function mergeMapList(
  original: unknown[],
  patch: unknown[],
  key: string,
  schema: FieldSchema,
  path: Path,
  order: unknown,
): unknown[] {
  if (patch.some((p) => isRecord(p) && p.$patch === "replace")) return withoutDirectives(patch) as unknown[];
  const idOf = (item: unknown) => JSON.stringify(itemKey(item, key));
  const liveIndex = new Map(original.map((item, i) => [idOf(item), i]));
  const named = new Map<string, OrderedItem>();
  const deleted = new Set<string>();
  for (const item of patch) {
    if (!isRecord(item)) throw new PatchError(`${path.join(".")}: list items must be objects`);
    if (item[key] === undefined) throw new PatchError(`${path.join(".")}: a list item lacks its merge key "${key}"`);
    const id = idOf(item);
    const at = liveIndex.get(id);
    if (item.$patch === "delete") {
      deleted.add(id);
      named.delete(id);
      continue;
    }
    const base = named.get(id)?.item ?? (at === undefined ? undefined : original[at]);
    named.set(id, {
      item: base === undefined ? withoutDirectives(item) : mergeValue(base, item, schema, path),
      liveIndex: at,
    });
  }
  let namedItems = [...named.values()];
  if (Array.isArray(order)) {
    for (const o of order) {
      const id = idOf(o);
      const at = liveIndex.get(id);
      if (!named.has(id) && !deleted.has(id) && at !== undefined)
        namedItems.push({ item: cloneJson(original[at]), liveIndex: at });
    }
    const position = (e: OrderedItem) => {
      const i = order.findIndex((o) => idOf(o) === idOf(e.item));
      return i < 0 ? order.length : i;
    };
    namedItems = namedItems
      .map((e, i) => ({ e, i }))
      .sort((a, b) => position(a.e) - position(b.e) || a.i - b.i)
      .map((x) => x.e);
  }
  const taken = new Set([...namedItems.map((e) => idOf(e.item)), ...deleted]);
  const liveOnly = original.flatMap((item, i) =>
    taken.has(idOf(item)) ? [] : [{ item: cloneJson(item), liveIndex: i }],
  );
  return interleave(namedItems, liveOnly, "first");
}

function mergeList(original: unknown, patch: unknown[], schema: FieldSchema, path: Path, order?: unknown): unknown[] {
  const type = schema.list(path);
  const base = Array.isArray(original) ? original : [];
  if (type.type === "map") return mergeMapList(base, patch, type.patchKey, schema, path, order);
  if (type.type === "set") {
    const out = [...base];
    for (const v of patch) if (!out.some((o) => jsonEqual(o, v))) out.push(v);
    return out;
  }
  return withoutDirectives(patch) as unknown[];
}

function deleteFromPrimitiveLists(result: JsonRecord, patch: JsonRecord): void {
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_FROM)) {
      const field = k.slice(DELETE_FROM.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(v))
        result[field] = current.filter((c) => !v.some((d) => jsonEqual(c, d)));
    }
  }
}

function mergeMap(original: unknown, patch: JsonRecord, schema: FieldSchema, path: Path): unknown {
  const directive = patch.$patch;
  if (directive === "replace") return withoutDirectives(patch);
  if (directive === "delete") return undefined;
  if (directive !== undefined && directive !== "merge")
    throw new PatchError(`unknown patch type: ${String(directive)}`);
  if (schema.atomicMap(path)) return withoutDirectives(patch);
  const result: JsonRecord = isRecord(original) ? { ...original } : {};
  const retain = patch.$retainKeys;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    if (v === null) {
      delete result[k];
      continue;
    }
    const merged = Array.isArray(v)
      ? mergeList(result[k], v, schema, [...path, k], patch[`${ORDER}${k}`])
      : mergeValue(result[k], v, schema, [...path, k]);
    if (merged === undefined) delete result[k];
    else result[k] = merged;
  }
  if (Array.isArray(retain)) for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  deleteFromPrimitiveLists(result, patch);
  return result;
}

function mergeValue(original: unknown, patch: unknown, schema: FieldSchema, path: Path): unknown {
  if (Array.isArray(patch)) return mergeList(original, patch, schema, path);
  if (isRecord(patch)) return mergeMap(original, patch, schema, path);
  return patch;
}

/** Applies a strategic merge patch to `original` (which is not modified). */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: FieldSchema): unknown {
  if (!isRecord(patch)) throw new PatchError("a strategic merge patch must be a JSON object");
  return mergeMap(cloneJson(original), patch, schema, []);
}
