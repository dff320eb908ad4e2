// Client-side apply (ServerSideApply=false), as `kubectl apply` without --server-side does it: the desired
// object carries its own JSON in the last-applied annotation, and the write is the three-way merge patch
// between that annotation as it is live, the desired object and the live object. Pure.
import {
  FIELD_MANAGER,
  isRecord,
  type JsonRecord,
  type KubeObject,
  type ManagedFieldsEntry,
  type ObjectMeta,
} from "../api/index.js";
import { LAST_APPLIED_ANNOTATION } from "../diff/index.js";
import { threeWayMergePatch } from "./three-way-merge.js";

/** JSON with map keys sorted, so the same object always gives the same annotation. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The desired object as client-side apply writes it: the last-applied annotation holds the rest of it. */
export function withLastApplied(desired: KubeObject): KubeObject {
  const { [LAST_APPLIED_ANNOTATION]: _, ...annotations } = desired.metadata.annotations ?? {};
  const metadata: ObjectMeta = { ...desired.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
  const applied = canonicalJson({ ...desired, metadata });
  return {
    ...desired,
    metadata: { ...desired.metadata, annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: applied } },
  };
}

/** What was applied last, from the live object's annotation; undefined when absent or unreadable. */
export function lastAppliedOf(live: KubeObject): JsonRecord | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function mergeFieldSets(a: unknown, b: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(isRecord(a) ? a : {}) };
  for (const [k, v] of Object.entries(isRecord(b) ? b : {})) out[k] = k in out ? mergeFieldSets(out[k], v) : v;
  return out;
}

/**
 * The live managedFields with `manager`'s server-side apply entries turned into update entries (merged
 * with an update entry of the same apiVersion), so after a switch to client-side apply no Apply entry of
 * bosun's keeps owning fields Git may since have dropped. Undefined when there is no such entry.
 */
export function applyOwnershipAsUpdate(
  live: KubeObject,
  manager: string = FIELD_MANAGER,
): ManagedFieldsEntry[] | undefined {
  const entries = live.metadata.managedFields ?? [];
  const ours = (e: ManagedFieldsEntry) => e.manager === manager && !e.subresource;
  if (!entries.some((e) => ours(e) && e.operation === "Apply")) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const entry of entries) {
    if (!ours(entry)) {
      out.push(entry);
      continue;
    }
    const same = out.find((o) => ours(o) && o.operation === "Update" && o.apiVersion === entry.apiVersion);
    if (same) same.fieldsV1 = mergeFieldSets(same.fieldsV1, entry.fieldsV1);
    else out.push({ ...entry, operation: "Update" });
  }
  return out;
}

/**
 * The merge patch client-side apply sends for `desired` over `live` (see threeWayMergePatch), with the
 * updated last-applied annotation and, the first time, bosun's ownership moved from Apply to Update.
 * `precondition` adds the live resourceVersion, so a write made in between fails (409) instead of being
 * overwritten. Undefined when there is nothing to write.
 */
export function clientSideApplyPatch(
  desired: KubeObject,
  live: KubeObject,
  options: { precondition: boolean },
): JsonRecord | undefined {
  const patch = threeWayMergePatch(lastAppliedOf(live), withLastApplied(desired), live);
  const managedFields = applyOwnershipAsUpdate(live);
  if (Object.keys(patch).length === 0 && !managedFields) return undefined;
  const metadata: JsonRecord = { ...(isRecord(patch.metadata) ? patch.metadata : {}) };
  if (managedFields) metadata.managedFields = managedFields;
  if (options.precondition && live.metadata.resourceVersion) metadata.resourceVersion = live.metadata.resourceVersion;
  return Object.keys(metadata).length > 0 ? { ...patch, metadata } : patch;
}
