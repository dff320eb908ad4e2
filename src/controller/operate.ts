// Decide and operate: whether to start a sync, then advance it as far as it goes without waiting; at its
// end prune and record inventory and history. Writes go through the project's client.
import {
  ANNOTATIONS,
  appKeyOf,
  describeRef,
  errorMessage,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  type OperationState,
  shortRevision,
} from "../api/index.js";
import { apiErrorOf, refKey } from "../cluster/index.js";
import { maskSecretValues } from "../diff/index.js";
import { executePrune, nextInventory, type PruneResult, planPrune, type SyncPlan, writeObject } from "../sync/index.js";
import {
  autoRollbackDecision,
  autoRollbackInitiator,
  isQuarantined,
  lifted,
  quarantine,
  unquarantineRequest,
} from "./auto-rollback.js";
import { type CompareCache, extraneousSyncReason, inSyncOf, rememberApplied } from "./compare.js";
import { deletionLayers, dependencyWait } from "./dependencies.js";
import { driftPlan, driftPolicyOf, revertsNow } from "./drift-policy.js";
import { denialSummary } from "./object-checks.js";
import { advanceOperation } from "./operation.js";
import {
  type Analysis,
  appLookup,
  DEFAULT_TIMEOUT_MS,
  durationOr,
  type Failure,
  failure,
  type Pass,
  type PendingEvent,
  type ReconcilerDeps,
} from "./pass.js";
import type { AppAccess } from "./project-access.js";
import { type Denial, objectDenial } from "./project-policy.js";
import { appendAdopted } from "./status.js";
import { recordSyncFailed, recordSyncSucceeded } from "./status-builders.js";
import { writeStatus } from "./status-writer.js";
import { decideSyncStart, retryAt, retryDelayMs } from "./sync-decision.js";
import { chosen, dryRunReport, selectPlan, syncRequestOptions } from "./sync-request.js";

/**
 * A step waiting for health holds no worker: the watch events of the objects it waits for wake it, and so
 * does its deadline. This is only a safety net for an event missed while a watch was re-established.
 */
const WAIT_SAFETY_MS = 10_000;

/** Starts or continues a sync operation; says when to look again (ms), or why it could not start. */
export async function operate(
  deps: ReconcilerDeps,
  pass: Pass,
  analysis: Analysis,
  access: AppAccess,
  compareCache: CompareCache,
): Promise<number | Failure> {
  const { app, status } = pass;
  const now = () => new Date(deps.now()).toISOString();
  const revision = analysis.desired.revision.sha;
  const prune = Boolean(app.spec.syncPolicy?.automated?.prune);
  liftQuarantine(pass);
  const running = status.operation?.phase === "Running" ? status.operation : undefined;
  if (!running && startAutoRollback(deps, pass)) return 0; // the next pass renders the revision it goes back to
  const op = running ?? startOperation(deps, pass, analysis, access);
  if (!pass.rollback) delete status.rollback;
  if (pass.manualRequest) status.handledSyncRequest = pass.requestedAt;
  if (!op) return untilWindowChanges(pass, deps.now());
  if (op.dryRun) return finishDryRun(pass, analysis, access, op, now());
  const pruning = prune || Boolean(op.prune);

  // Once per operation: a later turn of it finds the namespace its first turn made.
  const starting = status.operation !== op;
  const namespaceDenied = starting ? await ensureDestinationNamespace(pass, access) : undefined;
  if (namespaceDenied)
    return failure("NotPermitted", new Error(denialSummary([namespaceDenied])), revision, [namespaceDenied]);
  status.operation = op;
  if (starting) pass.events.push(syncStarted(op));
  // What this operation applied before this pass: drift on it is healed below while a later step waits.
  const appliedBefore = op.stepApplied ? op.step + 1 : op.step;
  const adopted: ObjectRef[] = [];
  const tasks = new Map(analysis.plan.resources.map((t) => [refKey(t.ref), t]));
  const selected = chosen(op.resources);
  const liveOf = (ref: ObjectRef) => access.connection.live.get(ref);
  // A sync that heals (automated, Git where the last sync left it) leaves what is only to be detected alone.
  const healing = op.initiatedBy === "automated" && op.revision === status.sync?.revision;
  const plan = driftPlan(selectPlan(analysis.plan, op.resources), analysis.comparisons, { healing, liveOf });
  const driftPolicy = driftPolicyOf(app);
  const keepsLive = new Set(
    analysis.comparisons
      .filter((c) => c.keepLive?.length || (healing && c.detectOnly?.length))
      .map((c) => refKey(c.task.ref)),
  );
  const outcome = await advanceOperation({
    client: access.client,
    cache: access.connection.live,
    plan,
    op,
    operationId: `${app.metadata.uid ?? pass.key}/${op.startedAt}`,
    application: app.metadata.uid ?? pass.key,
    timeoutMs: durationOr(app.spec.syncPolicy?.timeout, DEFAULT_TIMEOUT_MS),
    pruneAfter: pruning && !analysis.emptyRender && analysis.extraneous.some(selected),
    now: deps.now,
    persist: async (o) => {
      status.operation = o;
      await writeStatus(deps, app, status, pass.signal);
    },
    inSync: inSyncOf(analysis.comparisons),
    health: pass.healthOf,
    adopted: (ref) => adopted.push(ref),
    applied: (ref, live) => {
      pass.written.set(refKey(ref), live);
      const task = tasks.get(refKey(ref));
      // What was written with allowed fields kept live is not Git's object: the next comparison says so.
      if (task && !keepsLive.has(refKey(ref)))
        rememberApplied(compareCache, task, live, app.spec.ignoreDifferences ?? [], driftPolicy);
    },
    signal: pass.signal,
  });
  recordAdoptions(pass, adopted, op.revision, now());
  if (outcome.type === "waiting") {
    await healWhileWaiting(deps, pass, analysis, plan, access, appliedBefore);
    return Math.max(1, Math.min(WAIT_SAFETY_MS, outcome.deadline - deps.now()));
  }
  const finished = op;
  if (outcome.type === "failed") {
    recordSyncFailed(status, finished, outcome.message, now());
    pass.recorded.push((o) => o.synced({ app: appKeyOf(app), result: "Failed", revision: finished.revision }));
    pass.events.push({ type: "Warning", reason: "SyncFailed", message: outcome.message, revision: finished.revision });
    return retryDelayMs(app, finished, durationOr) ?? pass.intervalMs;
  }
  const pruned =
    pruning && !analysis.emptyRender ? await pruneExtraneous(deps, pass, analysis, access, op.resources) : [];
  recordSyncSucceeded(
    status,
    finished,
    {
      synced: analysis.managedIds.length,
      pruned: pruned.length,
      inventory: nextInventory(analysis.managedIds, analysis.extraneous, pruned),
    },
    now(),
  );
  pass.completedSync = true;
  const held = heldBack(plan, analysis.plan);
  if (held.size > 0) pass.heldBack = held;
  pass.recorded.push((o) => o.synced({ app: appKeyOf(app), result: "Succeeded", revision: finished.revision }));
  const only = finished.resources ? ` (only ${finished.resources.length} chosen objects)` : "";
  pass.events.push({
    type: "Normal",
    reason: "Synced",
    message: `synced revision ${shortRevision(finished.revision)}${only} (${finished.message})`,
    revision: finished.revision,
  });
  return 0; // observe the result right away
}

/**
 * A dry run ends in the pass that starts it: the comparison already ran a server-side dry run of every
 * desired object against its live one. It says what a sync would create, change and prune; nothing is
 * written but the operation's result, and no history entry.
 */
function finishDryRun(pass: Pass, analysis: Analysis, access: AppAccess, op: OperationState, now: string): number {
  const pruning = Boolean(pass.app.spec.syncPolicy?.automated?.prune || op.prune);
  const pruned = pruning && !analysis.emptyRender ? prunable(pass, analysis, access) : [];
  const report = dryRunReport({
    comparisons: analysis.comparisons,
    pruned,
    ...(op.resources ? { selection: op.resources } : {}),
  });
  pass.status.operation = {
    ...op,
    phase: report.ok ? "Succeeded" : "Failed",
    message: report.message,
    finishedAt: now,
    ...(report.failures.length > 0 ? { failures: report.failures.slice(0, 20) } : {}),
  };
  pass.events.push({
    type: report.ok ? "Normal" : "Warning",
    reason: report.ok ? "DryRunSucceeded" : "DryRunFailed",
    message: `${report.message} (revision ${shortRevision(op.revision)})`,
  });
  return pass.intervalMs;
}

/** A new sync operation when one should start now (see decideSyncStart); undefined when none should. */
function startOperation(
  deps: ReconcilerDeps,
  pass: Pass,
  analysis: Analysis,
  access: AppAccess,
): OperationState | undefined {
  const { app, status } = pass;
  const now = () => new Date(deps.now()).toISOString();
  const revision = analysis.desired.revision.sha;
  const automated = app.spec.syncPolicy?.automated;
  const retry = retryAt(app, status.operation, revision, durationOr);
  const extraneous =
    Boolean(automated?.prune) &&
    extraneousSyncReason({
      extraneous: analysis.extraneous,
      liveOf: (ref) => access.connection.live.get(ref),
      options: analysis.plan.options,
      revisionChanged: status.sync?.revision !== revision,
    });
  const op = decideSyncStart({
    app,
    status,
    revision,
    outOfSync: analysis.comparisons.some((c) => c.status !== "Synced") || extraneous,
    // What the drift policy reverts (by default all of it with self-heal on, nothing with it off).
    heal:
      analysis.comparisons.some((c) => c.status !== "Synced" && c.action === "revert") ||
      (extraneous && Boolean(automated?.selfHeal)),
    manualRequest: pass.manualRequest,
    requestedBy: app.metadata.annotations?.[ANNOTATIONS.syncRequestedBy],
    requestOptions: syncRequestOptions(app),
    rollback: pass.rollback,
    retryDue: retry !== undefined && deps.now() >= Date.parse(retry),
    quarantined: isQuarantined(status, revision),
    now: now(),
  });
  if (!op || waitsForDependencies(deps, pass) || closedWindow(pass)) return undefined;
  if (pass.rollback && status.rollback?.historyId !== pass.rollback.historyId)
    status.rollback = { ...pass.rollback, at: now() };
  return op;
}

/**
 * Self-heal does not wait behind an operation: while a step waits for health, an object of a step this
 * operation applied before that drifted (changed or deleted behind Git's back) is applied again at once.
 * Later steps are left to the operation, so the waves keep their order.
 */
async function healWhileWaiting(
  deps: ReconcilerDeps,
  pass: Pass,
  analysis: Analysis,
  plan: SyncPlan,
  access: AppAccess,
  appliedSteps: number,
): Promise<void> {
  if (!revertsNow(pass.app) || pass.rollback || appliedSteps === 0) return;
  // The plan's tasks are the objects as this sync writes them (allowed fields kept live), by reference.
  const applied = new Map(
    plan.steps
      .slice(0, appliedSteps)
      .flatMap((s) => s.tasks.filter((t) => !t.hook))
      .map((t) => [refKey(t.ref), t]),
  );
  const drifted = analysis.comparisons.filter(
    (c) => c.status !== "Synced" && c.action === "revert" && !c.error && applied.has(refKey(c.task.ref)),
  );
  for (const c of drifted) {
    const task = applied.get(refKey(c.task.ref)) ?? c.task;
    try {
      // As the sync writes it: its sync options (Replace, ServerSideApply=false, Validate) hold here too.
      await writeObject(
        { applier: access.client, reader: access.client },
        { object: task.object, options: task.options, signal: pass.signal },
      );
    } catch (err) {
      if (pass.signal.aborted) throw err;
      const error = maskSecretValues(errorMessage(err), c.task.object);
      deps.log.warn({ app: pass.key, object: describeRef(c.task.ref), error }, "self-heal failed");
    }
  }
}

/** The Event of an operation that starts (what notifications turn into a pending commit status). */
function syncStarted(op: OperationState): PendingEvent {
  return {
    type: "Normal",
    reason: "SyncStarted",
    message: `syncing revision ${shortRevision(op.revision)} (initiated by ${op.initiatedBy})`,
    revision: op.revision,
  };
}

/**
 * syncPolicy.autoRollback: when the last sync failed its health gate, an operation back to the last revision
 * that was Healthy starts (rendered by the next pass), and the failed revision is quarantined. Not while a
 * sync by hand or a rollback is asked for, nor while a sync window holds automated syncs.
 */
function startAutoRollback(deps: ReconcilerDeps, pass: Pass): boolean {
  const { app, status } = pass;
  if (pass.manualRequest || pass.rollback || pass.syncWindow?.automated === false) return false;
  const timeoutMs = durationOr(app.spec.syncPolicy?.timeout, DEFAULT_TIMEOUT_MS);
  const rollback = autoRollbackDecision({ app, status, now: deps.now(), timeoutMs });
  if (!rollback) return false;
  const at = new Date(deps.now()).toISOString();
  status.quarantined = quarantine(status.quarantined, rollback, at);
  const { bad, target } = rollback;
  status.operation = {
    phase: "Running",
    revision: target.revision,
    initiatedBy: autoRollbackInitiator(rollback),
    step: 0,
    stepApplied: false,
    message: "starting",
    startedAt: at,
    retries: 0,
  };
  pass.events.push(
    {
      type: "Warning",
      reason: "RolledBack",
      message: `revision ${shortRevision(bad)} failed its health gate (${rollback.reason}); rolling back to ${shortRevision(target.revision)} (history ${target.id}); ${shortRevision(bad)} is quarantined until Git moves past it`,
      revision: bad,
    },
    syncStarted(status.operation),
  );
  return true;
}

/** `bosun app unquarantine`: the revisions it names, quarantined before it was asked, are lifted. */
function liftQuarantine(pass: Pass): void {
  const request = unquarantineRequest(pass.app);
  if (!request || !pass.status.quarantined?.length) return;
  const { kept, lifted: revisions } = lifted(pass.status.quarantined, request);
  if (revisions.length === 0) return;
  if (kept.length > 0) pass.status.quarantined = kept;
  else delete pass.status.quarantined;
  for (const revision of revisions)
    pass.events.push({
      type: "Normal",
      reason: "Unquarantined",
      message: `revision ${shortRevision(revision)} is no longer quarantined: automated sync may sync it again`,
      revision,
    });
}

/** Inventory ids of the objects of `full` that `ran` (the plan the sync ran) left out. */
function heldBack(ran: SyncPlan, full: SyncPlan): Set<string> {
  const applied = new Set(ran.steps.flatMap((s) => s.tasks.map((t) => refKey(t.ref))));
  return new Set(full.resources.filter((t) => !applied.has(refKey(t.ref))).map((t) => inventoryId(t.ref)));
}

/** The interval, or less when a sync window opens or closes sooner (the pass then may start a sync). */
function untilWindowChanges(pass: Pass, now: number): number {
  const next = pass.syncWindow?.nextChange;
  if (!next) return pass.intervalMs;
  return Math.max(1000, Math.min(pass.intervalMs, Date.parse(next) - now + 1000));
}

/**
 * Whether the project's sync windows keep this sync from starting now: an automated one outside them, or one
 * asked for by hand (a sync or a rollback) that they do not let through either; that one is refused with
 * an Event and in status, so `bosun app sync` can say why.
 */
function closedWindow(pass: Pass): boolean {
  const verdict = pass.syncWindow;
  // A dry run changes nothing: no window holds it back.
  if (!verdict || (pass.manualRequest && syncRequestOptions(pass.app).dryRun)) return false;
  const byHand = pass.manualRequest || pass.rollback !== undefined;
  if (byHand ? verdict.manual : verdict.automated) return false;
  if (byHand) {
    if (pass.status.syncWindow && pass.requestedAt) pass.status.syncWindow.refusedRequest = pass.requestedAt;
    pass.events.push({ type: "Warning", reason: "SyncBlocked", message: `not syncing now: ${verdict.message}` });
  }
  return true;
}

/**
 * An automated sync waits until every Application this one depends on is Synced and Healthy at its current
 * revision (pass.waitingFor says for what); a sync or rollback asked for by hand does not wait.
 */
function waitsForDependencies(deps: ReconcilerDeps, pass: Pass): boolean {
  if (pass.manualRequest || pass.rollback || !pass.app.spec.dependsOn?.length) return false;
  pass.waitingFor = dependencyWait(pass.app, appLookup(deps.apps));
  return pass.waitingFor !== undefined;
}

/**
 * Creates the destination namespace (CreateNamespace=true) through the project's client when it does not
 * exist; a Namespace the project may not create is a denial, returned before anything is written.
 */
async function ensureDestinationNamespace(pass: Pass, access: AppAccess): Promise<Denial | undefined> {
  const { app } = pass;
  const name = app.spec.destination.namespace;
  if (!name || !(app.spec.syncPolicy?.syncOptions ?? []).includes("CreateNamespace=true")) return undefined;
  const address = { apiVersion: "v1", kind: "Namespace", name };
  const exists = async () => (await access.connection.client.get(address, pass.signal)) !== undefined;
  const denial = objectDenial(access.policy, access.cluster, { group: "", kind: "Namespace", namespace: "", name });
  // A project that may not create Namespaces may still deploy into one that exists.
  if (denial) return (await exists()) ? undefined : denial;
  // One request either way: created, or already there (409). RBAC may refuse the create of a Namespace that
  // exists (a tenant without the verb): then its existence is what counts.
  try {
    await access.client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, { signal: pass.signal });
  } catch (err) {
    const code = apiErrorOf(err)?.code;
    if (code === 409 || (code === 403 && (await exists()))) return undefined;
    throw err;
  }
  return undefined;
}

/** Objects a sync took over: an Event each, and a bounded list in status. */
function recordAdoptions(pass: Pass, refs: readonly ObjectRef[], revision: string, at: string): void {
  if (refs.length === 0) return;
  pass.status.adopted = appendAdopted(
    pass.status.adopted,
    refs.map((ref) => ({ resource: describeRef(ref), revision, at })),
  );
  for (const ref of refs)
    pass.events.push({
      type: "Normal",
      reason: "Adopted",
      message: `took over ${describeRef(ref)}: it existed without an owning Application`,
    });
}

/** What a prune would delete: what this Application applied before, is live, and Git no longer has. */
function prunable(pass: Pass, analysis: Analysis, access: AppAccess): ObjectRef[] {
  return planPrune({
    app: pass.app.metadata,
    inventory: pass.status.inventory ?? [],
    desired: analysis.plan.resources.map((t) => t.ref),
    liveOf: (ref) => access.connection.live.get(ref),
    options: analysis.plan.options,
  }).prune;
}

/** Prunes what the project lets this Application delete; an Event per object, a log line per failure. */
async function pruneExtraneous(
  deps: ReconcilerDeps,
  pass: Pass,
  analysis: Analysis,
  access: AppAccess,
  selection: readonly string[] | undefined,
): Promise<ObjectRef[]> {
  const result: PruneResult = { pruned: [], failed: [] };
  const refs = prunable(pass, analysis, access).filter(chosen(selection));
  for (const layer of deletionLayers(deletable(deps.log, refs, access, pass.key))) {
    const done = await executePrune(access.client, layer, { signal: pass.signal, options: analysis.plan.options });
    result.pruned.push(...done.pruned);
    result.failed.push(...done.failed);
  }
  for (const ref of result.pruned)
    pass.events.push({ type: "Normal", reason: "Pruned", message: `deleted ${describeRef(ref)}: no longer in Git` });
  for (const f of result.failed) deps.log.warn({ app: pass.key, error: f.error }, "prune failed");
  return result.pruned;
}

/** The live objects of refs the project lets this Application delete; the others stay, and the log says why. */
export function deletable(
  log: ReconcilerDeps["log"],
  refs: readonly ObjectRef[],
  access: AppAccess,
  key: string,
): KubeObject[] {
  const out: KubeObject[] = [];
  for (const ref of refs) {
    const live = access.connection.live.get(ref);
    if (!live) continue;
    const denial = objectDenial(access.policy, access.cluster, ref, live);
    if (denial) log.warn({ app: key, object: describeRef(ref), rule: denial.rule }, "not deleted");
    else out.push(live);
  }
  return out;
}
