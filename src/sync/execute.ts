// Executing a sync plan, one step per call: apply the current step (every task, a failure does not stop the
// others), wait for its health, advance, fail (running SyncFail hooks), or complete. The operation's
// progress lives in `op`, which the caller persists after each call, so a restarted agent resumes where
// this one stopped and never runs a hook twice. Talks to the cluster only through the ports.
import {
  ANNOTATIONS,
  type ApplyAction,
  describeRef,
  errorMessage,
  type KubeObject,
  type ObjectRef,
  type OperationState,
} from "../api/index.js";
import { mapBounded, rankGroups } from "./batches.js";
import { definedKind, kindKey } from "./dependencies.js";
import type { SyncPlan, SyncStep, SyncTask } from "./plan.js";
import type { Applier, Deleter, HealthReader, LiveReader, ObjectAddress, TrackedObjects } from "./ports.js";
import { decideSyncStep, type Waiting } from "./step.js";

/** What a write did to one object (Flux's change set). */
export interface Change {
  ref: ObjectRef;
  action: ApplyAction;
  /** What the server made of a plain object's apply: the live object, as a dry run now would return it. */
  applied?: KubeObject;
  /** The object existed without bosun's tracking and this write took it over. */
  adopted?: boolean;
  /** Why the write failed (the API server's answer). */
  error?: string;
}

export interface ExecuteContext {
  plan: SyncPlan;
  /** Mutated as the operation advances; the caller persists it after every call. */
  op: OperationState;
  /** Identifies this operation on the hooks it creates. */
  operationId: string;
  /** How long a step may take to become healthy. */
  timeoutMs: number;
  now: () => number;
  applier: Applier;
  deleter: Deleter;
  reader: LiveReader;
  tracked: TrackedObjects;
  healthOf: HealthReader;
  /** Objects of one kind rank applied at a time (default 8). */
  applyConcurrency?: number;
  /** Waits between polls (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  signal: AbortSignal;
}

export type StepOutcome =
  /** A step was applied (its change set here); call again. */
  | { type: "applied"; changes: Change[] }
  /** The step became healthy and the next one is current; call again. */
  | { type: "advanced" }
  /** The step waits for health until `deadline` (ms since the epoch); call again on a watch event or then. */
  | { type: "waiting"; message: string; waitingFor: Waiting[]; deadline: number }
  | { type: "failed"; message: string; changes: Change[] }
  | { type: "succeeded" };

const DEFAULT_APPLY_CONCURRENCY = 8;
/** At most this many failures are kept in the operation's status. */
const MAX_FAILURES = 20;
const GONE_POLL_MS = 100;
const GONE_TIMEOUT_MS = 60_000;
/** How long the custom resources of a step wait for their CRD (in the same step) to be Established. */
const CRD_TIMEOUT_MS = 60_000;

function addressOf(obj: KubeObject): ObjectAddress {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? "",
  };
}

async function waitGone(ctx: ExecuteContext, task: SyncTask): Promise<void> {
  for (let waited = 0; waited < GONE_TIMEOUT_MS; waited += GONE_POLL_MS) {
    if (!(await ctx.reader.get(addressOf(task.object), ctx.signal))) return;
    await new Promise((r) => setTimeout(r, GONE_POLL_MS));
  }
  throw new Error(`${describeRef(task.ref)}: the previous hook was not deleted within ${GONE_TIMEOUT_MS / 1000}s`);
}

/** Applies one task; a hook is made once per operation (deleted first when BeforeHookCreation says so). */
async function applyTask(ctx: ExecuteContext, task: SyncTask): Promise<Change> {
  // The cache holds every object bosun tracks: one the apply finds existing without being in it was untracked.
  const tracked = ctx.tracked.get(task.ref);
  if (!task.hook) {
    const result = await ctx.applier.apply(task.object, { force: true, signal: ctx.signal });
    const unchanged = tracked?.metadata.resourceVersion === result.object.metadata.resourceVersion;
    const action: ApplyAction = result.created ? "created" : unchanged ? "unchanged" : "configured";
    return {
      ref: task.ref,
      action,
      applied: result.object,
      ...(!tracked && !result.created ? { adopted: true } : {}),
    };
  }
  const live = tracked ?? (await ctx.reader.get(addressOf(task.object), ctx.signal));
  if (live?.metadata.annotations?.[ANNOTATIONS.hookOperation] === ctx.operationId)
    return { ref: task.ref, action: "unchanged" }; // created before a restart
  if (live && task.hook.deletePolicies.includes("BeforeHookCreation")) {
    await ctx.deleter.delete(addressOf(task.object), { propagationPolicy: "Foreground", signal: ctx.signal });
    await waitGone(ctx, task);
  }
  const object: KubeObject = {
    ...task.object,
    metadata: {
      ...task.object.metadata,
      annotations: { ...task.object.metadata.annotations, [ANNOTATIONS.hookOperation]: ctx.operationId },
    },
  };
  const result = await ctx.applier.apply(object, { force: true, signal: ctx.signal });
  return {
    ref: task.ref,
    action: result.created ? "created" : "configured",
    ...(live && !tracked ? { adopted: true } : {}),
  };
}

async function applyOrReport(ctx: ExecuteContext, task: SyncTask): Promise<Change> {
  try {
    return await applyTask(ctx, task);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { ref: task.ref, action: "skipped", error: errorMessage(err) };
  }
}

/**
 * Every task of a step, as Argo CD applies a wave: one failure does not stop the others. Kinds go in
 * order (Namespaces and CRDs before what needs them); the objects of one kind rank go `concurrency` at a
 * time. The change set keeps the tasks' order.
 */
async function applyStep(ctx: ExecuteContext, step: SyncStep): Promise<Change[]> {
  const changes: Change[] = [];
  const limit = Math.max(1, ctx.applyConcurrency ?? DEFAULT_APPLY_CONCURRENCY);
  const crds = new Map<string, SyncTask>();
  for (const t of step.tasks) {
    const defined = definedKind(t.object);
    if (defined) crds.set(defined, t);
  }
  for (const group of rankGroups(step.tasks, (t) => t.object)) {
    const ready = await crdsEstablished(ctx, group, crds);
    changes.push(
      ...(await mapBounded(group, limit, (t) => {
        const notReady = ready.get(kindKey(t.object));
        return notReady
          ? Promise.resolve({ ref: t.ref, action: "skipped" as const, error: `${describeRef(t.ref)}: ${notReady}` })
          : applyOrReport(ctx, t);
      })),
    );
  }
  return changes;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const isEstablished = (crd: KubeObject | undefined) =>
  (crd?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some(
    (c) => c.type === "Established" && c.status === "True",
  ) ?? false;

/**
 * Waits until the CRDs of this step that define a kind of `group` are Established, so their custom resources
 * can be applied. Returns, per kind whose CRD never became Established in time, why its resources are skipped.
 */
async function crdsEstablished(
  ctx: ExecuteContext,
  group: readonly SyncTask[],
  crds: ReadonlyMap<string, SyncTask>,
): Promise<Map<string, string>> {
  const notReady = new Map<string, string>();
  const needed = new Map<string, SyncTask>();
  for (const t of group) {
    const crd = crds.get(kindKey(t.object));
    if (crd && crd !== t) needed.set(kindKey(t.object), crd);
  }
  for (const [kind, crd] of needed) {
    let wait = 100;
    const deadline = ctx.now() + CRD_TIMEOUT_MS;
    while (!isEstablished(await ctx.reader.get(addressOf(crd.object), ctx.signal))) {
      if (ctx.now() > deadline) {
        notReady.set(
          kind,
          `its CustomResourceDefinition ${crd.ref.name} was not Established within ${CRD_TIMEOUT_MS / 1000}s`,
        );
        break;
      }
      await (ctx.sleep ?? defaultSleep)(wait);
      wait = Math.min(wait * 2, 1000);
    }
  }
  return notReady;
}

async function deleteHooks(ctx: ExecuteContext, tasks: readonly SyncTask[], policy: "HookSucceeded" | "HookFailed") {
  for (const task of tasks)
    if (task.hook?.deletePolicies.includes(policy))
      await ctx.deleter.delete(addressOf(task.object), { propagationPolicy: "Background", signal: ctx.signal });
}

function failureMessage(failed: readonly Change[]): string {
  const first = failed.slice(0, 3).map((f) => f.error ?? "");
  return failed.length > 3 ? `${first.join("; ")}; and ${failed.length - 3} more` : first.join("; ");
}

/** Ends the operation as Failed: SyncFail hooks run, the step's HookFailed hooks go, the failures are kept. */
async function fail(
  ctx: ExecuteContext,
  why: string,
  step: SyncStep | undefined,
  changes: Change[] = [],
): Promise<StepOutcome> {
  const hookErrors: string[] = [];
  for (const task of ctx.plan.onFail) {
    try {
      changes.push(await applyTask(ctx, task));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      hookErrors.push(errorMessage(err));
    }
  }
  if (step) await deleteHooks(ctx, step.tasks, "HookFailed").catch(() => undefined);
  const full = hookErrors.length > 0 ? `${why}; SyncFail hooks: ${hookErrors.join("; ")}` : why;
  Object.assign(ctx.op, { phase: "Failed", message: full, finishedAt: new Date(ctx.now()).toISOString() });
  const failed = changes.filter((c) => c.error !== undefined);
  if (failed.length > 0)
    ctx.op.failures = failed
      .slice(0, MAX_FAILURES)
      .map((f) => ({ resource: describeRef(f.ref), message: f.error ?? "" }));
  return { type: "failed", message: full, changes };
}

/**
 * Advances the operation by one decision of `decideSyncStep` and says what happened. The caller persists
 * `ctx.op` after it and calls again at once after "applied" or "advanced".
 */
export async function executeStep(ctx: ExecuteContext): Promise<StepOutcome> {
  const { op } = ctx;
  const decision = decideSyncStep({
    plan: ctx.plan,
    progress: {
      step: op.step,
      applied: op.stepApplied,
      appliedAt: op.stepAppliedAt ? Date.parse(op.stepAppliedAt) : undefined,
    },
    healthOf: (task) => ctx.healthOf(task.ref),
    now: ctx.now(),
    timeoutMs: ctx.timeoutMs,
  });
  switch (decision.type) {
    case "apply": {
      Object.assign(op, {
        syncPhase: decision.step.phase,
        wave: decision.step.wave,
        message: `applying ${decision.step.phase} wave ${decision.step.wave}`,
      });
      const changes = await applyStep(ctx, decision.step);
      const failed = changes.filter((c) => c.error !== undefined);
      if (failed.length > 0) return await fail(ctx, failureMessage(failed), decision.step, changes);
      Object.assign(op, { stepApplied: true, stepAppliedAt: new Date(ctx.now()).toISOString() });
      return { type: "applied", changes };
    }
    case "wait": {
      op.message = decision.message;
      const appliedAt = op.stepAppliedAt ? Date.parse(op.stepAppliedAt) : ctx.now();
      return {
        type: "waiting",
        message: decision.message,
        waitingFor: decision.waitingFor,
        deadline: appliedAt + ctx.timeoutMs,
      };
    }
    case "advance":
      await deleteHooks(ctx, decision.step.tasks, "HookSucceeded");
      Object.assign(op, { step: op.step + 1, stepApplied: false, stepAppliedAt: undefined });
      return { type: "advanced" };
    case "fail":
      return await fail(ctx, decision.message, decision.step);
    case "complete":
      return { type: "succeeded" };
  }
}
