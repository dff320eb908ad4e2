import { ANNOTATIONS, type Application, CASCADE_FINALIZER, type ObjectRef, parseInventoryId } from "../api/index.js";
import { cascadeDeletable, deleteObjects } from "../sync/index.js";
import { deletable } from "./operate.js";
import type { ReconcilerDeps } from "./pass.js";

/**
 * Deleting an Application with the cascade finalizer: delete what it deployed (as its project allows),
 * then let it go. Without a project to delete through, its objects stay and an Event says so.
 */
export async function cascadeDelete(deps: ReconcilerDeps, app: Application, signal: AbortSignal): Promise<void> {
  if (!app.metadata.finalizers?.includes(CASCADE_FINALIZER)) return;
  const access = deps.access.resolve(app);
  const key = `${app.metadata.namespace}/${app.metadata.name}`;
  const tracked = (app.status?.inventory ?? [])
    .map(parseInventoryId)
    .filter((ref): ref is ObjectRef => ref !== undefined)
    .filter((ref) => {
      const id = deps.cache.get(ref)?.metadata.annotations?.[ANNOTATIONS.trackingId] ?? "";
      return id.startsWith(`${key}:`);
    });
  if ("reason" in access) {
    if (tracked.length > 0)
      await deps.events.record(
        app,
        "Warning",
        "ResourcesKept",
        `${tracked.length} objects left in place: ${access.message}`,
      );
  } else {
    // In the background, as Argo CD's resources-finalizer does: with Foreground each object would wait for
    // the garbage collector (paced at a few dozen a second) before it goes.
    const allowed = cascadeDeletable(deletable(deps, tracked, access, key), app.spec.syncPolicy?.syncOptions);
    const result = await deleteObjects(access.client, allowed, {
      propagationPolicy: "Background",
      signal,
    });
    // Deleting it all is the finalizer's promise: what failed is tried again, the finalizer stays.
    if (result.failed.length > 0)
      throw new AggregateError(
        result.failed.map((f) => new Error(f.error)),
        `cascade delete: ${result.failed.length} objects not deleted: ${result.failed[0]?.error}`,
      );
  }
  await deps.applications.removeFinalizer(app, CASCADE_FINALIZER, signal);
}
