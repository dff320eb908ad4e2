import { ANNOTATIONS, describeRef, type KubeObject, type ObjectRef, type OperationState } from "../api/index.js";
import { addressOf, type KubeClient, type WatchCache } from "../cluster/index.js";
import { healthOrMissing } from "../health/index.js";
import { decideSyncStep, type SyncPlan, type SyncStep, type SyncTask } from "../sync/index.js";

export interface OperationContext {
  client: KubeClient;
  cache: WatchCache;
  plan: SyncPlan;
  /** Mutated as the operation advances; persisted through `persist` at every step boundary. */
  op: OperationState;
  /** Identifies this operation on the hooks it creates. */
  operationId: string;
  timeoutMs: number;
  now: () => number;
  /** Saves op in Application.status.operation, so a restarted agent resumes where this one stopped. */
  persist: (op: OperationState) => Promise<void>;
  /** Hears of an object that existed without bosun's tracking and that this sync wrote (took over). */
  adopted?: (ref: ObjectRef) => void;
  signal: AbortSignal;
}

/** One object a step could not write, and the API server's answer. */
interface TaskFailure {
  ref: ObjectRef;
  message: string;
}

/** At most this many failures are kept in the operation's status. */
const MAX_FAILURES = 20;

export type OperationOutcome =
  | { type: "waiting"; message: string }
  | { type: "succeeded" }
  | { type: "failed"; message: string };

async function applyTask(ctx: OperationContext, task: SyncTask): Promise<void> {
  const { client, cache } = ctx;
  // The cache holds every object bosun tracks: one missing from it that the apply finds existing was untracked.
  const tracked = cache.get(task.ref);
  if (!task.hook) {
    const result = await client.apply(task.object, { force: true, signal: ctx.signal });
    if (!tracked && !result.created) ctx.adopted?.(task.ref);
    return;
  }
  const live = tracked ?? (await client.get(addressOf(task.object), ctx.signal));
  if (live?.metadata.annotations?.[ANNOTATIONS.hookOperation] === ctx.operationId) return; // created before a restart
  if (live && !tracked) ctx.adopted?.(task.ref);
  if (live && task.hook.deletePolicies.includes("BeforeHookCreation")) {
    await client.delete(addressOf(task.object), { propagationPolicy: "Foreground", signal: ctx.signal });
    await waitGone(ctx, task);
  }
  const object: KubeObject = {
    ...task.object,
    metadata: {
      ...task.object.metadata,
      annotations: { ...task.object.metadata.annotations, [ANNOTATIONS.hookOperation]: ctx.operationId },
    },
  };
  await client.apply(object, { force: true, signal: ctx.signal });
}

async function waitGone(ctx: OperationContext, task: SyncTask): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (!(await ctx.client.get(addressOf(task.object), ctx.signal))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${describeRef(task.ref)}: the previous hook was not deleted within 60s`);
}

async function deleteHooks(
  ctx: OperationContext,
  tasks: readonly SyncTask[],
  policy: "HookSucceeded" | "HookFailed",
): Promise<void> {
  for (const task of tasks) {
    if (task.hook?.deletePolicies.includes(policy)) {
      await ctx.client.delete(addressOf(task.object), { propagationPolicy: "Background", signal: ctx.signal });
    }
  }
}

/** Applies every task of a step (in order), as Argo CD applies a wave: one failure does not stop the others. */
async function applyStep(ctx: OperationContext, step: SyncStep): Promise<TaskFailure[]> {
  const failures: TaskFailure[] = [];
  for (const task of step.tasks) {
    try {
      await applyTask(ctx, task);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      failures.push({ ref: task.ref, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return failures;
}

function failureMessage(failures: readonly TaskFailure[]): string {
  const first = failures.slice(0, 3).map((f) => f.message);
  return failures.length > 3 ? `${first.join("; ")}; and ${failures.length - 3} more` : first.join("; ");
}

async function fail(
  ctx: OperationContext,
  message: string,
  step?: SyncStep,
  failures: readonly TaskFailure[] = [],
): Promise<OperationOutcome> {
  const hookErrors: string[] = [];
  for (const task of ctx.plan.onFail) {
    try {
      await applyTask(ctx, task);
    } catch (err) {
      hookErrors.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (step) await deleteHooks(ctx, step.tasks, "HookFailed").catch(() => undefined);
  const full = hookErrors.length > 0 ? `${message}; SyncFail hooks: ${hookErrors.join("; ")}` : message;
  Object.assign(ctx.op, { phase: "Failed", message: full, finishedAt: new Date(ctx.now()).toISOString() });
  if (failures.length > 0)
    ctx.op.failures = failures
      .slice(0, MAX_FAILURES)
      .map((f) => ({ resource: describeRef(f.ref), message: f.message }));
  await ctx.persist(ctx.op);
  return { type: "failed", message: full };
}

/**
 * Advances a sync operation as far as it can go without waiting: applies a step, checks its health,
 * moves on, and stops when a step must be waited for (the caller comes back on a watch event or a timer),
 * when the sync failed, or when every step is done (the caller then prunes and records the result).
 */
export async function advanceOperation(ctx: OperationContext): Promise<OperationOutcome> {
  const { op } = ctx;
  for (;;) {
    const decision = decideSyncStep({
      plan: ctx.plan,
      progress: {
        step: op.step,
        applied: op.stepApplied,
        appliedAt: op.stepAppliedAt ? Date.parse(op.stepAppliedAt) : undefined,
      },
      healthOf: (task) => healthOrMissing(ctx.cache.get(task.ref)),
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
        const failures = await applyStep(ctx, decision.step);
        if (failures.length > 0) return await fail(ctx, failureMessage(failures), decision.step, failures);
        Object.assign(op, { stepApplied: true, stepAppliedAt: new Date(ctx.now()).toISOString() });
        await ctx.persist(op);
        continue;
      }
      case "wait":
        if (op.message !== decision.message) {
          op.message = decision.message;
          await ctx.persist(op);
        }
        return { type: "waiting", message: decision.message };
      case "advance":
        await deleteHooks(ctx, decision.step.tasks, "HookSucceeded");
        Object.assign(op, { step: op.step + 1, stepApplied: false, stepAppliedAt: undefined });
        await ctx.persist(op);
        continue;
      case "fail":
        return await fail(ctx, decision.message, decision.step);
      case "complete":
        return { type: "succeeded" };
    }
  }
}
