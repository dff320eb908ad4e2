// What the dashboard says about a sync operation: where it is, and what it waits for. Pure.
import type { AppDetail, OperationView, ResourceView } from "./model.js";

/** "Sync phase, wave 1 — waiting for …" */
export function describeOperation(op: OperationView): string {
  const where = [op.syncPhase ? `${op.syncPhase} phase` : "", op.wave !== undefined ? `wave ${op.wave}` : ""]
    .filter(Boolean)
    .join(", ");
  return [where, op.message].filter(Boolean).join(" — ");
}

/** What a running sync waits for: the resources of its current wave that have a health check and are not Healthy. */
export function waitingFor(app: Pick<AppDetail, "operation" | "waves">): ResourceView[] {
  const op = app.operation;
  if (op?.phase !== "Running" || op.wave === undefined) return [];
  const wave = app.waves.find((w) => w.wave === op.wave);
  return (wave?.resources ?? []).filter((r) => r.health !== undefined && r.health !== "Healthy");
}
