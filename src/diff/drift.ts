// Drift attribution: which manager, according to the live object's managedFields, wrote a field that differs.
import { FIELD_MANAGER, type KubeObject, type ManagedFieldsEntry } from "../api/index.js";
import { ownedFields } from "./fields-v1.js";
import { isAncestorPointer } from "./json-pointer.js";

/** The manager name used when no managedFields entry explains a path. */
export const UNKNOWN_MANAGER = "unknown";

export interface DriftAttribution {
  /** The changed path (JSON pointer into the live object). */
  path: string;
  /**
   * Who wrote it: another manager (`kubectl`, `kubectl-edit`, `kubectl-set`, `kubectl-patch`,
   * `kubectl-client-side-apply`, an operator…); `fieldManager` itself when bosun still owns the live
   * value (the difference comes from a new desired state, not from drift); `unknown` when nothing says.
   */
  manager: string;
  operation?: "Apply" | "Update";
  /** When the manager last wrote; absent when the API server recorded no time (it records none for `kubectl scale`). */
  time?: string;
  /** e.g. "scale" for `kubectl scale`. */
  subresource?: string;
}

export interface AttributeDriftOptions {
  /** The live object as read, with metadata.managedFields. */
  live: KubeObject;
  /** From `compare`: pointers with the live object's list indexes. */
  changedPaths: readonly string[];
  /** bosun's own field manager. Default `FIELD_MANAGER` ("bosun"). */
  fieldManager?: string;
}

interface Owner {
  entry: ManagedFieldsEntry;
  order: number;
  pointers: string[];
  ours: boolean;
}

/**
 * For each changed path (in order), the manager that owns it in the live object, looked for in this order:
 * 1. another manager owning exactly that path (a field, or the "." of a map or list item);
 * 2. bosun owning exactly that path: the live value is bosun's, so the desired state moved (manager = fieldManager);
 * 3. another manager owning something under the path (e.g. inside a list item that differs as a whole);
 * 4. bosun owning something under the path (manager = fieldManager);
 * 5. another manager owning the closest ancestor (an atomic field, a "." of an enclosing map or item);
 * 6. otherwise `unknown` — e.g. a field someone deleted: deleting leaves no owner behind.
 * Among several managers at the same step the most recent `time` wins; an entry without time loses to any
 * with one, and later entries win ties.
 */
export function attributeDrift(options: AttributeDriftOptions): DriftAttribution[] {
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const owners: Owner[] = (options.live.metadata?.managedFields ?? []).map((entry, order) => ({
    entry,
    order,
    pointers: ownedFields(options.live, entry.fieldsV1).map((f) => f.pointer),
    ours: entry.manager === fieldManager,
  }));
  const others = owners.filter((o) => !o.ours);
  const ours = owners.filter((o) => o.ours);

  return options.changedPaths.map((path) => {
    const exact = (o: Owner): boolean => o.pointers.includes(path);
    const under = (o: Owner): boolean => o.pointers.some((p) => isAncestorPointer(path, p));
    const owner =
      latest(others.filter(exact)) ??
      latest(ours.filter(exact)) ??
      latest(others.filter(under)) ??
      latest(ours.filter(under)) ??
      latest(closestAncestorOwners(others, path));
    return owner ? describe(path, owner.entry) : { path, manager: UNKNOWN_MANAGER };
  });
}

function closestAncestorOwners(owners: Owner[], path: string): Owner[] {
  let best = -1;
  let found: Owner[] = [];
  for (const owner of owners) {
    const depth = Math.max(-1, ...owner.pointers.filter((p) => isAncestorPointer(p, path)).map(depthOf));
    if (depth < 0) continue;
    if (depth > best) {
      best = depth;
      found = [owner];
    } else if (depth === best) {
      found.push(owner);
    }
  }
  return found;
}

function depthOf(pointer: string): number {
  return pointer === "" ? 0 : pointer.split("/").length - 1;
}

function latest(owners: Owner[]): Owner | undefined {
  let best: Owner | undefined;
  for (const owner of owners) {
    if (!best || timeOf(owner.entry) >= timeOf(best.entry)) best = owner;
  }
  return best;
}

/** Milliseconds of an entry's time; -Infinity when absent or unreadable, so any recorded time is later. */
function timeOf(entry: ManagedFieldsEntry): number {
  const ms = entry.time === undefined ? Number.NaN : Date.parse(entry.time);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function describe(path: string, entry: ManagedFieldsEntry): DriftAttribution {
  const out: DriftAttribution = { path, manager: entry.manager ?? UNKNOWN_MANAGER };
  if (entry.operation !== undefined) out.operation = entry.operation;
  if (entry.time !== undefined) out.time = entry.time;
  if (entry.subresource !== undefined && entry.subresource !== "") out.subresource = entry.subresource;
  return out;
}

/** One line of `status.drift`: which fields one manager changed, and when it last wrote. */
export interface DriftSummary {
  manager: string;
  fields: string[];
  /** The most recent time among the manager's attributions; absent when none was recorded. */
  at?: string;
}

/**
 * Group attributions by manager, in order of first appearance, leaving out bosun's own fields (they
 * are a new desired state, not drift). `at` is the latest time the managedFields recorded.
 */
export function summarizeDrift(
  attributions: readonly DriftAttribution[],
  options: { fieldManager?: string } = {},
): DriftSummary[] {
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const byManager = new Map<string, DriftSummary>();
  for (const a of attributions) {
    if (a.manager === fieldManager) continue;
    let summary = byManager.get(a.manager);
    if (!summary) {
      summary = { manager: a.manager, fields: [] };
      byManager.set(a.manager, summary);
    }
    if (!summary.fields.includes(a.path)) summary.fields.push(a.path);
    if (a.time !== undefined && (summary.at === undefined || Date.parse(a.time) > Date.parse(summary.at)))
      summary.at = a.time;
  }
  return [...byManager.values()];
}
