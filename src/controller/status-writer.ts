import type { Application, ApplicationStatus } from "../api/index.js";
import { appKeyOf, errorMessage, jsonEqual } from "../api/index.js";
import { ApiError } from "../cluster/index.js";
import type { ReconcilerDeps } from "./pass.js";

/**
 * Writes status only when it changed: an idle reconcile writes nothing. The write is conditional on the
 * resourceVersion bosun last saw. A conflict caused by a change of the Application's metadata or spec alone
 * (a label, a finalizer, a new revision) while its status is still what this pass started from is written
 * again on the fresh resourceVersion: what a sync applied, its inventory and history, must never be lost to
 * an unrelated edit, or what it applied could never be pruned. A conflict over the status itself fails the
 * reconcile, which is retried with fresh data. Any other failure is logged and recorded as an Event, since
 * it would leave status silently stale.
 */
export async function writeStatus(
  deps: Pick<ReconcilerDeps, "applications" | "events" | "log">,
  app: Application,
  status: ApplicationStatus,
  signal?: AbortSignal,
): Promise<void> {
  // Structural: status read back from the API server has its keys in another order than bosun builds them.
  if (jsonEqual(status, app.status ?? {})) return;
  const text = JSON.stringify(status);
  let resourceVersion: string | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      resourceVersion = await deps.applications.writeStatus(app, status, signal);
      break;
    } catch (err) {
      if (err instanceof ApiError && err.isConflict && attempt < MAX_CONFLICT_RETRIES) {
        const fresh = await deps.applications.get(appKeyOf(app), signal);
        if (jsonEqual(fresh.status ?? {}, app.status ?? {})) {
          app.metadata.resourceVersion = fresh.metadata.resourceVersion;
          continue;
        }
      }
      if (!(err instanceof ApiError && err.isConflict)) {
        const why = errorMessage(err);
        deps.log.error(
          { app: `${app.metadata.namespace}/${app.metadata.name}`, bytes: text.length, error: why },
          "status write failed",
        );
        await deps.events.record(
          app,
          "Warning",
          "StatusWriteFailed",
          `status (${text.length} bytes) could not be written: ${why}`,
        );
      }
      throw err;
    }
  }
  app.metadata.resourceVersion = resourceVersion;
  app.status = structuredClone(status);
}

const MAX_CONFLICT_RETRIES = 3;
