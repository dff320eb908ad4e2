import { type DriftRecord, describeRef, inventoryId, type ResourceStatus } from "../api/index.js";
import type { ResourceComparison } from "./compare.js";

/**
 * Drift: an object that was Synced at this revision and no longer matches, while Git did not change.
 * One record per manager that changed it (a deleted object has no manager to name). Pure.
 */
export function driftRecords(input: {
  comparisons: readonly ResourceComparison[];
  previous: readonly ResourceStatus[];
  /** Git did not move since the last sync. */
  sameRevision: boolean;
  /** Self-heal will take the change back. */
  corrected: boolean;
  now: string;
}): DriftRecord[] {
  if (!input.sameRevision) return [];
  const wasSynced = new Set(
    input.previous.filter((r) => r.status === "Synced").map((r) => `${r.group}_${r.kind}_${r.namespace}_${r.name}`),
  );
  const records: DriftRecord[] = [];
  for (const c of input.comparisons) {
    if (c.status === "Synced" || !wasSynced.has(inventoryId(c.task.ref))) continue;
    const resource = describeRef(c.task.ref);
    if (c.status === "Missing") {
      records.push({ resource, fields: ["(deleted)"], manager: "unknown", at: input.now, corrected: input.corrected });
      continue;
    }
    for (const d of c.drift) {
      records.push({
        resource,
        fields: d.fields,
        manager: d.manager,
        at: d.at ?? input.now,
        corrected: input.corrected,
      });
    }
  }
  return records;
}
