import {
  ANNOTATIONS,
  describeRef,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  parseInventoryId,
  parseTrackingId,
} from "../api/index.js";

export interface AppKey {
  namespace: string;
  name: string;
}

/** Who owns a live object according to its tracking annotation. */
export function ownerOf(live: KubeObject | undefined): AppKey | undefined {
  const id = live?.metadata.annotations?.[ANNOTATIONS.trackingId];
  return id ? parseTrackingId(id)?.app : undefined;
}

function sameApp(a: AppKey | undefined, b: AppKey): boolean {
  return a !== undefined && a.namespace === b.namespace && a.name === b.name;
}

/** A desired object that another Application already tracks: reported, never taken over. */
export interface OwnershipConflict {
  ref: ObjectRef;
  owner: AppKey;
  message: string;
}

export function ownershipConflicts(
  app: AppKey,
  desired: readonly ObjectRef[],
  liveOf: (ref: ObjectRef) => KubeObject | undefined,
): OwnershipConflict[] {
  const conflicts: OwnershipConflict[] = [];
  for (const ref of desired) {
    const owner = ownerOf(liveOf(ref));
    if (owner && !sameApp(owner, app)) {
      conflicts.push({
        ref,
        owner,
        message: `${describeRef(ref)} is managed by Application ${owner.namespace}/${owner.name}; bosun will not take it over`,
      });
    }
  }
  return conflicts;
}

export interface PrunePlan {
  /** Objects to delete: in the inventory, no longer desired, and tracked by this Application. */
  prune: ObjectRef[];
  /** Extraneous objects left alone, and why. */
  kept: Array<{ ref: ObjectRef; reason: string }>;
}

/**
 * What may be pruned. Both records must agree before bosun deletes anything: the object is in the
 * inventory bosun wrote, AND its live tracking annotation names this Application. An object that opts
 * out (`Prune=false`) or belongs to someone else stays.
 */
export function planPrune(input: {
  app: AppKey;
  inventory: readonly string[];
  desired: readonly ObjectRef[];
  liveOf: (ref: ObjectRef) => KubeObject | undefined;
  syncOptionsOf: (live: KubeObject) => Record<string, string>;
}): PrunePlan {
  const desired = new Set(input.desired.map(inventoryId));
  const plan: PrunePlan = { prune: [], kept: [] };
  for (const id of input.inventory) {
    if (desired.has(id)) continue;
    const ref = parseInventoryId(id);
    if (!ref) continue;
    const live = input.liveOf(ref);
    if (!live) continue;
    if (!sameApp(ownerOf(live), input.app)) {
      plan.kept.push({ ref, reason: "its tracking annotation does not name this Application" });
      continue;
    }
    const options = input.syncOptionsOf(live);
    if (options.Prune === "false" || options.Delete === "false") {
      plan.kept.push({ ref, reason: "annotated Prune=false" });
      continue;
    }
    plan.prune.push(ref);
  }
  return plan;
}
