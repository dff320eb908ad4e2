// Where two (normalised) objects differ, as JSON pointers, with the value on each side.

import { isRecord, jsonEqual } from "../api/index.js";
import { formatPointer } from "./json-pointer.js";

/** One place where `a` and `b` differ: its pointer and the value on each side (`undefined`: absent there). */
export interface ChangedValue {
  path: string;
  a: unknown;
  b: unknown;
}

/**
 * The JSON pointers at which `a` and `b` differ, leaf-level: maps are compared key by key; a key on
 * one side only is reported as itself (its whole value). Arrays whose items are all maps with a unique
 * string `name` pair items by name, so one changed container reads `/spec/template/spec/containers/0/image`;
 * a pointer into a paired item uses `b`'s index, an item only in `a` uses `a`'s index. Any other array
 * (primitives, items without names) that differs is reported as a whole. Equal inputs give `[]`;
 * inputs of different types give `[""]` (the whole document). Order: `a`'s keys, then keys only in `b`.
 */
export function changedPaths(a: unknown, b: unknown): string[] {
  return changedValues(a, b).map((c) => c.path);
}

/**
 * `changedPaths` with the values found there on each side. A paired list item's values are taken from
 * the item on each side (whatever its index), so they stay right when the pointer's index is `b`'s only.
 */
export function changedValues(a: unknown, b: unknown): ChangedValue[] {
  const out: ChangedValue[] = [];
  collect(a, b, [], out);
  return out;
}

function collect(a: unknown, b: unknown, path: (string | number)[], out: ChangedValue[]): void {
  if (jsonEqual(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    for (const key of Object.keys(a)) {
      if (Object.hasOwn(b, key)) collect(a[key], b[key], [...path, key], out);
      else out.push({ path: formatPointer([...path, key]), a: a[key], b: undefined });
    }
    for (const key of Object.keys(b))
      if (!Object.hasOwn(a, key)) out.push({ path: formatPointer([...path, key]), a: undefined, b: b[key] });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const aNames = namesOf(a);
    const bNames = namesOf(b);
    if (aNames && bNames) {
      collectNamed(a, b, aNames, bNames, path, out);
      return;
    }
  }
  out.push({ path: formatPointer(path), a, b });
}

function collectNamed(
  a: unknown[],
  b: unknown[],
  aNames: string[],
  bNames: string[],
  path: (string | number)[],
  out: ChangedValue[],
): void {
  for (const [i, name] of aNames.entries()) {
    const j = bNames.indexOf(name);
    if (j < 0) out.push({ path: formatPointer([...path, i]), a: a[i], b: undefined });
    else collect(a[i], b[j], [...path, j], out);
  }
  for (const [j, name] of bNames.entries())
    if (!aNames.includes(name)) out.push({ path: formatPointer([...path, j]), a: undefined, b: b[j] });
}

/** The `name` of every item, when every item is a map with a string name and no name repeats. */
function namesOf(list: unknown[]): string[] | undefined {
  const names: string[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.name !== "string") return undefined;
    names.push(item.name);
  }
  return new Set(names).size === names.length ? names : undefined;
}
