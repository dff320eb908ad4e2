// Pruning: what of the last inventory may be deleted now that Git no longer holds it, deleting it in
// reverse apply order, and the inventory that follows (what could not be deleted stays in it). Pure but
// for the deletes, which go through the Deleter port.
import {
  describeRef,
  errorMessage,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  orderForDelete,
  parseInventoryId,
  refOf,
  trackedBy,
} from "../api/index.js";
import { syncOptionsOf } from "./annotations.js";
import { mapBounded, rankGroups } from "./batches.js";
import type { Deleter, PropagationPolicy } from "./ports.js";

export interface AppKey {
  namespace: string;
  name: string;
}

export interface PrunePlan {
  /** Objects to delete: in the inventory, no longer desired, and tracked by this Application. */
  prune: ObjectRef[];
  /** Extraneous objects left alone, and why. */
  kept: Array<{ ref: ObjectRef; reason: string }>;
}

const sameApp = (a: AppKey | undefined, b: AppKey) =>
  a !== undefined && a.namespace === b.namespace && a.name === b.name;

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
}): PrunePlan {
  const desired = new Set(input.desired.map(inventoryId));
  const plan: PrunePlan = { prune: [], kept: [] };
  for (const id of input.inventory) {
    if (desired.has(id)) continue;
    const ref = parseInventoryId(id);
    if (!ref) continue;
    const live = input.liveOf(ref);
    if (!live) continue;
    if (!sameApp(trackedBy(live), input.app)) {
      plan.kept.push({ ref, reason: "its tracking annotation does not name this Application" });
      continue;
    }
    const options = syncOptionsOf(live);
    if (options.Prune === "false" || options.Delete === "false") {
      plan.kept.push({ ref, reason: "annotated Prune=false" });
      continue;
    }
    plan.prune.push(ref);
  }
  return plan;
}

export interface PruneResult {
  pruned: ObjectRef[];
  /** Deletes that failed; their objects stay in the inventory and are tried again after the next sync. */
  failed: Array<{ ref: ObjectRef; error: string }>;
}

/**
 * Deletes the objects in reverse apply order (kind rank by kind rank, `concurrency` objects of one rank at
 * a time); a failure does not stop the others.
 */
export async function deleteObjects(
  deleter: Deleter,
  objects: readonly KubeObject[],
  options: { propagationPolicy: PropagationPolicy; signal: AbortSignal; concurrency?: number },
): Promise<PruneResult> {
  const { signal } = options;
  const result: PruneResult = { pruned: [], failed: [] };
  const deleteOne = async (obj: KubeObject) => {
    const ref = refOf(obj);
    try {
      await deleter.delete(
        { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: ref.name },
        { propagationPolicy: options.propagationPolicy, signal },
      );
      result.pruned.push(ref);
    } catch (err) {
      if (signal.aborted) throw err;
      // The client's errors name the object already; anything else gets its name here.
      const text = errorMessage(err);
      result.failed.push({ ref, error: text.startsWith(describeRef(ref)) ? text : `${describeRef(ref)}: ${text}` });
    }
  };
  for (const group of rankGroups(orderForDelete(objects), (o) => o))
    await mapBounded(group, options.concurrency ?? DEFAULT_DELETE_CONCURRENCY, deleteOne);
  return result;
}

const DEFAULT_DELETE_CONCURRENCY = 8;

/** Prunes: deletes in reverse apply order, in the background (the objects' dependents go after them). */
export async function executePrune(
  deleter: Deleter,
  objects: readonly KubeObject[],
  signal: AbortSignal,
): Promise<PruneResult> {
  return await deleteObjects(deleter, objects, { propagationPolicy: "Background", signal });
}

/** The inventory after a sync: what is desired now, and every extraneous object that was not pruned. */
export function nextInventory(
  desired: readonly string[],
  extraneous: readonly ObjectRef[],
  pruned: readonly ObjectRef[],
): string[] {
  const gone = new Set(pruned.map(inventoryId));
  return [...desired, ...extraneous.map(inventoryId).filter((id) => !gone.has(id))];
}
