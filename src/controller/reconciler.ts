import {
  ANNOTATIONS,
  type Application,
  type ApplicationStatus,
  CASCADE_FINALIZER,
  describeRef,
  type Health,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  type OperationState,
  parseInventoryId,
  type ResourceStatus,
} from "../api/index.js";
import { ApiError, type KubeClient, splitApiVersion, type WatchCache } from "../cluster/index.js";
import { parseDuration } from "../source/index.js";
import {
  deleteObjects,
  executePrune,
  mapBounded,
  nextInventory,
  planPrune,
  planSync,
  type SyncPlan,
  type SyncTask,
} from "../sync/index.js";
import { applicationConditions } from "./app-conditions.js";
import { appHealth } from "./app-health.js";
import { type CompareCache, compareResource, type ResourceComparison } from "./compare.js";
import { type DesiredState, type DesiredStateDeps, DesiredStateError, loadDesiredState } from "./desired-state.js";
import { driftRecords } from "./drift-records.js";
import type { EventRecorder } from "./events.js";
import { denialSummary, deniedForStatus, deniedObjects } from "./object-checks.js";
import { type AgentObserver, NO_OBSERVER, type ReconcileOutcome } from "./observer.js";
import { advanceOperation } from "./operation.js";
import type { AppAccess, ProjectAccess } from "./project-access.js";
import { type Denial, objectDenial } from "./project-policy.js";
import { specProblems } from "./spec-check.js";
import {
  aggregateHealth,
  appendAdopted,
  appendDrift,
  appendHistory,
  boundResources,
  setCondition,
  syncedBefore,
} from "./status.js";
import { decideSyncStart, type RollbackTarget, retryDelayMs } from "./sync-decision.js";

export interface Logger {
  debug?(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface ReconcilerDeps {
  client: KubeClient;
  /** Live objects bosun manages (tracked), kept by watches. */
  cache: WatchCache;
  /** Applications, kept by a watch. */
  apps: WatchCache;
  desired: DesiredStateDeps;
  /** Each Application's project: what it may change, and the client its writes go through. */
  access: ProjectAccess;
  events: EventRecorder;
  log: Logger;
  now: () => number;
  /** Ask for this key to be reconciled again after ms. */
  requeue: (key: string, ms: number) => void;
  random?: () => number;
  /** Hears how each reconcile, sync and drift correction went (metrics); nothing by default. */
  observe?: AgentObserver;
}

export interface AppKey {
  namespace: string;
  name: string;
}

export const appKeyString = (k: AppKey) => `${k.namespace}/${k.name}`;
export function parseAppKey(key: string): AppKey {
  const slash = key.indexOf("/");
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

const DEFAULT_INTERVAL_MS = 3 * 60_000;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const WAIT_POLL_MS = 2000;
/** Dry runs of one Application's objects made at a time. */
const COMPARE_CONCURRENCY = 8;
/** The reasons reportFailure writes into Ready, and the reconcile outcome each one is. */
const FAILURE_OUTCOMES = {
  SourceFailed: "source_failed",
  RenderFailed: "render_failed",
  InvalidManifests: "invalid",
  InvalidSpec: "invalid",
  ProjectNotFound: "denied",
  UnknownCluster: "denied",
  NotPermitted: "denied",
} as const satisfies Record<string, ReconcileOutcome>;
type FailureReason = keyof typeof FAILURE_OUTCOMES;

/** Failures that no retry heals: only a change in Git, the Application or its Project does (Stalled). */
const STALLING: ReadonlySet<FailureReason> = new Set([
  "InvalidManifests",
  "InvalidSpec",
  "ProjectNotFound",
  "UnknownCluster",
  "NotPermitted",
]);

function durationOr(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  try {
    return parseDuration(value);
  } catch {
    return fallback;
  }
}

/** One reconcile's view of its Application, passed between the phases below. */
interface Pass {
  key: string;
  app: Application;
  /** The status being built; written once at the end (and at each sync step while an operation runs). */
  status: ApplicationStatus;
  signal: AbortSignal;
  started: number;
  intervalMs: number;
  requestedAt?: string;
  manualRequest: boolean;
  rollback?: RollbackTarget;
  /** Set when a sync operation finished successfully in this pass. */
  completedSync?: boolean;
  /** Observer calls about what this pass records (a sync result, drift corrected): made once it is written. */
  recorded: Array<(observer: AgentObserver) => void>;
  /** The project's verdict on the Application; set once it passed. */
  access?: AppAccess;
}

/** What the comparison of desired and live found. */
interface Analysis {
  desired: DesiredState;
  plan: SyncPlan;
  comparisons: ResourceComparison[];
  extraneous: ObjectRef[];
  /** Inventory ids of the desired resources. */
  managedIds: string[];
  emptyRender: boolean;
  sourceWarning?: string;
}

/** Reconciles one Application: observe, compare, sync when it should, record status. */
export class Reconciler {
  private readonly compareCache: CompareCache = new Map();
  private readonly lastFetch = new Map<string, number>();
  /** Consecutive failed reconciles per Application: retried with backoff, but never later than its interval. */
  private readonly failures = new Map<string, number>();

  private readonly observer: AgentObserver;

  constructor(private readonly deps: ReconcilerDeps) {
    this.observer = deps.observe ?? NO_OBSERVER;
  }

  /** The next reconcile of key fetches from the remote, whatever its interval (a webhook or a refresh asked). */
  requestRefresh(key: string): void {
    this.lastFetch.delete(key);
  }

  forget(key: string): void {
    this.lastFetch.delete(key);
    this.failures.delete(key);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<void> {
    const k = parseAppKey(key);
    const app = this.deps.apps.get({ group: "bosun.dev", kind: "Application", namespace: k.namespace, name: k.name }) as
      | (Application & KubeObject)
      | undefined;
    if (!app) return this.forget(key);
    if (app.metadata.deletionTimestamp) return await this.finalize(app, signal);

    const pass = this.begin(key, app, signal);
    try {
      await this.run(pass);
    } catch (err) {
      if (signal.aborted) throw err;
      const conflict = err instanceof ApiError && err.isConflict;
      this.reconciled(pass, conflict ? "conflict" : "error");
      if (!conflict) await this.reportError(app, err);
      throw err;
    }
  }

  /**
   * A reconcile that threw (the API server refused a namespace, a dry run failed for the server's sake):
   * Ready says why instead of an old True staying, on the status as it was before this pass. Retried with
   * backoff by the queue; never Stalled. A failure to write this is only logged.
   */
  private async reportError(app: Application, err: unknown): Promise<void> {
    const status = structuredClone(app.status ?? {});
    const message = err instanceof Error ? err.message : String(err);
    const now = this.nowIso();
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
    try {
      await this.writeStatus(app, status);
    } catch (writeErr) {
      this.deps.log.warn(
        {
          app: `${app.metadata.namespace}/${app.metadata.name}`,
          error: writeErr instanceof Error ? writeErr.message : String(writeErr),
        },
        "could not record the reconcile error in status",
      );
    }
  }

  /** Observe, compare, sync, record; one log line and one observer call say how it ended. */
  private async run(pass: Pass): Promise<void> {
    const problems = specProblems(pass.app);
    if (problems.length > 0)
      return await this.reportFailure(pass, "InvalidSpec", new Error(problems.join("; ")), undefined);
    const access = this.deps.access.resolve(pass.app);
    if ("reason" in access) {
      // Refused before any fetch: the repository, the destination or the project itself.
      const denial = access.reason === "NotPermitted" ? [{ ref: appObjectRef(pass.app), rule: access.message }] : [];
      return await this.reportFailure(pass, access.reason, new Error(access.message), undefined, denial);
    }
    pass.access = access;
    const analysis = await this.analyse(pass);
    if (!analysis) return;
    await this.recordDrift(pass, analysis);
    const requeueMs = await this.operate(pass, analysis);
    if (requeueMs === undefined) return;
    this.summarise(pass, analysis);
    await this.writeStatus(pass.app, pass.status);
    for (const tell of pass.recorded) tell(this.observer);
    this.deps.log.info(
      {
        app: pass.key,
        revision: analysis.desired.revision.sha.slice(0, 7),
        outcome: "success",
        sync: pass.status.sync?.status,
        health: pass.status.health?.status,
        operation: pass.status.operation?.phase,
        durationMs: this.deps.now() - pass.started,
      },
      "reconciled",
    );
    this.reconciled(pass, "success");
    this.failures.delete(pass.key);
    this.deps.requeue(pass.key, requeueMs === 0 ? 0 : jitter(requeueMs, this.deps.random));
  }

  private reconciled(pass: Pass, outcome: ReconcileOutcome): void {
    this.observer.reconciled({ app: appRefOf(pass.app), outcome, durationMs: this.deps.now() - pass.started });
  }

  private nowIso(): string {
    return new Date(this.deps.now()).toISOString();
  }

  private begin(key: string, app: Application, signal: AbortSignal): Pass {
    const status: ApplicationStatus = structuredClone(app.status ?? {});
    const requestedAt = app.metadata.annotations?.[ANNOTATIONS.reconcileRequestedAt];
    return {
      key,
      app,
      status,
      signal,
      started: this.deps.now(),
      intervalMs: durationOr(app.spec.syncPolicy?.interval, DEFAULT_INTERVAL_MS),
      requestedAt,
      manualRequest: requestedAt !== undefined && requestedAt !== status.handledSyncRequest,
      rollback: rollbackTarget(app, status),
      recorded: [],
    };
  }

  /**
   * Desired state, plan, the checks before any write, and the comparison; undefined when the source or render
   * failed, or an object is not permitted (already reported).
   */
  private async analyse(pass: Pass): Promise<Analysis | undefined> {
    const access = pass.access as AppAccess;
    const desired = await this.observe(pass);
    if (!desired) return undefined;
    let plan: SyncPlan;
    try {
      plan = planSync(desired.objects);
    } catch (err) {
      await this.reportFailure(pass, "InvalidManifests", err, desired.revision.sha);
      return undefined;
    }
    await this.watchKinds(plan, pass.status, pass.signal);
    const denials = deniedObjects({
      policy: access.policy,
      cluster: access.cluster,
      app: pass.app.metadata,
      plan,
      liveOf: (ref) => this.deps.cache.get(ref),
    });
    if (denials.length > 0) {
      const error = new Error(denialSummary(denials));
      await this.reportFailure(pass, "NotPermitted", error, desired.revision.sha, denials);
      return undefined;
    }
    delete pass.status.denied;
    const comparisons = await this.compareAll(pass, plan.resources);
    const managedIds = plan.resources.map((t) => inventoryId(t.ref));
    const desiredIds = new Set(managedIds);
    const extraneous = (pass.status.inventory ?? [])
      .filter((id) => !desiredIds.has(id))
      .map(parseInventoryId)
      .filter((ref): ref is ObjectRef => ref !== undefined && this.deps.cache.get(ref) !== undefined);
    const fetchError = desired.revision.fetchError;
    return {
      desired,
      plan,
      comparisons,
      extraneous,
      managedIds,
      emptyRender: plan.resources.length === 0 && !pass.app.spec.syncPolicy?.automated?.allowEmpty,
      sourceWarning: fetchError
        ? `the repository could not be fetched; using the last fetched state: ${fetchError.message}`
        : undefined,
    };
  }

  /** Resolve, check out and render; fetch from the remote only when the interval passed or someone asked. */
  private async observe(pass: Pass): Promise<DesiredState | undefined> {
    const { app, status } = pass;
    const last = this.lastFetch.get(pass.key);
    const refresh =
      last === undefined ||
      pass.started - last >= pass.intervalMs ||
      pass.manualRequest ||
      app.metadata.generation !== status.observedGeneration;
    const running = status.operation?.phase === "Running" ? status.operation : undefined;
    const revisionOverride =
      running?.revision ??
      pass.rollback?.revision ??
      (pass.manualRequest ? app.metadata.annotations?.[ANNOTATIONS.syncRevision] : undefined);
    try {
      const desired = await loadDesiredState(this.deps.desired, app, {
        refresh,
        revisionOverride,
        signal: pass.signal,
      });
      if (refresh) this.lastFetch.set(pass.key, pass.started);
      return desired;
    } catch (err) {
      if (pass.signal.aborted) throw err;
      await this.reportFailure(
        pass,
        err instanceof DesiredStateError && err.stage === "render" ? "RenderFailed" : "SourceFailed",
        err,
        err instanceof DesiredStateError ? err.revision : undefined,
      );
      return undefined;
    }
  }

  /**
   * A failure before anything was applied: say why in Ready (and Stalled, when only a change of Git, the
   * Application or its Project can heal it), keep the cluster as it is, retry soon. Denials are listed in
   * status, and a running operation they stop is failed; an Event tells of a new denial or refusal.
   */
  private async reportFailure(
    pass: Pass,
    reason: FailureReason,
    err: unknown,
    revision: string | undefined,
    denials: readonly Denial[] = [],
  ): Promise<void> {
    const { status } = pass;
    const message = err instanceof Error ? err.message : String(err);
    const now = this.nowIso();
    const stalled = STALLING.has(reason);
    const previous = status.conditions?.find((c) => c.type === "Ready");
    status.conditions = setCondition(status.conditions, { type: "Ready", status: "False", reason, message }, now);
    status.conditions = setCondition(
      status.conditions,
      {
        type: "Stalled",
        status: stalled ? "True" : "False",
        reason: stalled ? reason : "",
        message: stalled ? message : "",
      },
      now,
    );
    if (denials.length > 0) status.denied = deniedForStatus(denials);
    if (stalled && status.operation?.phase === "Running")
      Object.assign(status.operation, { phase: "Failed", message, finishedAt: now });
    status.observedGeneration = pass.app.metadata.generation;
    await this.writeStatus(pass.app, status);
    if (stalled && (previous?.reason !== reason || previous.message !== message))
      await this.deps.events.record(pass.app, "Warning", reason === "NotPermitted" ? "SyncDenied" : reason, message);
    const outcome = FAILURE_OUTCOMES[reason];
    this.deps.log.warn(
      {
        app: pass.key,
        ...(revision ? { revision: revision.slice(0, 7) } : {}),
        outcome,
        reason,
        error: message,
        durationMs: this.deps.now() - pass.started,
      },
      "reconcile failed; the cluster keeps its last state",
    );
    this.reconciled(pass, outcome);
    const n = this.failures.get(pass.key) ?? 0;
    this.failures.set(pass.key, n + 1);
    this.deps.requeue(pass.key, Math.min(pass.intervalMs, 1000 * 2 ** n));
  }

  private async recordDrift(pass: Pass, analysis: Analysis): Promise<void> {
    const policy = pass.app.spec.syncPolicy;
    const records = driftRecords({
      comparisons: analysis.comparisons,
      wasSynced: syncedBefore(pass.status),
      sameRevision: pass.status.sync?.revision === analysis.desired.revision.sha,
      corrected: Boolean(policy?.automated?.selfHeal) && !policy?.suspend && !pass.rollback,
      now: this.nowIso(),
    });
    for (const d of records) {
      if (d.corrected) pass.recorded.push((o) => o.driftCorrected({ app: appRefOf(pass.app), resource: d.resource }));
      const verb = d.corrected ? "; reverting" : "";
      await this.deps.events.record(
        pass.app,
        "Warning",
        "DriftDetected",
        `${d.resource}: ${d.fields.join(", ")} changed by ${d.manager}${verb}`,
      );
    }
    if (records.length > 0) pass.status.drift = appendDrift(pass.status.drift, records);
  }

  /**
   * Creates the destination namespace (CreateNamespace=true) through the project's client when it does not
   * exist; a Namespace the project may not create is a denial, returned before anything is written.
   */
  private async ensureDestinationNamespace(pass: Pass, access: AppAccess): Promise<Denial | undefined> {
    const { app } = pass;
    const name = app.spec.destination.namespace;
    if (!name || !(app.spec.syncPolicy?.syncOptions ?? []).includes("CreateNamespace=true")) return undefined;
    if (await this.deps.client.get({ apiVersion: "v1", kind: "Namespace", name }, pass.signal)) return undefined;
    const ref = { group: "", kind: "Namespace", namespace: "", name };
    const denial = objectDenial(access.policy, access.cluster, ref);
    if (denial) return denial;
    await access.client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, { signal: pass.signal });
    return undefined;
  }

  /** Objects a sync took over: an Event each, and a bounded list in status. */
  private async recordAdoptions(pass: Pass, refs: readonly ObjectRef[], revision: string): Promise<void> {
    if (refs.length === 0) return;
    const at = this.nowIso();
    pass.status.adopted = appendAdopted(
      pass.status.adopted,
      refs.map((ref) => ({ resource: describeRef(ref), revision, at })),
    );
    for (const ref of refs)
      await this.deps.events.record(
        pass.app,
        "Normal",
        "Adopted",
        `took over ${describeRef(ref)}: it existed without an owning Application`,
      );
  }

  /** Starts or continues a sync operation; returns when to look again (ms), undefined when already requeued. */
  private async operate(pass: Pass, analysis: Analysis): Promise<number | undefined> {
    const { app, status } = pass;
    const revision = analysis.desired.revision.sha;
    const prune = Boolean(app.spec.syncPolicy?.automated?.prune);
    let op = status.operation?.phase === "Running" ? status.operation : undefined;
    if (!op) {
      op = decideSyncStart({
        app,
        status,
        revision,
        outOfSync: analysis.comparisons.some((c) => c.status !== "Synced") || (prune && analysis.extraneous.length > 0),
        manualRequest: pass.manualRequest,
        requestedBy: app.metadata.annotations?.[ANNOTATIONS.syncRequestedBy],
        rollback: pass.rollback,
        retryDue: this.retryDue(app, status.operation, revision),
        now: this.nowIso(),
      });
      if (op && pass.rollback && status.rollback?.historyId !== pass.rollback.historyId)
        status.rollback = { ...pass.rollback, at: this.nowIso() };
    }
    if (!pass.rollback) delete status.rollback;
    if (pass.manualRequest) status.handledSyncRequest = pass.requestedAt;
    if (!op) return pass.intervalMs;

    const access = pass.access as AppAccess;
    const namespaceDenied = await this.ensureDestinationNamespace(pass, access);
    if (namespaceDenied) {
      await this.reportFailure(pass, "NotPermitted", new Error(denialSummary([namespaceDenied])), revision, [
        namespaceDenied,
      ]);
      return undefined;
    }
    status.operation = op;
    const adopted: ObjectRef[] = [];
    const outcome = await advanceOperation({
      client: access.client,
      cache: this.deps.cache,
      plan: analysis.plan,
      op,
      operationId: `${app.metadata.uid ?? pass.key}/${op.startedAt}`,
      timeoutMs: durationOr(app.spec.syncPolicy?.timeout, DEFAULT_TIMEOUT_MS),
      now: this.deps.now,
      persist: async (o) => {
        status.operation = o;
        await this.writeStatus(app, status);
      },
      adopted: (ref) => adopted.push(ref),
      health: appHealth(app),
      signal: pass.signal,
    });
    await this.recordAdoptions(pass, adopted, op.revision);
    if (outcome.type === "waiting") return WAIT_POLL_MS;
    if (outcome.type === "failed") {
      status.history = appendHistory(status.history, {
        revision: op.revision,
        deployedAt: this.nowIso(),
        initiatedBy: op.initiatedBy,
        result: "Failed",
        message: outcome.message,
      });
      pass.recorded.push((o) => o.synced({ app: appRefOf(app), result: "Failed", revision: op.revision }));
      await this.deps.events.record(app, "Warning", "SyncFailed", outcome.message);
      return retryDelayMs(app, op, durationOr) ?? pass.intervalMs;
    }
    await this.complete(pass, analysis, op, prune);
    return 0; // observe the result right away
  }

  /** After the last step: prune, record the inventory and the history entry. */
  private async complete(pass: Pass, analysis: Analysis, op: OperationState, prune: boolean): Promise<void> {
    const { status } = pass;
    const pruned = prune && !analysis.emptyRender ? await this.prune(pass, analysis) : [];
    status.inventory = nextInventory(analysis.managedIds, analysis.extraneous, pruned);
    const prunedNote = pruned.length > 0 ? `, pruned ${pruned.length}` : "";
    Object.assign(op, {
      phase: "Succeeded",
      message: `synced ${analysis.managedIds.length} resources${prunedNote}`,
      finishedAt: this.nowIso(),
    });
    status.history = appendHistory(status.history, {
      revision: op.revision,
      deployedAt: this.nowIso(),
      initiatedBy: op.initiatedBy,
      result: "Succeeded",
    });
    status.sync = { status: "Synced", revision: op.revision };
    pass.completedSync = true;
    pass.recorded.push((o) => o.synced({ app: appRefOf(pass.app), result: "Succeeded", revision: op.revision }));
    await this.deps.events.record(
      pass.app,
      "Normal",
      "Synced",
      `synced revision ${op.revision.slice(0, 7)} (${op.message})`,
    );
  }

  /** Sync, health, resources and conditions from what is live now. */
  private summarise(pass: Pass, analysis: Analysis): void {
    const { status, app } = pass;
    const prune = Boolean(app.spec.syncPolicy?.automated?.prune);
    const resources: ResourceStatus[] = [];
    const healths: Array<{ name: string; health: Health }> = [];
    const op = status.operation;
    const failed = new Map(
      op?.phase === "Failed" && op.revision === analysis.desired.revision.sha
        ? (op.failures ?? []).map((f) => [f.resource, f.message])
        : [],
    );
    const healthOf = appHealth(app);
    for (const c of analysis.comparisons) {
      const health = healthOf(this.deps.cache.get(c.task.ref));
      const name = describeRef(c.task.ref);
      healths.push({ name, health });
      const message = c.error ?? failed.get(name);
      resources.push({
        ...resourceStatus(c.task, pass.completedSync ? "Synced" : c.status, health),
        ...(message ? { message } : {}),
      });
    }
    for (const ref of analysis.extraneous) resources.push({ ...ref, version: "", status: "Extraneous", wave: 0 });
    const revision = analysis.desired.revision.sha;
    // A sync that just succeeded applied every desired object; the comparisons above predate it, and the
    // reconcile that follows at once compares again.
    const justSynced = pass.completedSync === true;
    const synced =
      justSynced ||
      (analysis.comparisons.every((c) => c.status === "Synced") && !(prune && analysis.extraneous.length > 0));

    status.sync = synced
      ? { status: "Synced", revision }
      : { status: "OutOfSync", revision: status.sync?.revision, message: `desired revision ${revision.slice(0, 7)}` };
    const emptyRender = analysis.emptyRender && (status.inventory?.length ?? 0) > 0;
    status.health = emptyRender
      ? { status: "Unknown", message: "the render is empty; nothing pruned (set allowEmpty to allow)" }
      : aggregateHealth(healths);
    const bounded = boundResources(resources);
    status.resources = bounded.resources;
    status.summary = bounded.summary;
    const r = analysis.desired.revision;
    status.sourceRevision = { sha: r.sha, message: r.message, author: r.author.name, time: r.committedAt };
    status.observedGeneration = app.metadata.generation;
    status.conditions = applicationConditions(
      status,
      { emptyRender, sourceWarning: analysis.sourceWarning, retryAt: this.retryAt(app, status.operation, revision) },
      this.nowIso(),
    );
  }

  /** When the retry policy tries a failed sync of this revision again; undefined when it will not. */
  private retryAt(app: Application, op: OperationState | undefined, revision: string): string | undefined {
    if (op?.phase !== "Failed" || op.revision !== revision) return undefined;
    const delay = retryDelayMs(app, op, durationOr);
    return delay === undefined ? undefined : new Date(Date.parse(op.finishedAt ?? op.startedAt) + delay).toISOString();
  }

  private retryDue(app: Application, op: OperationState | undefined, revision: string): boolean {
    const at = this.retryAt(app, op, revision);
    return at !== undefined && this.deps.now() >= Date.parse(at);
  }

  private async watchKinds(plan: SyncPlan, status: ApplicationStatus, signal: AbortSignal): Promise<void> {
    const kinds = new Map<string, { apiVersion: string; kind: string }>();
    for (const t of [...plan.steps.flatMap((step) => step.tasks), ...plan.onFail])
      kinds.set(`${t.object.apiVersion}|${t.object.kind}`, { apiVersion: t.object.apiVersion, kind: t.object.kind });
    for (const r of status.resources ?? []) {
      if (r.version)
        kinds.set(`${r.group ? `${r.group}/` : ""}${r.version}|${r.kind}`, {
          apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
          kind: r.kind,
        });
    }
    for (const { apiVersion, kind } of kinds.values()) {
      try {
        await this.deps.cache.watchKind(apiVersion, kind, signal);
      } catch {
        // A kind the server does not serve yet (its CRD is in this sync): the apply step reports it.
      }
    }
  }

  /** Every desired object against its live one, COMPARE_CONCURRENCY dry runs at a time (memoised ones cost none). */
  private async compareAll(pass: Pass, tasks: readonly SyncTask[]): Promise<ResourceComparison[]> {
    return await mapBounded(tasks, COMPARE_CONCURRENCY, (task) =>
      compareResource({
        client: (pass.access as AppAccess).client,
        task,
        live: this.deps.cache.get(task.ref),
        ignoreDifferences: pass.app.spec.ignoreDifferences ?? [],
        cache: this.compareCache,
        signal: pass.signal,
      }),
    );
  }

  /** Prunes what the project lets this Application delete; an Event per object, a log line per failure. */
  private async prune(pass: Pass, analysis: Analysis): Promise<ObjectRef[]> {
    const plan = planPrune({
      app: pass.app.metadata,
      inventory: pass.status.inventory ?? [],
      desired: analysis.plan.resources.map((t) => t.ref),
      liveOf: (ref) => this.deps.cache.get(ref),
    });
    const access = pass.access as AppAccess;
    const result = await executePrune(access.client, this.deletable(plan.prune, access, pass.key), pass.signal);
    for (const ref of result.pruned)
      await this.deps.events.record(pass.app, "Normal", "Pruned", `deleted ${describeRef(ref)}: no longer in Git`);
    for (const f of result.failed) this.deps.log.warn({ app: pass.key, error: f.error }, "prune failed");
    return result.pruned;
  }

  /** The live objects of refs the project lets this Application delete; the others stay, and the log says why. */
  private deletable(refs: readonly ObjectRef[], access: AppAccess, key: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const ref of refs) {
      const live = this.deps.cache.get(ref);
      if (!live) continue;
      const denial = objectDenial(access.policy, access.cluster, ref, live);
      if (denial) this.deps.log.warn({ app: key, object: describeRef(ref), rule: denial.rule }, "not deleted");
      else out.push(live);
    }
    return out;
  }

  /**
   * Deleting an Application with the cascade finalizer: delete what it deployed (as its project allows),
   * then let it go. Without a project to delete through, its objects stay and an Event says so.
   */
  private async finalize(app: Application, signal: AbortSignal): Promise<void> {
    if (!app.metadata.finalizers?.includes(CASCADE_FINALIZER)) return;
    const access = this.deps.access.resolve(app);
    const tracked = (app.status?.inventory ?? [])
      .map(parseInventoryId)
      .filter((ref): ref is ObjectRef => ref !== undefined)
      .filter((ref) => {
        const id = this.deps.cache.get(ref)?.metadata.annotations?.[ANNOTATIONS.trackingId] ?? "";
        return id.startsWith(`${app.metadata.namespace}/${app.metadata.name}:`);
      });
    const key = `${app.metadata.namespace}/${app.metadata.name}`;
    if ("reason" in access) {
      if (tracked.length > 0)
        await this.deps.events.record(
          app,
          "Warning",
          "ResourcesKept",
          `${tracked.length} objects left in place: ${access.message}`,
        );
    } else {
      // In the background, as Argo CD's resources-finalizer does: with Foreground each object would wait for
      // the garbage collector (paced at a few dozen a second) before it goes.
      const result = await deleteObjects(access.client, this.deletable(tracked, access, key), {
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
    await this.deps.client.rest.request({
      method: "PATCH",
      path: `/apis/bosun.dev/v1alpha1/namespaces/${encodeURIComponent(app.metadata.namespace)}/applications/${encodeURIComponent(app.metadata.name)}`,
      body: {
        metadata: {
          finalizers: (app.metadata.finalizers ?? []).filter((f) => f !== CASCADE_FINALIZER),
          resourceVersion: app.metadata.resourceVersion,
        },
      },
      contentType: "application/merge-patch+json",
      signal,
    });
  }

  /**
   * Writes status only when it changed: an idle reconcile writes nothing. The write is conditional on the
   * resourceVersion bosun last saw (a conflict fails this reconcile, which is retried with fresh data).
   */
  private async writeStatus(app: Application, status: ApplicationStatus): Promise<void> {
    const text = JSON.stringify(status);
    if (text === JSON.stringify(app.status ?? {})) return;
    let res: { body: Application };
    try {
      res = await this.deps.client.rest.request<Application>({
        method: "PUT",
        path: `/apis/bosun.dev/v1alpha1/namespaces/${encodeURIComponent(app.metadata.namespace)}/applications/${encodeURIComponent(app.metadata.name)}/status`,
        body: { ...app, status },
      });
    } catch (err) {
      // A conflict is retried with fresh data; anything else would leave status silently stale: say so.
      if (!(err instanceof ApiError && err.isConflict)) {
        const why = err instanceof Error ? err.message : String(err);
        this.deps.log.error(
          { app: `${app.metadata.namespace}/${app.metadata.name}`, bytes: text.length, error: why },
          "status write failed",
        );
        await this.deps.events.record(
          app,
          "Warning",
          "StatusWriteFailed",
          `status (${text.length} bytes) could not be written: ${why}`,
        );
      }
      throw err;
    }
    app.metadata.resourceVersion = res.body.metadata.resourceVersion;
    app.status = structuredClone(status);
  }
}

const appRefOf = (app: Application) => ({ namespace: app.metadata.namespace, name: app.metadata.name });

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

function rollbackTarget(app: Application, status: ApplicationStatus): RollbackTarget | undefined {
  const raw = app.metadata.annotations?.[ANNOTATIONS.rollbackTo];
  if (!raw) return undefined;
  const entry = status.history?.find((h) => String(h.id) === raw.trim());
  if (!entry) return status.rollback;
  return { revision: entry.revision, historyId: entry.id };
}

/** The Application as an object: what a denial of the Application itself names. */
function appObjectRef(app: Application): ObjectRef {
  return { group: "bosun.dev", kind: "Application", namespace: app.metadata.namespace, name: app.metadata.name };
}

function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 + 0.1 * random()));
}
