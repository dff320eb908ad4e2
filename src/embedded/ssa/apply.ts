// Server-side apply: merge an applier's configuration into the live object, remove what the applier
// stopped setting (unless someone else owns it), detect conflicts with other managers, and record the
// applier's field set under operation Apply.

import { cloneJson, isRecord, type JsonRecord } from "../../api/index.js";
import { interleave, type OrderedItem } from "../patch/list-order.js";
import type { FieldSchema } from "../resources/field-schema.js";
import { compareObjects, withoutRemoved } from "./compare.js";
import { describePath, type FieldPath, type FieldSet } from "./field-set.js";
import { type ManagerEntry, type ManagerIdentity, sameManager } from "./managed-fields.js";
import { keyElement, removeAt, schemaPath } from "./path-elements.js";
import { fieldSetOf } from "./to-field-set.js";

export interface ApplyInput {
  /** The live object, undefined when the apply creates it. */
  live: JsonRecord | undefined;
  config: JsonRecord;
  managers: readonly ManagerEntry[];
  manager: string;
  subresource?: string;
  force: boolean;
  apiVersion: string;
  schema: FieldSchema;
  now: string;
}

export interface ApplyOutput {
  object: JsonRecord;
  managers: ManagerEntry[];
}

export interface FieldConflict {
  manager: string;
  apiVersion: string;
  subresource?: string;
  path: FieldPath;
}

export class ApplyConflictError extends Error {
  override readonly name = "ApplyConflictError";
  constructor(readonly conflicts: readonly FieldConflict[]) {
    super(conflictMessage(conflicts));
  }
}

/** How the API server names a manager in a conflict: `"kubectl-edit" using apps/v1`. */
export function describeManager(c: Omit<FieldConflict, "path">): string {
  const sub = c.subresource ? ` with subresource "${c.subresource}"` : "";
  return `"${c.manager}"${sub} using ${c.apiVersion}`;
}

function conflictMessage(conflicts: readonly FieldConflict[]): string {
  const n = conflicts.length;
  const head = `Apply failed with ${n} conflict${n === 1 ? "" : "s"}: `;
  const [only] = conflicts;
  if (n === 1 && only) return `${head}conflict with ${describeManager(only)}: ${describePath(only.path)}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const key = describeManager(c);
    byManager.set(key, [...(byManager.get(key) ?? []), describePath(c.path)]);
  }
  const parts = [...byManager.keys()]
    .sort()
    .map((m) => `conflicts with ${m}:\n${(byManager.get(m) ?? []).map((p) => `- ${p}`).join("\n")}`);
  return head + parts.join("\n");
}

function mergeList(live: unknown[], config: unknown[], path: FieldPath, schema: FieldSchema): unknown[] {
  const type = schema.list(schemaPath(path));
  if (type.type === "atomic") return cloneJson(config);
  if (type.type === "set")
    return [...live, ...config.filter((c) => !live.some((l) => JSON.stringify(l) === JSON.stringify(c)))];
  const where = schemaPath(path).join(".");
  const liveKeys = live.map((item) => keyElement(item, type.keys, where));
  const configKeys = new Set<string>();
  const named: OrderedItem[] = [];
  for (const item of config) {
    const key = keyElement(item, type.keys, where);
    configKeys.add(key);
    const at = liveKeys.indexOf(key);
    named.push({
      item: mergeValue(at < 0 ? undefined : live[at], item, [...path, key], schema),
      liveIndex: at < 0 ? undefined : at,
    });
  }
  const liveOnly = live.flatMap((item, i) => (configKeys.has(liveKeys[i] ?? "") ? [] : [{ item, liveIndex: i }]));
  return interleave(named, liveOnly, "last");
}

function mergeValue(live: unknown, config: unknown, path: FieldPath, schema: FieldSchema): unknown {
  if (Array.isArray(config)) return mergeList(Array.isArray(live) ? live : [], config, path, schema);
  if (isRecord(config) && isRecord(live) && !schema.atomicMap(schemaPath(path))) {
    const out: JsonRecord = { ...live };
    for (const [k, v] of Object.entries(config)) {
      if (v === null || v === undefined) delete out[k];
      else out[k] = mergeValue(live[k], v, [...path, `f:${k}`], schema);
    }
    return out;
  }
  return cloneJson(config);
}

function ownedByOthers(managers: readonly ManagerEntry[], me: ManagerIdentity, path: FieldPath): boolean {
  return managers.some((m) => !sameManager(m, me) && m.fields.hasPrefix(path));
}

function findConflicts(managers: readonly ManagerEntry[], me: ManagerIdentity, changed: FieldSet): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const m of managers) {
    if (sameManager(m, me)) continue;
    for (const path of m.fields.intersection(changed).paths()) {
      const c: FieldConflict = { manager: m.manager, apiVersion: m.apiVersion, path };
      if (m.subresource) c.subresource = m.subresource;
      out.push(c);
    }
  }
  return out;
}

/** Applies `config` for `manager`; throws ApplyConflictError unless forced, ListKeyError for bad lists. */
export function serverSideApply(input: ApplyInput): ApplyOutput {
  const me: ManagerIdentity = { manager: input.manager, operation: "Apply" };
  if (input.subresource) me.subresource = input.subresource;
  const configSet = fieldSetOf(input.config, input.schema);
  const previousEntry = input.managers.find((m) => sameManager(m, me));
  const previous = previousEntry?.fields;
  const live = input.live ?? {};
  const merged = mergeValue(live, input.config, [], input.schema) as JsonRecord;
  if (previous) {
    const removedPaths: FieldPath[] = [];
    const below = (path: FieldPath, prefix: FieldPath) => prefix.every((e, i) => path[i] === e);
    for (const path of previous.difference(configSet).paths()) {
      // A map or item the applier still sets something in stays; so does what another manager owns.
      if (
        removedPaths.some((r) => below(path, r)) ||
        configSet.hasPrefix(path) ||
        ownedByOthers(input.managers, me, path)
      )
        continue;
      removeAt(merged, path, input.schema, (p) => configSet.hasPrefix(p));
      removedPaths.push(path);
    }
  }
  const { added, modified, removed } = compareObjects(input.live, merged, input.schema);
  const conflicts = findConflicts(input.managers, me, modified.union(removed));
  if (conflicts.length > 0 && !input.force) throw new ApplyConflictError(conflicts);
  const managers: ManagerEntry[] = [];
  for (const m of input.managers) {
    if (sameManager(m, me)) continue;
    const fields = withoutRemoved(m.fields.difference(modified), removed);
    if (!fields.isEmpty()) managers.push({ ...m, fields });
  }
  const entry: ManagerEntry = {
    manager: input.manager,
    operation: "Apply",
    apiVersion: input.apiVersion,
    // As the API server does, an apply that changes nothing does not stamp its manager's time.
    time:
      input.live && added.isEmpty() && modified.isEmpty() && removed.isEmpty()
        ? (previousEntry?.time ?? "")
        : input.now,
    fields: configSet,
  };
  if (input.subresource) entry.subresource = input.subresource;
  managers.push(entry);
  return { object: merged, managers };
}
