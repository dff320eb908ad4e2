import type { Health, KubeObject, ObjectRef, OperationState } from "../api/index.js";
import { type KubeClient, refKey, type WatchCache } from "../cluster/index.js";
import { healthOrMissing } from "../health/index.js";
import { type Change, executeStep, type SyncPlan } from "../sync/index.js";

export interface OperationContext {
  /** Dry runs, applies, gets and deletes go through it (the project's identity). */
  client: KubeClient;
  cache: WatchCache;
  plan: SyncPlan;
  /** Mutated as the operation advances; persisted through `persist` at every step boundary. */
  op: OperationState;
  /** Identifies this operation on the hooks it creates. */
  operationId: string;
  /** Identifies the Application on the hooks it creates from generateName. */
  application: string;
  timeoutMs: number;
  /** Objects will be pruned once the sync succeeded: the last wave is waited on before the prune. */
  pruneAfter: boolean;
  now: () => number;
  /** Saves op in Application.status.operation, so a restarted agent resumes where this one stopped. */
  persist: (op: OperationState) => Promise<void>;
  /** Whether this reconcile's comparison found the object in sync (what ApplyOutOfSyncOnly=true skips). */
  inSync?: (ref: ObjectRef) => boolean;
  /** The health of a live object (undefined: not in the cluster); the health module's rules by default. */
  health?: (live: KubeObject | undefined) => Health;
  /** Hears of an object that existed without bosun's tracking and that this sync wrote (took over). */
  adopted?: (ref: ObjectRef) => void;
  /** Hears of each plain object applied, with what the server returned. */
  applied?: (ref: ObjectRef, live: KubeObject) => void;
  signal: AbortSignal;
}

export type OperationOutcome =
  /** Waiting for health until `deadline` (ms since the epoch). */
  { type: "waiting"; message: string; deadline: number } | { type: "succeeded" } | { type: "failed"; message: string };

/**
 * Advances a sync operation as far as it can go without waiting, one step of sync/execute at a time: stops
 * when a step must be waited for (the caller comes back on a watch event or a timer), when the sync failed,
 * or when every step is done. The caller writes the final state with the rest of the status, in one write.
 * A step with hooks is persisted as soon as it is applied or passed, so a restarted agent never runs a hook
 * twice; a step of plain objects is not (a restarted agent applies it again, which changes nothing), which
 * saves a status write per step.
 */
export async function advanceOperation(ctx: OperationContext): Promise<OperationOutcome> {
  const { op } = ctx;
  // What this pass wrote, by the resourceVersion the server gave it: until the watch cache holds that version,
  // the cache's copy is older than the write and says nothing about its health (an old generation that was
  // Healthy would open the next wave).
  const written = new Map<string, string | undefined>();
  const heard = (changes: readonly Change[]) => {
    for (const c of changes) {
      if (c.adopted) ctx.adopted?.(c.ref);
      if (c.applied) {
        written.set(refKey(c.ref), c.applied.metadata.resourceVersion);
        ctx.applied?.(c.ref, c.applied);
      }
    }
  };
  const judge = ctx.health ?? healthOrMissing;
  const healthOf = (ref: ObjectRef): Health => {
    const live = ctx.cache.get(ref);
    const key = refKey(ref);
    if (written.has(key) && live?.metadata.resourceVersion !== written.get(key))
      return { status: "Progressing", message: "waiting for the watch to see bosun's write" };
    return judge(live);
  };
  const hooks = (step: number) => ctx.plan.steps[step]?.tasks.some((t) => t.hook) ?? false;
  for (;;) {
    const outcome = await executeStep({
      plan: ctx.plan,
      op,
      operationId: ctx.operationId,
      application: ctx.application,
      timeoutMs: ctx.timeoutMs,
      pruneAfter: ctx.pruneAfter,
      now: ctx.now,
      applier: ctx.client,
      deleter: ctx.client,
      reader: ctx.client,
      lister: ctx.client,
      kinds: ctx.client,
      tracked: ctx.cache,
      healthOf,
      inSync: ctx.inSync,
      signal: ctx.signal,
    });
    switch (outcome.type) {
      case "applied":
        heard(outcome.changes);
        if (hooks(op.step)) await ctx.persist(op);
        continue;
      case "advanced":
        if (hooks(op.step - 1)) await ctx.persist(op);
        continue;
      case "waiting":
        return { type: "waiting", message: outcome.message, deadline: outcome.deadline };
      case "failed":
        heard(outcome.changes);
        return { type: "failed", message: outcome.message };
      case "succeeded":
        return { type: "succeeded" };
    }
  }
}
