// Where two (normalised) objects differ, as JSON pointers.

import { isRecord, jsonEqual } from "./json.js";
import { formatPointer } from "./json-pointer.js";

/**
 * The JSON pointers at which `a` and `b` differ, leaf-level: maps are compared key by key; a key on
 * one side only is reported as itself (its whole value). Arrays whose items are all maps with a unique
 * string `name` pair items by name, so one changed container reads `/spec/template/spec/containers/0/image`;
 * a pointer into a paired item uses `b`'s index, an item only in `a` uses `a`'s index. Any other array
 * (primitives, items without names) that differs is reported as a whole. Equal inputs give `[]`;
 * inputs of different types give `[""]` (the whole document). Order: `a`'s keys, then keys only in `b`.
 */
export function changedPaths(a: unknown, b: unknown): string[] {
  const out: string[] = [];
  collect(a, b, [], out);
  return out;
}

function collect(a: unknown, b: unknown, path: (string | number)[], out: string[]): void {
  if (jsonEqual(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    for (const key of Object.keys(a)) {
      if (Object.hasOwn(b, key)) collect(a[key], b[key], [...path, key], out);
      else out.push(formatPointer([...path, key]));
    }
    for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) out.push(formatPointer([...path, key]));
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
  out.push(formatPointer(path));
}

function collectNamed(
  a: unknown[],
  b: unknown[],
  aNames: string[],
  bNames: string[],
  path: (string | number)[],
  out: string[],
): void {
  for (const [i, name] of aNames.entries()) {
    const j = bNames.indexOf(name);
    if (j < 0) out.push(formatPointer([...path, i]));
    else collect(a[i], b[j], [...path, j], out);
  }
  for (const [j, name] of bNames.entries()) if (!aNames.includes(name)) out.push(formatPointer([...path, j]));
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
