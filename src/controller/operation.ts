import type { Health, KubeObject, ObjectRef, OperationState } from "../api/index.js";
import type { KubeClient, WatchCache } from "../cluster/index.js";
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
  timeoutMs: number;
  now: () => number;
  /** Saves op in Application.status.operation, so a restarted agent resumes where this one stopped. */
  persist: (op: OperationState) => Promise<void>;
  /** The health of a live object (undefined: not in the cluster); the health module's rules by default. */
  health?: (live: KubeObject | undefined) => Health;
  /** Hears of an object that existed without bosun's tracking and that this sync wrote (took over). */
  adopted?: (ref: ObjectRef) => void;
  signal: AbortSignal;
}

export type OperationOutcome =
  | { type: "waiting"; message: string }
  | { type: "succeeded" }
  | { type: "failed"; message: string };

/**
 * Advances a sync operation as far as it can go without waiting, one step of sync/execute at a time,
 * persisting each step applied or passed (what a restarted agent resumes from): stops when a step must be
 * waited for (the caller comes back on a watch event or a timer), when the sync failed, or when every step
 * is done. The caller writes the final state with the rest of the status, in one write.
 */
export async function advanceOperation(ctx: OperationContext): Promise<OperationOutcome> {
  const { op } = ctx;
  const heard = (changes: readonly Change[]) => {
    for (const c of changes) if (c.adopted) ctx.adopted?.(c.ref);
  };
  for (;;) {
    const outcome = await executeStep({
      plan: ctx.plan,
      op,
      operationId: ctx.operationId,
      timeoutMs: ctx.timeoutMs,
      now: ctx.now,
      applier: ctx.client,
      deleter: ctx.client,
      reader: ctx.client,
      tracked: ctx.cache,
      healthOf: (ref) => (ctx.health ?? healthOrMissing)(ctx.cache.get(ref)),
      signal: ctx.signal,
    });
    switch (outcome.type) {
      case "applied":
        heard(outcome.changes);
        await ctx.persist(op);
        continue;
      case "advanced":
        await ctx.persist(op);
        continue;
      case "waiting":
        return { type: "waiting", message: outcome.message };
      case "failed":
        heard(outcome.changes);
        return { type: "failed", message: outcome.message };
      case "succeeded":
        return { type: "succeeded" };
    }
  }
}
