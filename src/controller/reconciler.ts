// The reconcile of one Application: observe → compare → decide → operate, and the status finalised in one
// place however the pass ends (Flux's finalizeStatus): one status write, then its Events, one log line, one
// observer call and the next look.

import {
  type AppKey,
  type Application,
  type ApplicationStatus,
  appKeyOf,
  errorMessage,
  type KubeObject,
  type ObjectRef,
  shortRevision,
  withPrimarySource,
} from "../api/index.js";
import { ApiError, connectionErrorOf, refKey } from "../cluster/index.js";
import { analyse, FetchSchedule, QuietPasses } from "./analyse.js";
import { cascadeDelete } from "./cascade-delete.js";
import type { CompareCache } from "./compare.js";
import { dependencyCycle } from "./dependencies.js";
import { RenderMemo } from "./desired-state.js";
import { describeDecision, driftPolicyOf, revertsNow } from "./drift-policy.js";
import { driftRecords } from "./drift-records.js";
import { type AgentObserver, NO_OBSERVER, type ReconcileOutcome } from "./observer.js";
import { operate } from "./operate.js";
import {
  type Analysis,
  appLookup,
  appObjectRef,
  beginPass,
  durationOr,
  FAILURE_OUTCOMES,
  type Failure,
  failure,
  isFailure,
  isQuiet,
  type Pass,
  type PassEnd,
  type ReconcilerDeps,
} from "./pass.js";
import type { AppAccess } from "./project-access.js";
import { specProblems } from "./spec-check.js";
import { allowedDriftBefore, appendDrift, syncedBefore } from "./status.js";
import { errorStatus, failureStatus, reconciledStatus } from "./status-builders.js";
import { writeStatus } from "./status-writer.js";
import { retryAt } from "./sync-decision.js";
import { maskedJson } from "./values-from.js";

export type { Logger, ReconcilerDeps } from "./pass.js";

export const appKeyString = (k: AppKey) => `${k.namespace}/${k.name}`;
export function parseAppKey(key: string): AppKey {
  const slash = key.indexOf("/");
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export class Reconciler {
  private readonly compareCache: CompareCache = new Map();
  private readonly fetches = new FetchSchedule();
  private readonly renders = new RenderMemo();
  private readonly quiet = new QuietPasses();
  private readonly sensitive = new Map<string, readonly string[]>();
  private readonly observer: AgentObserver;

  constructor(private readonly deps: ReconcilerDeps) {
    this.observer = deps.observe ?? NO_OBSERVER;
  }

  /** The next reconcile of key fetches from the remote, whatever its interval (a webhook or a refresh asked). */
  requestRefresh(key: string): void {
    this.fetches.force(key, this.deps.now());
  }

  forget(key: string): void {
    this.fetches.forget(key);
    this.renders.forget(key);
    this.quiet.forget(key);
    this.sensitive.delete(key);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<void> {
    const k = parseAppKey(key);
    const app = this.deps.apps.get({ group: "bosun.dev", kind: "Application", namespace: k.namespace, name: k.name }) as
      | (Application & KubeObject)
      | undefined;
    if (!app) return this.forget(key);
    withPrimarySource(app);
    if (app.metadata.deletionTimestamp) return await cascadeDelete(this.deps, app, signal);

    const pass = beginPass(key, app, signal, this.deps.now());
    try {
      await this.finalizeStatus(pass, await this.run(pass));
    } catch (err) {
      if (signal.aborted) throw err;
      await this.finishError(pass, err);
    }
  }

  /** Observe, compare, decide, operate. Ends in a Failure when something stops it before anything is applied. */
  private async run(pass: Pass): Promise<PassEnd> {
    const problems = specProblems(pass.app);
    if (problems.length > 0) return failure("InvalidSpec", new Error(problems.join("; ")));
    const cycle = dependencyCycle(pass.app, appLookup(this.deps.apps));
    if (cycle) return failure("DependencyCycle", new Error(`dependsOn makes a cycle: ${cycle}; none of them syncs`));
    const access = this.deps.access.resolve(pass.app);
    if ("reason" in access) {
      // Refused before any fetch: the repository, the destination or the project itself.
      const denial = access.reason === "NotPermitted" ? [{ ref: appObjectRef(pass.app), rule: access.message }] : [];
      return failure(access.reason, new Error(access.message), undefined, denial);
    }
    const unreachable = await this.deps.clusters.ready(access.connection, pass.signal);
    if (unreachable) return failure("ClusterUnreachable", unreachable);
    try {
      const analysis = await analyse(this.ctx(), pass, access);
      if (isFailure(analysis) || isQuiet(analysis)) return analysis;
      this.recordDrift(pass, analysis);
      const requeueMs = await operate(this.deps, pass, analysis, access, this.compareCache);
      if (isFailure(requeueMs)) return requeueMs;
      return { type: "reconciled", analysis, requeueMs, access };
    } catch (err) {
      // The destination went away mid-pass: its Applications wait for it without holding a worker.
      const lost = connectionErrorOf(err);
      if (!lost || pass.signal.aborted || lost.server !== access.connection.client.rest.config.server) throw err;
      this.deps.clusters.markUnreachable(access.connection, lost);
      return failure(
        "ClusterUnreachable",
        new Error(`cluster ${access.cluster.name} (${access.cluster.server}) is unreachable: ${lost.message}`),
      );
    }
  }

  private ctx() {
    return {
      deps: this.deps,
      compareCache: this.compareCache,
      fetches: this.fetches,
      renders: this.renders,
      quiet: this.quiet,
      sensitive: this.sensitive,
    };
  }

  /**
   * Every way a pass ends goes through here: its status written once, then what it did is told. A pass that
   * threw (or whose write failed) ends in finishError.
   */
  private async finalizeStatus(pass: Pass, end: PassEnd): Promise<void> {
    if (end.type === "reconciled") await this.finishReconciled(pass, end.analysis, end.requeueMs, end.access);
    else if (end.type === "quiet") this.finishQuiet(pass);
    else await this.finishFailure(pass, end);
  }

  /** Nothing changed since a settled pass: its status stands; look again at the interval. */
  private finishQuiet(pass: Pass): void {
    this.deps.log.info({ app: pass.key, durationMs: this.deps.now() - pass.started }, "reconciled: nothing changed");
    this.reconciled(pass, "success");
    this.deps.requeue(pass.key, jitter(pass.intervalMs, this.deps.random));
  }

  private async finishReconciled(pass: Pass, analysis: Analysis, requeueMs: number, access: AppAccess): Promise<void> {
    const { app } = pass;
    const cache = access.connection.live;
    const live = (ref: ObjectRef) => cache.get(ref) ?? pass.written.get(refKey(ref));
    const revision = analysis.desired.revision.sha;
    const status = reconciledStatus(pass.status, {
      app,
      analysis,
      completedSync: pass.completedSync === true,
      ...(pass.heldBack ? { heldBack: pass.heldBack } : {}),
      healthOf: (ref) => pass.healthOf(live(ref)),
      liveOf: live,
      retryAt: retryAt(app, pass.status.operation, revision, durationOr),
      waitingFor: pass.waitingFor,
      now: this.nowIso(),
    });
    await writeStatus(this.deps, app, this.stamped(pass, status), pass.signal);
    if (status.health?.status === "Degraded" && pass.status.health?.status !== "Degraded")
      pass.events.push({
        type: "Warning",
        reason: "HealthDegraded",
        message: `health went from ${pass.status.health?.status ?? "Unknown"} to Degraded: ${status.health.message}`,
        ...(status.sync?.revision ? { revision: status.sync.revision } : {}),
      });
    await this.tell(pass);
    this.deps.log.info(
      {
        app: pass.key,
        revision: shortRevision(revision),
        outcome: "success",
        sync: status.sync?.status,
        health: status.health?.status,
        operation: status.operation?.phase,
        durationMs: this.deps.now() - pass.started,
      },
      "reconciled",
    );
    this.reconciled(pass, "success");
    // Settled (in sync, healthy, nothing running, asked or pending): the same inputs next time are a quiet pass.
    const settled =
      status.sync?.status === "Synced" &&
      status.health?.status === "Healthy" &&
      status.operation?.phase !== "Running" &&
      requeueMs === pass.intervalMs &&
      !pass.manualRequest &&
      !pass.rollback;
    // The Application as this pass left it: its resourceVersion after the status write, if there was one.
    const appVersion = app.metadata.resourceVersion ?? "";
    if (settled) this.quiet.remember(pass.key, analysis.desired.objects, appVersion, analysis.fingerprint);
    else this.quiet.forget(pass.key);
    this.deps.requeue(pass.key, requeueMs === 0 ? 0 : jitter(requeueMs, this.deps.random));
  }

  /** The cluster keeps its state, Ready (and Stalled when only a change heals it) says why; retried soon. */
  private async finishFailure(pass: Pass, f: Failure): Promise<void> {
    const built = failureStatus(pass.status, f, pass.app.metadata.generation, this.nowIso());
    await writeStatus(this.deps, pass.app, this.stamped(pass, built.status), pass.signal);
    if (built.newStall)
      pass.events.push({
        type: "Warning",
        reason: f.reason === "NotPermitted" ? "SyncDenied" : f.reason,
        message: f.message,
      });
    await this.tell(pass);
    const outcome = FAILURE_OUTCOMES[f.reason];
    this.deps.log.warn(
      {
        app: pass.key,
        ...(f.revision ? { revision: shortRevision(f.revision) } : {}),
        outcome,
        reason: f.reason,
        error: this.masked(pass, f.message),
        durationMs: this.deps.now() - pass.started,
      },
      "reconcile failed; the cluster keeps its last state",
    );
    this.reconciled(pass, outcome);
    this.deps.backOff(pass.key, pass.intervalMs);
  }

  /**
   * A reconcile that threw: Ready says why, on the status as last written (a conflict only means the
   * Application changed: nothing to say). What the pass did is still told; the queue retries with backoff.
   */
  private async finishError(pass: Pass, err: unknown): Promise<never> {
    const conflict = err instanceof ApiError && err.isConflict;
    this.reconciled(pass, conflict ? "conflict" : "error");
    if (!conflict) {
      try {
        const status = errorStatus(pass.app.status, errorMessage(err), this.nowIso());
        await writeStatus(this.deps, pass.app, this.stamped(pass, status));
      } catch (writeErr) {
        this.deps.log.warn({ app: pass.key, error: errorMessage(writeErr) }, "could not record the reconcile error");
      }
    }
    await this.tell(pass);
    throw err;
  }

  /** The Events and observer calls of what the pass did, once its status is written. */
  private async tell(pass: Pass): Promise<void> {
    for (const e of pass.events.splice(0)) {
      const message = this.masked(pass, e.message);
      await this.deps.events.record(pass.app, e.type, e.reason, message);
      this.deps.notices?.publish({
        app: pass.app,
        type: e.type,
        reason: e.reason,
        message,
        ...(e.revision ? { revision: e.revision } : {}),
        at: this.nowIso(),
      });
    }
    for (const tell of pass.recorded.splice(0)) tell(this.observer);
  }

  /** Drift seen by the comparison: a record in status and an Event each, the observer told of corrections. */
  private recordDrift(pass: Pass, analysis: Analysis): void {
    const revision = analysis.desired.revision.sha;
    const records = driftRecords({
      comparisons: analysis.comparisons,
      wasSynced: syncedBefore(pass.status),
      sameRevision: pass.status.sync?.revision === revision,
      corrected: revertsNow(pass.app) && !pass.rollback,
      policy: driftPolicyOf(pass.app),
      allowedBefore: allowedDriftBefore(pass.status),
      now: this.nowIso(),
    });
    for (const d of records) {
      if (d.corrected) pass.recorded.push((o) => o.driftCorrected({ app: appKeyOf(pass.app), resource: d.resource }));
      const decision = describeDecision(
        { action: d.action ?? "revert", ...(d.rule === undefined ? {} : { rule: d.rule }) },
        d.corrected,
      );
      pass.events.push({
        type: d.action === "allow" ? "Normal" : "Warning",
        reason: d.action === "allow" ? "DriftAllowed" : "DriftDetected",
        message: `${d.resource}: ${d.fields.join(", ")} changed by ${d.manager}; ${decision}`,
        revision,
      });
    }
    if (records.length > 0) pass.status.drift = appendDrift(pass.status.drift, records);
  }

  /** Values from Secrets (helm.valuesFrom) masked in what this pass writes, records or logs. */
  private masked<T>(pass: Pass, value: T): T {
    return maskedJson(value, this.sensitive.get(pass.key) ?? []);
  }

  /** The status a pass writes, with the replica that wrote it when there are several. */
  private stamped(pass: Pass, status: ApplicationStatus): ApplicationStatus {
    const by = this.deps.replicaOf?.(pass.key);
    return this.masked(pass, by ? { ...status, reconciledBy: by } : status);
  }

  private reconciled(pass: Pass, outcome: ReconcileOutcome): void {
    this.observer.reconciled({ app: appKeyOf(pass.app), outcome, durationMs: this.deps.now() - pass.started });
  }

  private nowIso(): string {
    return new Date(this.deps.now()).toISOString();
  }
}

function jitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 + 0.1 * random()));
}
