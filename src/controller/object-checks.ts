// Every object a sync would write, hooks included, checked before the first write: against the project,
// and against ownership (an object another Application tracks is never written by this one). Pure.
import {
  type AppKey,
  type DeniedResource,
  describeRef,
  inventoryId,
  type KubeObject,
  type ObjectRef,
} from "../api/index.js";
import type { SyncPlan } from "../sync/index.js";
import { ownershipConflicts } from "./inventory.js";
import { type Denial, type DestinationCluster, objectDenial, type PolicyContext } from "./project-policy.js";

/** At most this many denials go into status; the rest are counted in the last entry. */
export const MAX_DENIED_IN_STATUS = 100;

export interface ObjectCheckInput {
  policy: PolicyContext;
  cluster: DestinationCluster;
  app: AppKey;
  plan: SyncPlan;
  /** Live objects bosun tracks (any Application's), from the watch cache. */
  liveOf: (ref: ObjectRef) => KubeObject | undefined;
}

/** Each object of the plan once: every step's tasks (hooks too) and the SyncFail hooks. */
function planObjects(plan: SyncPlan): Array<{ ref: ObjectRef; object: KubeObject }> {
  const seen = new Map<string, { ref: ObjectRef; object: KubeObject }>();
  for (const task of [...plan.steps.flatMap((s) => s.tasks), ...plan.onFail])
    if (!seen.has(inventoryId(task.ref))) seen.set(inventoryId(task.ref), { ref: task.ref, object: task.object });
  return [...seen.values()];
}

/** The objects the sync may not write, each with the rule that says so; empty when all may be written. */
export function deniedObjects(input: ObjectCheckInput): Denial[] {
  const objects = planObjects(input.plan);
  const denials: Denial[] = [];
  const denied = new Set<string>();
  for (const { ref, object } of objects) {
    const denial = objectDenial(input.policy, input.cluster, ref, object);
    if (denial) {
      denials.push(denial);
      denied.add(inventoryId(ref));
    }
  }
  const owned = ownershipConflicts(
    input.app,
    objects.map((o) => o.ref).filter((ref) => !denied.has(inventoryId(ref))),
    input.liveOf,
  );
  for (const c of owned)
    denials.push({ ref: c.ref, rule: `managed by Application ${c.owner.namespace}/${c.owner.name}` });
  return denials;
}

/** Denials as status lists them, bounded. */
export function deniedForStatus(denials: readonly Denial[]): DeniedResource[] {
  const shown = denials.slice(0, MAX_DENIED_IN_STATUS).map((d) => ({ resource: describeRef(d.ref), rule: d.rule }));
  const more = denials.length - shown.length;
  if (more > 0) shown.push({ resource: `(${more} more)`, rule: "not listed: status keeps the first 100" });
  return shown;
}

/** One line for a condition or an Event: the first denials and how many there are. */
export function denialSummary(denials: readonly Denial[], shown = 3): string {
  const first = denials.slice(0, shown).map((d) => `${describeRef(d.ref)}: ${d.rule}`);
  const rest = denials.length > shown ? `; and ${denials.length - shown} more` : "";
  return `${denials.length} object${denials.length === 1 ? "" : "s"} not permitted, nothing applied: ${first.join("; ")}${rest}`;
}
