// `ignoreDifferences` of the Application spec: paths that are removed from both sides before comparing.
import {
  cloneJson,
  describeRef,
  type IgnoreDifference,
  isRecord,
  type KubeObject,
  type ObjectRef,
  refOf,
} from "../api/index.js";
import { IgnoreRuleError, JsonPointerError } from "./errors.js";
import { type OwnedField, ownedFields } from "./fields-v1.js";
import { isAncestorPointer, parsePointer, removeInPlace, valueAt } from "./json-pointer.js";

/**
 * Whether `rule` (one entry of the Application's `spec.ignoreDifferences`) applies to the object `ref`:
 * same group ("" or absent for the core group) and kind, and name/namespace when the rule sets them.
 */
export function ruleMatches(rule: IgnoreDifference, ref: ObjectRef): boolean {
  if ((rule.group ?? "") !== ref.group || rule.kind !== ref.kind) return false;
  if (rule.name !== undefined && rule.name !== "" && rule.name !== ref.name) return false;
  if (rule.namespace !== undefined && rule.namespace !== "" && rule.namespace !== ref.namespace) return false;
  return true;
}

export interface ApplyIgnoreOptions {
  /** The dry-run result (or any object to compare with live), usually already normalised. */
  desired: KubeObject;
  /** The live object, usually already normalised. */
  live: KubeObject;
  /** The live object as read, WITH metadata.managedFields (normalising drops them). Defaults to `live`. */
  liveWithManagedFields?: KubeObject;
  rules: readonly IgnoreDifference[];
}

/**
 * Copies of `desired` and `live` with every path an applicable rule ignores removed from both.
 * Throws `IgnoreRuleError` (naming the object) when a rule's JSON pointer is malformed.
 */
export function applyIgnoreDifferences(options: ApplyIgnoreOptions): { desired: KubeObject; live: KubeObject } {
  const desired = cloneJson(options.desired);
  const live = cloneJson(options.live);
  const ref = refOf(options.live);
  const rules = options.rules.filter((r) => ruleMatches(r, ref));
  if (rules.length === 0) return { desired, live };

  for (const rule of rules) {
    for (const pointer of rule.jsonPointers ?? []) {
      let tokens: string[];
      try {
        tokens = parsePointer(pointer);
      } catch (err) {
        const reason = err instanceof JsonPointerError ? err.message : String(err);
        throw new IgnoreRuleError(`ignoreDifferences for ${describeRef(ref)}: ${reason}`, { cause: err });
      }
      if (tokens.length === 0) {
        throw new IgnoreRuleError(`ignoreDifferences for ${describeRef(ref)}: the pointer "" would ignore everything`);
      }
      removeInPlace(desired, tokens);
      removeInPlace(live, tokens);
    }
  }

  const managers = new Set(rules.flatMap((r) => r.managedFieldsManagers ?? []));
  if (managers.size > 0) {
    const source = options.liveWithManagedFields ?? options.live;
    const sets = (source.metadata?.managedFields ?? [])
      .filter((e) => e.manager !== undefined && managers.has(e.manager))
      .map((e) => e.fieldsV1);
    // The sets name fields by key, not by index, so each side is resolved on its own.
    for (const set of sets) {
      removeOwned(live, ownedFields(live, set));
      removeOwned(desired, ownedFields(desired, set));
    }
  }
  return { desired, live };
}

/**
 * Remove owned fields from `obj` in place. Leaf fields go, except the key fields of list items (`name` of
 * `k:{"name":"web"}`): they are identity, and keep items pairable. A "." (the map or item itself) goes
 * only when the manager owned something inside it and nothing but key fields is left, so co-owned items
 * keep the other owners' fields. Deepest pointers first, and array items from the highest index down,
 * so an earlier removal never shifts the index of a later one.
 */
function removeOwned(obj: KubeObject, fields: OwnedField[]): void {
  const ordered = fields
    .map((f) => ({ ...f, tokens: parsePointer(f.pointer) }))
    .sort((x, y) => y.tokens.length - x.tokens.length || compareTokensDescending(x.tokens, y.tokens));
  for (const field of ordered) {
    if (field.tokens.length === 0 || field.key) continue;
    if (!field.self) {
      removeInPlace(obj, field.tokens);
      continue;
    }
    const inside = fields.filter((f) => isAncestorPointer(field.pointer, f.pointer));
    if (!inside.some((f) => !f.self && !f.key)) continue;
    const keyNames = new Set(
      inside
        .filter((f) => f.key)
        .flatMap((f) => {
          const tokens = parsePointer(f.pointer);
          return tokens.length === field.tokens.length + 1 ? tokens.slice(-1) : [];
        }),
    );
    const value = valueAt(obj, field.tokens);
    const rest = isRecord(value)
      ? Object.keys(value).filter((k) => !keyNames.has(k))
      : Array.isArray(value)
        ? value
        : [1];
    if (rest.length === 0) removeInPlace(obj, field.tokens);
  }
}

/** Orders same-depth paths so that, at the first differing token, larger array indexes come first. */
function compareTokensDescending(x: string[], y: string[]): number {
  for (let i = 0; i < x.length; i++) {
    const a = x[i] ?? "";
    const b = y[i] ?? "";
    if (a === b) continue;
    const na = Number(a);
    const nb = Number(b);
    if (Number.isInteger(na) && Number.isInteger(nb)) return nb - na;
    return a < b ? -1 : 1;
  }
  return 0;
}
