// The Application's status after each way a reconcile can end, built from plain data. Pure: reconciler.ts
// writes what these return, in one place.
import {
  type Application,
  type ApplicationStatus,
  describeRef,
  type Health,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  type OperationState,
  type ResourceStatus,
  shortRevision,
  syncFailed,
} from "../api/index.js";
import { splitApiVersion } from "../cluster/index.js";
import type { SyncTask } from "../sync/index.js";
import { applicationConditions } from "./app-conditions.js";
import { markHealthy } from "./auto-rollback.js";
import { extraneousOutOfSync } from "./compare.js";
import { allowedDriftText } from "./drift-records.js";
import { deniedForStatus } from "./object-checks.js";
import { type Analysis, type Failure, STALLING } from "./pass.js";
import { aggregateHealth, appendHistory, boundResources, setCondition } from "./status.js";

/**
 * A failure before anything was applied: Ready says why, Stalled too when only a change of Git, the
 * Application or its Project can heal it; denials are listed, and a running operation they stop is failed.
 * `newStall` says whether this stall is news (an Event is due).
 */
export function failureStatus(
  previous: ApplicationStatus,
  f: Failure,
  generation: number | undefined,
  now: string,
): { status: ApplicationStatus; stalled: boolean; newStall: boolean } {
  const status = structuredClone(previous);
  const stalled = STALLING.has(f.reason);
  const before = status.conditions?.find((c) => c.type === "Ready");
  status.conditions = setCondition(
    status.conditions,
    { type: "Ready", status: "False", reason: f.reason, message: f.message },
    now,
  );
  status.conditions = setCondition(
    status.conditions,
    {
      type: "Stalled",
      status: stalled ? "True" : "False",
      reason: stalled ? f.reason : "",
      message: stalled ? f.message : "",
    },
    now,
  );
  if (f.denials && f.denials.length > 0) status.denied = deniedForStatus(f.denials);
  if (stalled && status.operation?.phase === "Running")
    status.operation = { ...status.operation, phase: "Failed", message: f.message, finishedAt: now };
  status.observedGeneration = generation;
  const newStall = stalled && (before?.reason !== f.reason || before.message !== f.message);
  return { status, stalled, newStall };
}

/** A reconcile that threw: Ready says why instead of an old True staying; retried, never Stalled. */
export function errorStatus(previous: ApplicationStatus | undefined, message: string, now: string): ApplicationStatus {
  const status = structuredClone(previous ?? {});
  status.conditions = setCondition(
    status.conditions,
    { type: "Ready", status: "False", reason: "ReconcileError", message },
    now,
  );
  status.conditions = setCondition(
    status.conditions,
    { type: "Reconciling", status: "True", reason: "RetryingAfterError", message },
    now,
  );
  return status;
}

export interface ReconciledInputs {
  app: Application;
  analysis: Analysis;
  /** A sync operation finished successfully in this pass. */
  completedSync: boolean;
  /** Inventory ids of the objects the completed sync left as they are: their comparison stands. */
  heldBack?: ReadonlySet<string>;
  healthOf: (ref: ObjectRef) => Health;
  /** The live object bosun tracks (whether an extraneous one asks to be ignored). */
  liveOf: (ref: ObjectRef) => KubeObject | undefined;
  /** When the retry policy tries a failed sync again; undefined when it will not. */
  retryAt?: string;
  /** An automated sync waits for the Applications this one depends on: what it waits for. */
  waitingFor?: string | undefined;
  now: string;
}

/** Sync, health, resources and conditions from what is live now. */
export function reconciledStatus(previous: ApplicationStatus, inputs: ReconciledInputs): ApplicationStatus {
  const { app, analysis } = inputs;
  const status = structuredClone(previous);
  const prune = Boolean(app.spec.syncPolicy?.automated?.prune);
  const op = status.operation;
  const revision = analysis.desired.revision.sha;
  const failed = new Map(
    syncFailed(op) && op?.revision === revision ? (op.failures ?? []).map((f) => [f.resource, f.message]) : [],
  );
  const appliedNow = (c: (typeof analysis.comparisons)[number]) =>
    inputs.completedSync && !inputs.heldBack?.has(inventoryId(c.task.ref));
  const resources: ResourceStatus[] = [];
  const healths: Array<{ name: string; health: Health }> = [];
  for (const c of analysis.comparisons) {
    const health = inputs.healthOf(c.task.ref);
    const name = describeRef(c.task.ref);
    healths.push({ name, health });
    const message = c.error ?? c.note ?? failed.get(name);
    const allowedDrift = allowedDriftText(c);
    resources.push({
      ...resourceStatus(c.task, appliedNow(c) ? "Synced" : c.status, health),
      ...(message ? { message } : {}),
      ...(allowedDrift ? { allowedDrift } : {}),
    });
  }
  for (const ref of analysis.extraneous) resources.push({ ...ref, version: "", status: "Extraneous", wave: 0 });
  // A sync that just succeeded applied every desired object; the comparisons predate it, and the reconcile
  // that follows at once compares again.
  const synced =
    (inputs.completedSync && !inputs.heldBack?.size) ||
    (analysis.comparisons.every((c) => c.status === "Synced" || appliedNow(c)) &&
      !(prune && extraneousOutOfSync(analysis.extraneous, inputs.liveOf)));
  status.sync = synced
    ? { status: "Synced", revision }
    : { status: "OutOfSync", revision: status.sync?.revision, message: `desired revision ${shortRevision(revision)}` };
  const emptyRender = analysis.emptyRender && (status.inventory?.length ?? 0) > 0;
  status.health = emptyRender
    ? { status: "Unknown", message: "the render is empty; nothing pruned (set allowEmpty to allow)" }
    : aggregateHealth(healths);
  // Not in the pass that finished the sync: the watch may not have seen its writes yet, and the objects as
  // they were before it may look Healthy.
  if (!inputs.completedSync) markHealthy(status);
  const bounded = boundResources(resources);
  status.resources = bounded.resources;
  status.summary = bounded.summary;
  const r = analysis.desired.revision;
  status.sourceRevision = { sha: r.sha, message: r.message, author: r.author.name, time: r.committedAt };
  status.observedGeneration = app.metadata.generation;
  status.conditions = applicationConditions(
    status,
    {
      emptyRender,
      sourceWarning: analysis.sourceWarning,
      retryAt: inputs.retryAt,
      waitingFor: inputs.waitingFor,
      quarantined: quarantineMessage(status, revision, app.metadata.name),
    },
    inputs.now,
  );
  return status;
}

/** What Ready says while Git's revision is quarantined. */
function quarantineMessage(status: ApplicationStatus, revision: string, name: string): string | undefined {
  const q = status.quarantined?.find((entry) => entry.revision === revision);
  if (!q) return undefined;
  const short = shortRevision(q.revision);
  return `revision ${short} is quarantined (${q.reason}); rolled back to ${shortRevision(q.rolledBackTo)}. Automated sync resumes when Git moves past it, or after \`bosun app unquarantine ${name} ${short}\``;
}

/** A sync operation that failed: its history entry. */
export function recordSyncFailed(status: ApplicationStatus, op: OperationState, message: string, now: string): void {
  status.history = appendHistory(status.history, {
    revision: op.revision,
    deployedAt: now,
    initiatedBy: op.initiatedBy,
    result: "Failed",
    message,
  });
}

/** A sync operation that applied every step: the operation ends, history and inventory record it. */
export function recordSyncSucceeded(
  status: ApplicationStatus,
  op: OperationState,
  result: { synced: number; pruned: number; inventory: string[] },
  now: string,
): void {
  status.inventory = result.inventory;
  const prunedNote = result.pruned > 0 ? `, pruned ${result.pruned}` : "";
  Object.assign(op, { phase: "Succeeded", message: `synced ${result.synced} resources${prunedNote}`, finishedAt: now });
  status.operation = op;
  status.history = appendHistory(status.history, {
    revision: op.revision,
    deployedAt: now,
    initiatedBy: op.initiatedBy,
    result: "Succeeded",
  });
  status.sync = { status: "Synced", revision: op.revision };
}

function resourceStatus(task: SyncTask, status: ResourceStatus["status"], health: Health): ResourceStatus {
  const [group, version] = splitApiVersion(task.object.apiVersion);
  return {
    group,
    version,
    kind: task.ref.kind,
    namespace: task.ref.namespace,
    name: task.ref.name,
    status,
    health: health.status,
    ...(health.message ? { healthMessage: health.message } : {}),
    wave: task.wave,
  };
}
