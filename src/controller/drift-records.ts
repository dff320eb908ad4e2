import { type DriftRecord, describeRef, inventoryId } from "../api/index.js";
import type { FieldChange } from "../diff/index.js";
import type { DriftSummary, ResourceComparison } from "./compare.js";
import { DELETION_MANAGER, type DriftDecision, type DriftPolicy, decideDrift } from "./drift-policy.js";

/** Values kept per drift record (its `fields` list every path): status stays small. */
export const MAX_DRIFT_CHANGES = 10;

type DriftChange = NonNullable<DriftRecord["changes"]>[number];

/**
 * Drift: an object that was Synced at this revision and no longer matches, while Git did not change.
 * One record per manager and drift-policy decision (a deleted object has no manager to name), with the
 * values of its first MAX_DRIFT_CHANGES fields: `from` what Git says, `to` what is live. Changes the policy
 * allows are recorded when they differ from what the last status listed for the object (`allowedBefore`),
 * so each allowed value is recorded once. The values are the comparison's, so a Secret's are its masks. Pure.
 */
export function driftRecords(input: {
  comparisons: readonly ResourceComparison[];
  /** Inventory ids of the objects that were Synced at the last reconcile. */
  wasSynced: ReadonlySet<string>;
  /** Git did not move since the last sync. */
  sameRevision: boolean;
  /** The agent takes back now what the policy says to revert (automated, not suspended, no rollback). */
  corrected: boolean;
  /** Decides for deleted objects; the fallback alone (revert) without it. */
  policy?: DriftPolicy;
  /** Inventory id → the allowedDrift the last status listed for it. */
  allowedBefore?: ReadonlyMap<string, string>;
  now: string;
}): DriftRecord[] {
  if (!input.sameRevision) return [];
  const { wasSynced } = input;
  const policy = input.policy ?? { rules: [], fallback: "revert" };
  const records: DriftRecord[] = [];
  const decided = (d: DriftDecision) => ({
    corrected: input.corrected && d.action === "revert",
    action: d.action,
    ...(d.rule === undefined ? {} : { rule: d.rule }),
  });
  for (const c of input.comparisons) {
    const id = inventoryId(c.task.ref);
    const resource = describeRef(c.task.ref);
    const text = allowedDriftText(c);
    if (c.allowed && text !== undefined && text !== input.allowedBefore?.get(id))
      records.push(...summaryRecords(resource, c.allowed, c.allowedChanges ?? [], input.now, decided));
    if (c.status === "Synced" || !wasSynced.has(id)) continue;
    if (c.status === "Missing") {
      const decision = decideDrift(policy, { ref: c.task.ref, manager: DELETION_MANAGER });
      records.push({ resource, fields: ["(deleted)"], manager: DELETION_MANAGER, at: input.now, ...decided(decision) });
      continue;
    }
    records.push(...summaryRecords(resource, c.drift, c.changes, input.now, decided));
  }
  return records;
}

function summaryRecords(
  resource: string,
  summaries: readonly DriftSummary[],
  changes: readonly FieldChange[],
  now: string,
  decided: (d: DriftDecision) => Pick<DriftRecord, "corrected" | "action" | "rule">,
): DriftRecord[] {
  return summaries.map((d) => {
    const values = driftChanges(changes, d.fields);
    return {
      resource,
      fields: d.fields,
      ...(values.length > 0 ? { changes: values } : {}),
      manager: d.manager,
      at: d.at ?? now,
      ...decided(d),
    };
  });
}

/** Longest allowedDrift kept in a resource's status. */
const MAX_ALLOWED_TEXT = 400;

/**
 * What a resource's status says of the changes the drift policy allows on it: each field, its live value
 * and who set it; undefined when there are none.
 */
export function allowedDriftText(c: ResourceComparison): string | undefined {
  if (!c.allowed?.length) return undefined;
  const values = new Map((c.allowedChanges ?? []).map((change) => [change.path, change.live]));
  const parts = c.allowed.flatMap((s) =>
    s.fields.map(
      (f) =>
        `${f}=${values.get(f) ?? "(removed)"} by ${s.manager}${s.rule === undefined ? "" : ` (driftPolicy[${s.rule}])`}`,
    ),
  );
  const text = parts.join("; ");
  return text.length > MAX_ALLOWED_TEXT ? `${text.slice(0, MAX_ALLOWED_TEXT - 1)}…` : text;
}

function driftChanges(changes: readonly FieldChange[], fields: readonly string[]): DriftChange[] {
  const byPath = new Map(changes.map((change) => [change.path, change]));
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
