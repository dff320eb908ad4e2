import {
  ANNOTATIONS,
  type Application,
  appKeyOf,
  CASCADE_FINALIZER,
  type ObjectRef,
  parseInventoryId,
} from "../api/index.js";
import { ApiError } from "../cluster/index.js";
import { cascadeDeletable, deleteObjects, type PruneResult } from "../sync/index.js";
import { watchKinds } from "./analyse.js";
import { deletionLayers, dependentsOf } from "./dependencies.js";
import { deletable } from "./operate.js";
import type { ReconcilerDeps } from "./pass.js";

/**
 * Deleting an Application with the cascade finalizer: delete what it deployed (as its project allows),
 * then let it go. Without a project to delete through, its objects stay and an Event says so.
 */
export async function cascadeDelete(deps: ReconcilerDeps, app: Application, signal: AbortSignal): Promise<void> {
  if (!app.metadata.finalizers?.includes(CASCADE_FINALIZER)) return;
  const key = `${app.metadata.namespace}/${app.metadata.name}`;
  // In reverse dependency order: what depends on this Application goes first (its deletion wakes this one).
  const dependents = dependentsOf(deps.apps.list() as unknown as Application[], appKeyOf(app));
  if (dependents.length > 0) {
    deps.log.info(
      { app: key, dependents: dependents.map((d) => `${d.metadata.namespace}/${d.metadata.name}`) },
      "cascade delete waits for the Applications that depend on this one to go first",
    );
    return;
  }
  const access = deps.access.resolve(app);
  const inventory = (app.status?.inventory ?? []).map(parseInventoryId).filter((ref) => ref !== undefined);
  if ("reason" in access) {
    if (inventory.length > 0)
      await deps.events.record(
        app,
        "Warning",
        "ResourcesKept",
        `${inventory.length} objects left in place: ${access.message}`,
      );
  } else {
    const live = access.connection.live;
    // The watch of each kind it deployed, so what is tracked there is known (a cluster that cannot be reached
    // throws here: the finalizer stays until it answers).
    const unreachable = await deps.clusters.ready(access.connection, signal);
    if (unreachable) throw unreachable;
    await watchKinds(live, [], app.status ?? {}, signal);
    const tracked = inventory.filter((ref: ObjectRef) => {
      const id = live.get(ref)?.metadata.annotations?.[ANNOTATIONS.trackingId] ?? "";
      return id.startsWith(`${key}:`);
    });
    // In the background, as Argo CD's resources-finalizer does: with Foreground each object would wait for
    // the garbage collector (paced at a few dozen a second) before it goes.
    const allowed = cascadeDeletable(deletable(deps.log, tracked, access, key), app.spec.syncPolicy?.syncOptions);
    const result: PruneResult = { pruned: [], failed: [] };
    for (const layer of deletionLayers(allowed)) {
      const done = await deleteObjects(access.client, layer, { propagationPolicy: "Background", signal });
      result.pruned.push(...done.pruned);
      result.failed.push(...done.failed);
    }
    // Deleting it all is the finalizer's promise: what failed is tried again, the finalizer stays.
    if (result.failed.length > 0)
      throw new AggregateError(
        result.failed.map((f) => new Error(f.error)),
        `cascade delete: ${result.failed.length} objects not deleted: ${result.failed[0]?.error}`,
      );
  }
  try {
    await deps.applications.removeFinalizer(app, CASCADE_FINALIZER, signal);
  } catch (err) {
    // Gone already: an earlier pass removed the finalizer before the watch told of it.
    if (!(err instanceof ApiError && err.code === 404)) throw err;
  }
}
