// RespectIgnoreDifferences=true: what the Application's ignoreDifferences name is written as it is live,
// so a sync does not take it back (an autoscaler's replicas). Pure.
import { describeRef, type IgnoreDifference, isRecord, type KubeObject, refOf } from "../api/index.js";
import { ownedPointers, parsePointer, ruleMatches, valueAt } from "../diff/index.js";

/** The container at `tokens` (maps made on the way when `make`), or undefined when there is none. */
function containerAt(root: unknown, tokens: readonly string[], make: boolean): unknown {
  let node = root;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node)) {
      if (node[token] === undefined && make) node[token] = {};
      node = node[token];
    } else return undefined;
  }
  return node;
}

/** Sets (or, for undefined, removes) the value at `tokens` in `root`, making the maps on the way; IN PLACE. */
function putInPlace(root: Record<string, unknown>, tokens: readonly string[], value: unknown): void {
  const last = tokens.at(-1);
  if (last === undefined) return;
  const parent = containerAt(root, tokens.slice(0, -1), value !== undefined);
  if (isRecord(parent)) {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  } else if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) return;
    if (value === undefined) parent.splice(index, 1);
    else parent[index] = value;
  }
}

/** Whether every step of `tokens` in `obj` goes through a map: a list index of live means nothing in Git. */
export function throughMapsOnly(obj: unknown, tokens: readonly string[]): boolean {
  return tokens.every((_, i) => isRecord(valueAt(obj, tokens.slice(0, i))));
}

/**
 * `desired` with every field an applicable rule ignores set to its live value (removed when it is not set
 * live): the paths of `jsonPointers`, and the fields `managedFieldsManagers` own live outside lists.
 * A malformed pointer throws, naming the object.
 */
export function keepIgnoredFields(
  desired: KubeObject,
  live: KubeObject,
  rules: readonly IgnoreDifference[],
): KubeObject {
  const ref = refOf(desired);
  const applicable = rules.filter((r) => ruleMatches(r, ref));
  if (applicable.length === 0) return desired;
  const out = structuredClone(desired);
  for (const rule of applicable)
    for (const tokens of ignoredPaths(rule, live, describeRef(ref)))
      if (tokens.length > 0) putInPlace(out, tokens, structuredClone(valueAt(live, tokens)));
  return out;
}

function ignoredPaths(rule: IgnoreDifference, live: KubeObject, name: string): string[][] {
  const paths: string[][] = [];
  for (const pointer of rule.jsonPointers ?? []) {
    try {
      paths.push(parsePointer(pointer));
    } catch (err) {
      throw new Error(`ignoreDifferences for ${name}: ${err instanceof Error ? err.message : err}`);
    }
  }
  const managers = new Set(rule.managedFieldsManagers ?? []);
  for (const entry of live.metadata.managedFields ?? []) {
    if (!entry.manager || !managers.has(entry.manager)) continue;
    for (const pointer of ownedPointers(live, entry.fieldsV1)) {
      const tokens = parsePointer(pointer);
      if (throughMapsOnly(live, tokens)) paths.push(tokens);
    }
  }
  return paths;
}
