// Observe and compare: the desired state from the source, its plan, the checks before any write, and
// each desired object against its live one. Nothing here writes to the cluster except dry runs.

import {
  ANNOTATIONS,
  type Application,
  type ApplicationStatus,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  parseInventoryId,
  refOf,
} from "../api/index.js";
import type { WatchCache } from "../cluster/index.js";
import { mapBounded, planSync, type SyncPlan, type SyncTask } from "../sync/index.js";
import { renderCapabilities } from "./clusters.js";
import { type CompareCache, compareResource, type ResourceComparison } from "./compare.js";
import { type DesiredState, DesiredStateError, loadDesiredState, type RenderMemo } from "./desired-state.js";
import { DELETION_MANAGER, type DriftPolicy, decideDrift, driftPolicyOf } from "./drift-policy.js";
import { denialSummary, deniedObjects } from "./object-checks.js";
import { type Analysis, type Failure, failure, isFailure, type Pass, type Quiet, type ReconcilerDeps } from "./pass.js";
import type { AppAccess } from "./project-access.js";
import { syncedBefore } from "./status.js";
import { windowStatus, windowVerdict } from "./window-gate.js";

/** Dry runs of one Application's objects made at a time. */
const COMPARE_CONCURRENCY = 8;

/**
 * When each Application wants its repository fetched: when its interval passed, its spec changed, or
 * someone asked (a webhook, `bosun app sync`: then the fetch must be newer than the request). What it answers is a time: a fetch of the same repository
 * by any Application since then is fresh enough, so Applications sharing a repository fetch it once per
 * interval between them.
 */
export class FetchSchedule {
  private readonly last = new Map<string, number>();
  private readonly forced = new Map<string, number>();

  /** Since when a fetch is fresh enough for this pass; undefined when this pass need not fetch. */
  freshSince(pass: Pass): number | undefined {
    const forced = this.forced.get(pass.key);
    if (forced !== undefined) return forced;
    if (pass.manualRequest) return pass.started;
    // A new or changed Application takes the repository as fetched within its interval, as a poll would: a
    // thousand new Applications on one repository then make one fetch, not a thousand.
    const last = this.last.get(pass.key);
    const changed = pass.app.metadata.generation !== pass.status.observedGeneration;
    if (changed || last === undefined || pass.started - last >= pass.intervalMs) return pass.started - pass.intervalMs;
    return undefined;
  }

  fetched(key: string, at: number): void {
    this.last.set(key, at);
    this.forced.delete(key);
  }

  /** The next pass of key fetches unless the repository was fetched after `at`. */
  force(key: string, at: number): void {
    this.forced.set(key, at);
  }

  forget(key: string): void {
    this.last.delete(key);
    this.forced.delete(key);
  }
}

/**
 * What each settled Application's last full pass saw: the same desired objects (the very same, from the
 * render memo) and the same fingerprint again mean nothing can have changed, so the pass compares, writes
 * and tells nothing. The idle cost of a thousand Applications is then their fetch schedule and this check.
 */
export class QuietPasses {
  readonly #seen = new Map<string, { objects: readonly KubeObject[]; app: string; fingerprint: string }>();

  /** `app`: the Application's resourceVersion (after the pass's own status write, when remembered). */
  matches(key: string, objects: readonly KubeObject[], app: string, fingerprint: string): boolean {
    const seen = this.#seen.get(key);
    return seen !== undefined && seen.objects === objects && seen.app === app && seen.fingerprint === fingerprint;
  }

  remember(key: string, objects: readonly KubeObject[], app: string, fingerprint: string): void {
    this.#seen.set(key, { objects, app, fingerprint });
  }

  forget(key: string): void {
    this.#seen.delete(key);
  }
}

/**
 * Everything a pass's result depends on besides the desired objects and the Application itself (its
 * resourceVersion, compared apart): its project, the source's state, and the resourceVersion of every live
 * object it deploys or deployed (health and drift come from those objects alone).
 */
function fingerprintOf(
  pass: Pass,
  access: AppAccess,
  desired: DesiredState,
  liveOf: (ref: ObjectRef) => KubeObject | undefined,
): string {
  const refs = [
    ...desired.objects.map(refOf),
    ...(pass.status.inventory ?? []).map(parseInventoryId).filter((r): r is ObjectRef => r !== undefined),
  ];
  return JSON.stringify([
    // A window opening or closing is a change: the pass after it must not be quiet.
    pass.syncWindow?.automated,
    pass.syncWindow?.manual,
    access.policy.project.metadata.resourceVersion,
    access.connection.server,
    desired.revision.sha,
    desired.revision.fetchError?.message,
    refs.map((r) => liveOf(r)?.metadata.resourceVersion ?? ""),
  ]);
}

export interface AnalyseContext {
  deps: ReconcilerDeps;
  /** Values from Secrets to mask, per Application, as soon as its desired state reads them. */
  sensitive: Map<string, readonly string[]>;
  compareCache: CompareCache;
  fetches: FetchSchedule;
  renders: RenderMemo;
  quiet: QuietPasses;
}

/** Resolve, check out and render; fetch from the remote only when the schedule says so. */
async function observe(ctx: AnalyseContext, pass: Pass, access: AppAccess): Promise<DesiredState | Failure> {
  const { app, status } = pass;
  const freshSince = ctx.fetches.freshSince(pass);
  const refresh = freshSince !== undefined;
  const running = status.operation?.phase === "Running" ? status.operation : undefined;
  const revisionOverride =
    running?.revision ??
    pass.rollback?.revision ??
    (pass.manualRequest ? app.metadata.annotations?.[ANNOTATIONS.syncRevision] : undefined);
  try {
    const desired = await loadDesiredState({ ...ctx.deps.desired, ...renderCapabilities(access.connection) }, app, {
      refresh,
      ...(freshSince !== undefined ? { freshSince } : {}),
      revisionOverride,
      memo: ctx.renders,
      onSensitive: (values) => ctx.sensitive.set(pass.key, values),
      signal: pass.signal,
    });
    if (refresh) ctx.fetches.fetched(pass.key, pass.started);
    return desired;
  } catch (err) {
    if (pass.signal.aborted) throw err;
    if (!(err instanceof DesiredStateError)) return failure("SourceFailed", err);
    return failure(err.stage === "render" ? "RenderFailed" : "SourceFailed", err, err.revision);
  }
}

/**
 * Desired state, plan, the project's checks, and the comparison; a Failure when the source or render failed,
 * a manifest is unreadable, or an object is not permitted.
 */
export async function analyse(ctx: AnalyseContext, pass: Pass, access: AppAccess): Promise<Analysis | Failure | Quiet> {
  const desired = await observe(ctx, pass, access);
  if (isFailure(desired)) return desired;
  const live = access.connection.live;
  const liveOf = (ref: ObjectRef) => live.get(ref);
  pass.syncWindow = windowVerdict(access, pass.app, new Date(ctx.deps.now()));
  const windowNow = windowStatus(pass.syncWindow, pass.status.syncWindow?.refusedRequest);
  if (windowNow) pass.status.syncWindow = windowNow;
  else delete pass.status.syncWindow;
  const fingerprint = fingerprintOf(pass, access, desired, liveOf);
  const asked = pass.manualRequest || pass.rollback !== undefined;
  const appVersion = pass.app.metadata.resourceVersion ?? "";
  if (!asked && ctx.quiet.matches(pass.key, desired.objects, appVersion, fingerprint)) return { type: "quiet" };
  const analysis = await compareDesired({
    desired,
    app: pass.app,
    inventory: pass.status.inventory ?? [],
    access,
    liveOf,
    prepare: (plan) =>
      watchKinds(live, [...plan.steps.flatMap((step) => step.tasks), ...plan.onFail], pass.status, pass.signal),
    compareCache: ctx.compareCache,
    wasSynced: syncedBefore(pass.status),
    signal: pass.signal,
  });
  if (isFailure(analysis)) return analysis;
  delete pass.status.denied;
  return { ...analysis, fingerprint };
}

export interface CompareInput {
  desired: DesiredState;
  app: Application;
  /** What the Application applied before (status.inventory): what is live of it and not desired is extraneous. */
  inventory: readonly string[];
  access: AppAccess;
  /** The live object bosun tracks for ref (untracked objects are not this Application's: undefined). */
  liveOf: (ref: ObjectRef) => KubeObject | undefined;
  /** Runs once the plan is known, before anything is read through liveOf (the agent starts watches here). */
  prepare?: (plan: SyncPlan) => Promise<void>;
  compareCache: CompareCache;
  /** The objects Synced at the last reconcile: one of them Missing now was deleted behind Git's back. */
  wasSynced?: ReadonlySet<string>;
  signal: AbortSignal;
}

/**
 * The comparison of desired with live, shared by the agent and `bosun app diff`: plan, the project's checks,
 * a server-side dry run of each desired object against its live one, and the extraneous objects.
 */
export async function compareDesired(input: CompareInput): Promise<Omit<Analysis, "fingerprint"> | Failure> {
  const { desired, app, access, liveOf } = input;
  const revision = desired.revision.sha;
  let plan: SyncPlan;
  try {
    plan = planSync(desired.objects, app.spec);
  } catch (err) {
    return failure("InvalidManifests", err, revision);
  }
  await input.prepare?.(plan);
  const denials = deniedObjects({ policy: access.policy, cluster: access.cluster, app: app.metadata, plan, liveOf });
  if (denials.length > 0) return failure("NotPermitted", new Error(denialSummary(denials)), revision, denials);
  const driftPolicy = driftPolicyOf(app);
  const compared = await mapBounded(plan.resources, COMPARE_CONCURRENCY, (task) =>
    compareResource({
      client: access.client,
      task,
      live: liveOf(task.ref),
      ignoreDifferences: app.spec.ignoreDifferences ?? [],
      driftPolicy,
      cache: input.compareCache,
      signal: input.signal,
    }),
  );
  const comparisons = compared.map((c) => withAction(c, driftPolicy, input.wasSynced));
  const managedIds = plan.resources.map((t) => inventoryId(t.ref));
  const desiredIds = new Set(managedIds);
  const extraneous = input.inventory
    .filter((id) => !desiredIds.has(id))
    .map(parseInventoryId)
    .filter((ref): ref is ObjectRef => ref !== undefined && liveOf(ref) !== undefined);
  const fetchError = desired.revision.fetchError;
  return {
    desired,
    plan,
    comparisons,
    extraneous,
    managedIds,
    emptyRender: plan.resources.length === 0 && !app.spec.syncPolicy?.automated?.allowEmpty,
    sourceWarning: fetchError
      ? `the repository could not be fetched; using the last fetched state: ${fetchError.message}`
      : undefined,
  };
}

/**
 * Every comparison that is not Synced says what to do when Git did not move. A Missing object that was
 * Synced was deleted behind Git's back: a rule without jsonPointers decides (manager `unknown`); any other
 * difference without a decision (a new object, a refused dry run) takes the fallback.
 */
function withAction(c: ResourceComparison, policy: DriftPolicy, wasSynced?: ReadonlySet<string>): ResourceComparison {
  if (c.status === "Synced" || c.action) return c;
  if (c.status === "Missing" && wasSynced?.has(inventoryId(c.task.ref)))
    return { ...c, action: decideDrift(policy, { ref: c.task.ref, manager: DELETION_MANAGER }).action };
  return { ...c, action: policy.fallback };
}

/** Watches every kind the tasks and the last status name, so their live objects are in the cache. */
export async function watchKinds(
  live: WatchCache,
  tasks: readonly SyncTask[],
  status: ApplicationStatus,
  signal: AbortSignal,
): Promise<void> {
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const t of tasks)
    kinds.set(`${t.object.apiVersion}|${t.object.kind}`, { apiVersion: t.object.apiVersion, kind: t.object.kind });
  for (const r of status.resources ?? []) {
    if (!r.version) continue;
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    kinds.set(`${apiVersion}|${r.kind}`, { apiVersion, kind: r.kind });
  }
  for (const { apiVersion, kind } of kinds.values()) {
    try {
      await live.watchKind(apiVersion, kind, signal);
    } catch {
      // A kind the server does not serve yet (its CRD is in this sync): the apply step reports it.
    }
  }
}
