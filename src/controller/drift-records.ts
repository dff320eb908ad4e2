import { type DriftRecord, describeRef, inventoryId } from "../api/index.js";
import type { ResourceComparison } from "./compare.js";

/** Values kept per drift record (its `fields` list every path): status stays small. */
export const MAX_DRIFT_CHANGES = 10;

type DriftChange = NonNullable<DriftRecord["changes"]>[number];

/**
 * Drift: an object that was Synced at this revision and no longer matches, while Git did not change.
 * One record per manager that changed it (a deleted object has no manager to name), with the values of
 * its first MAX_DRIFT_CHANGES fields: `from` what Git says, `to` what is live. The values are the
 * comparison's, so a Secret's are its masks. Pure.
 */
export function driftRecords(input: {
  comparisons: readonly ResourceComparison[];
  /** Inventory ids of the objects that were Synced at the last reconcile. */
  wasSynced: ReadonlySet<string>;
  /** Git did not move since the last sync. */
  sameRevision: boolean;
  /** Self-heal will take the change back. */
  corrected: boolean;
  now: string;
}): DriftRecord[] {
  if (!input.sameRevision) return [];
  const { wasSynced } = input;
  const records: DriftRecord[] = [];
  for (const c of input.comparisons) {
    if (c.status === "Synced" || !wasSynced.has(inventoryId(c.task.ref))) continue;
    const resource = describeRef(c.task.ref);
    if (c.status === "Missing") {
      records.push({ resource, fields: ["(deleted)"], manager: "unknown", at: input.now, corrected: input.corrected });
      continue;
    }
    for (const d of c.drift) {
      const changes = driftChanges(c, d.fields);
      records.push({
        resource,
        fields: d.fields,
        ...(changes.length > 0 ? { changes } : {}),
        manager: d.manager,
        at: d.at ?? input.now,
        corrected: input.corrected,
      });
    }
  }
  return records;
}

function driftChanges(comparison: ResourceComparison, fields: readonly string[]): DriftChange[] {
  const byPath = new Map(comparison.changes.map((change) => [change.path, change]));
  const out: DriftChange[] = [];
  for (const path of fields) {
    const change = byPath.get(path);
    if (!change) continue;
    out.push({
      path,
      ...(change.desired === undefined ? {} : { from: change.desired }),
      ...(change.live === undefined ? {} : { to: change.live }),
    });
    if (out.length === MAX_DRIFT_CHANGES) break;
  }
  return out;
}
