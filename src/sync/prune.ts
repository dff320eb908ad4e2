// Pruning: what of the last inventory may be deleted now that Git no longer holds it, deleting it in
// reverse apply order, and the inventory that follows (what could not be deleted stays in it). Pure but
// for the deletes, which go through the Deleter port.
import {
  type AppKey,
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
import { addressOf, type PropagationPolicy } from "../cluster/index.js";
import { syncOptionSettingsOf } from "./annotations.js";
import { mapBounded, rankGroups } from "./batches.js";
import { parseSyncOptions, resolveSyncOptions, type SyncOptionSettings, type SyncOptions } from "./options.js";
import type { Deleter } from "./ports.js";

export interface PrunePlan {
  /** Objects to delete: in the inventory, no longer desired, and tracked by this Application. */
  prune: ObjectRef[];
  /** Extraneous objects left alone, and why. */
  kept: Array<{ ref: ObjectRef; reason: string }>;
}

const sameApp = (a: AppKey | undefined, b: AppKey) =>
  a !== undefined && a.namespace === b.namespace && a.name === b.name;

/**
 * The sync options in force for a live object no longer in Git: its annotation (as it was applied) over
 * the Application's. An annotation that cannot be read (applied by an older bosun) is the reason it stays.
 */
function liveOptions(live: KubeObject, app: SyncOptionSettings): SyncOptions | string {
  try {
    return resolveSyncOptions(app, syncOptionSettingsOf(live));
  } catch (err) {
    return `its sync options cannot be read: ${err instanceof Error ? err.message : err}`;
  }
}

/** Why a live object of this Application may not be pruned (Prune=false, Delete=false, unreadable options), or undefined. */
export function pruneBlocker(live: KubeObject, app: SyncOptionSettings): string | undefined {
  const options = liveOptions(live, app);
  if (typeof options === "string") return options;
  if (!options.prune) return "Prune=false applies to it";
  if (!options.delete) return "Delete=false applies to it";
  return undefined;
}

/**
 * What may be pruned. Both records must agree before bosun deletes anything: the object is in the
 * inventory bosun wrote, AND its live tracking annotation names this Application. An object that opts
 * out (`Prune=false` or `Delete=false`, on it or on the Application) or belongs to someone else stays.
 */
export function planPrune(input: {
  app: AppKey;
  inventory: readonly string[];
  desired: readonly ObjectRef[];
  liveOf: (ref: ObjectRef) => KubeObject | undefined;
  /** The Application's sync options (SyncPlan.options). */
  options?: SyncOptionSettings;
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
    const blocked = pruneBlocker(live, input.options ?? {});
    if (blocked) {
      plan.kept.push({ ref, reason: blocked });
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
      await deleter.delete(addressOf(obj), { propagationPolicy: options.propagationPolicy, signal });
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

const PROPAGATION: Record<SyncOptions["prunePropagationPolicy"], PropagationPolicy> = {
  background: "Background",
  foreground: "Foreground",
  orphan: "Orphan",
};

/**
 * Prunes: deletes in reverse apply order, with the propagation the Application's PrunePropagationPolicy
 * says (background by default: the objects' dependents go after them). Objects with PruneLast=true go
 * after every other (set on the Application it changes nothing: a sync prunes after its last wave anyway).
 */
export async function executePrune(
  deleter: Deleter,
  objects: readonly KubeObject[],
  options: { signal: AbortSignal; options?: SyncOptionSettings },
): Promise<PruneResult> {
  const app = options.options ?? {};
  const propagationPolicy = PROPAGATION[resolveSyncOptions(app).prunePropagationPolicy];
  const last = (o: KubeObject) => {
    const resolved = liveOptions(o, app);
    return typeof resolved !== "string" && resolved.pruneLast;
  };
  const first = await deleteObjects(
    deleter,
    objects.filter((o) => !last(o)),
    { propagationPolicy, signal: options.signal },
  );
  const then = await deleteObjects(deleter, objects.filter(last), { propagationPolicy, signal: options.signal });
  return { pruned: [...first.pruned, ...then.pruned], failed: [...first.failed, ...then.failed] };
}

/**
 * What a cascade deletion of the Application may delete: not the objects with Delete=false (on them or
 * on the Application), nor those whose sync options cannot be read. They stay, tracked by no one.
 */
export function cascadeDeletable(objects: readonly KubeObject[], app: readonly string[] | undefined): KubeObject[] {
  const settings = parseSyncOptions(app ?? [], "app").settings;
  return objects.filter((o) => {
    const resolved = liveOptions(o, settings);
    return typeof resolved !== "string" && resolved.delete;
  });
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
