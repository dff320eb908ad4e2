// Executing a sync plan, one step per call: apply the current step (every task, a failure does not stop the
// others), wait for its health, advance, fail (running SyncFail hooks), or complete. The operation's
// progress lives in `op`, which the caller persists after each call, so a restarted agent resumes where
// this one stopped and never runs a hook twice. Talks to the cluster only through the ports.
import { createHash } from "node:crypto";
import {
  ANNOTATIONS,
  type ApplyAction,
  describeRef,
  errorMessage,
  type Health,
  type KubeObject,
  LABELS,
  type ObjectRef,
  type OperationState,
} from "../api/index.js";
import { addressOf } from "../cluster/index.js";
import { maskSecretValues } from "../diff/index.js";
import { mapBounded, rankGroups } from "./batches.js";
import type { SyncPlan, SyncStep, SyncTask } from "./plan.js";
import type { Applier, Deleter, HealthReader, KindReader, Lister, LiveReader, TrackedObjects } from "./ports.js";
import { keepIgnoredFields } from "./respect-ignore.js";
import { decideSyncStep, type Waiting } from "./step.js";
import { writeObject } from "./write.js";

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
  /** Identifies the Application on the hooks it creates from generateName (its uid). */
  application: string;
  /** How long a step may take to become healthy. */
  timeoutMs: number;
  /** Objects will be pruned once the sync succeeded: the last step is waited on too (see decideSyncStep). */
  pruneAfter?: boolean;
  now: () => number;
  applier: Applier;
  deleter: Deleter;
  reader: LiveReader;
  lister: Lister;
  kinds: KindReader;
  tracked: TrackedObjects;
  healthOf: HealthReader;
  /** Whether the comparison found the object in sync (ApplyOutOfSyncOnly=true skips those); none: apply all. */
  inSync?: (ref: ObjectRef) => boolean;
  /** Objects of one kind rank applied at a time (default 8). */
  applyConcurrency?: number;
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
const POLL_MS = 100;
const GONE_TIMEOUT_MS = 60_000;
/** How long a custom resource waits for the CRD of this sync that defines its kind to be served. */
const CRD_TIMEOUT_MS = 60_000;

async function waitGone(ctx: ExecuteContext, task: SyncTask): Promise<void> {
  for (let waited = 0; waited < GONE_TIMEOUT_MS; waited += POLL_MS) {
    if (!(await ctx.reader.get(addressOf(task.object), ctx.signal))) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${describeRef(task.ref)}: the previous hook was not deleted within ${GONE_TIMEOUT_MS / 1000}s`);
}

/** A custom resource whose CRD is in this sync waits until the server serves its kind (the CRD is Established). */
async function waitForKind(ctx: ExecuteContext, task: SyncTask): Promise<void> {
  if (!task.definedBy) return;
  const { apiVersion, kind } = task.object;
  for (let waited = 0; !(await ctx.kinds.serves(apiVersion, kind, ctx.signal)); waited += POLL_MS) {
    if (waited >= CRD_TIMEOUT_MS)
      throw new Error(
        `${describeRef(task.ref)}: its CustomResourceDefinition ${task.definedBy} was not served within ${CRD_TIMEOUT_MS / 1000}s`,
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Writes the task's object as its sync options say (RespectIgnoreDifferences keeps ignored fields as they are live). */
async function write(ctx: ExecuteContext, task: SyncTask, object: KubeObject, live: KubeObject | undefined) {
  await waitForKind(ctx, task);
  const kept =
    task.options.respectIgnoreDifferences && live
      ? keepIgnoredFields(object, live, ctx.plan.ignoreDifferences)
      : object;
  return await writeObject(ctx, { object: kept, options: task.options, signal: ctx.signal });
}

const labelHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 20);

/** The name a task's object has in the cluster: a hook named by the server has one once created (undefined before). */
function liveName(ctx: ExecuteContext, task: SyncTask): string | undefined {
  const generated = task.hook?.generated;
  return generated ? ctx.op.hooks?.[generated.id] : task.ref.name;
}

const NOT_CREATED: Health = { status: "Missing", message: "not created yet" };

/**
 * A hook with only metadata.generateName: created (never applied) with the hook's id and this operation in its
 * labels, and found again by them, so a resumed operation never creates it twice. BeforeHookCreation deletes
 * the ones earlier operations made.
 */
async function createGeneratedHook(ctx: ExecuteContext, task: SyncTask, id: string): Promise<Change> {
  const known = ctx.op.hooks?.[id];
  if (known) return { ref: { ...task.ref, name: known }, action: "unchanged" };
  const labels = {
    [LABELS.hookId]: labelHash(`${ctx.application}|${id}`),
    [LABELS.hookOperation]: labelHash(ctx.operationId),
  };
  const { apiVersion, kind, metadata } = task.object;
  const { items } = await ctx.lister.list(apiVersion, kind, {
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    labelSelector: `${LABELS.hookId}=${labels[LABELS.hookId]}`,
    signal: ctx.signal,
  });
  const remember = (name: string) => {
    ctx.op.hooks = { ...ctx.op.hooks, [id]: name };
    return { ...task.ref, name };
  };
  const mine = items.find((o) => o.metadata.labels?.[LABELS.hookOperation] === labels[LABELS.hookOperation]);
  if (mine?.metadata.name) return { ref: remember(mine.metadata.name), action: "unchanged" }; // created before a restart
  if (task.hook?.deletePolicies.includes("BeforeHookCreation"))
    for (const old of items)
      await ctx.deleter.delete(addressOf(old), { propagationPolicy: "Background", signal: ctx.signal });
  await waitForKind(ctx, task);
  const object: KubeObject = {
    ...task.object,
    metadata: {
      ...metadata,
      labels: { ...metadata.labels, ...labels },
      annotations: { ...metadata.annotations, [ANNOTATIONS.hookOperation]: ctx.operationId },
    },
  };
  const created = await ctx.applier.create(object, {
    fieldValidation: task.options.validate ? "Strict" : "Ignore",
    signal: ctx.signal,
  });
  return { ref: remember(created.object.metadata.name ?? ""), action: "created" };
}

/** Applies one task; a hook is made once per operation (deleted first when BeforeHookCreation says so). */
async function applyTask(ctx: ExecuteContext, task: SyncTask): Promise<Change> {
  // The cache holds every object bosun tracks: one the apply finds existing without being in it was untracked.
  const tracked = ctx.tracked.get(task.ref);
  if (!task.hook) {
    if (tracked && task.options.applyOutOfSyncOnly && ctx.inSync?.(task.ref))
      return { ref: task.ref, action: "unchanged" };
    const result = await write(ctx, task, task.object, tracked);
    const unchanged = tracked?.metadata.resourceVersion === result.object.metadata.resourceVersion;
    const action: ApplyAction = result.created ? "created" : unchanged ? "unchanged" : "configured";
    return {
      ref: task.ref,
      action,
      applied: result.object,
      ...(!tracked && !result.created ? { adopted: true } : {}),
    };
  }
  if (task.hook.generated) return await createGeneratedHook(ctx, task, task.hook.generated.id);
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
  const result = await write(ctx, task, object, undefined);
  return {
    ref: task.ref,
    action: result.created ? "created" : "configured",
    ...(live && !tracked ? { adopted: true } : {}),
  };
}

/**
 * Before the first write of a sync: objects whose kind the server does not serve, that no CRD of this
 * sync defines and that do not say SkipDryRunOnMissingResource=true. Argo CD's dry run of the whole sync
 * fails on them before anything is applied; so does bosun.
 */
async function unservedKinds(ctx: ExecuteContext): Promise<string[]> {
  const served = new Map<string, Promise<boolean>>();
  const problems: string[] = [];
  for (const task of ctx.plan.steps.flatMap((s) => s.tasks)) {
    if (task.definedBy || task.options.skipDryRunOnMissingResource) continue;
    const { apiVersion, kind } = task.object;
    const key = `${apiVersion}|${kind}`;
    if (!served.has(key)) served.set(key, ctx.kinds.serves(apiVersion, kind, ctx.signal));
    if (!(await served.get(key)))
      problems.push(
        `${describeRef(task.ref)}: the cluster does not serve kind ${kind} of ${apiVersion} and no CustomResourceDefinition of this Application defines it (SkipDryRunOnMissingResource=true lets the sync go on and apply it in its wave)`,
      );
  }
  return problems;
}

/** The first few of many messages, and how many more there are. */
function firstOf(messages: readonly string[], shown = 3): string {
  const more = messages.length - shown;
  return more > 0 ? `${messages.slice(0, shown).join("; ")}; and ${more} more` : messages.join("; ");
}

async function applyOrReport(ctx: ExecuteContext, task: SyncTask): Promise<Change> {
  try {
    return await applyTask(ctx, task);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { ref: task.ref, action: "skipped", error: maskSecretValues(errorMessage(err), task.object) };
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
  for (const group of rankGroups(step.tasks, (t) => t.object))
    changes.push(...(await mapBounded(group, limit, (t) => applyOrReport(ctx, t))));
  return changes;
}

async function deleteHooks(ctx: ExecuteContext, tasks: readonly SyncTask[], policy: "HookSucceeded" | "HookFailed") {
  for (const task of tasks) {
    const name = task.hook?.deletePolicies.includes(policy) ? liveName(ctx, task) : undefined;
    if (name)
      await ctx.deleter.delete(
        { ...addressOf(task.object), name },
        { propagationPolicy: "Background", signal: ctx.signal },
      );
  }
}

function failureMessage(failed: readonly Change[]): string {
  return firstOf(failed.map((f) => f.error ?? ""));
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
      hookErrors.push(maskSecretValues(errorMessage(err), task.object));
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
    healthOf: (task) => {
      const name = liveName(ctx, task);
      return name === undefined ? NOT_CREATED : ctx.healthOf({ ...task.ref, name });
    },
    now: ctx.now(),
    timeoutMs: ctx.timeoutMs,
    pruneAfter: ctx.pruneAfter ?? false,
  });
  switch (decision.type) {
    case "apply": {
      if (op.step === 0) {
        const unserved = await unservedKinds(ctx);
        if (unserved.length > 0) return await fail(ctx, `nothing applied: ${firstOf(unserved)}`, undefined);
      }
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
      op.healthGateFailed = true;
      return await fail(ctx, decision.message, decision.step);
    case "complete":
      return { type: "succeeded" };
  }
}
