import { describeRef, type Health, type ObjectRef } from "../api/index.js";
import type { SyncPlan, SyncStep, SyncTask } from "./plan.js";

/** Where a sync stands: recorded in Application.status.operation so a restarted agent resumes from it. */
export interface SyncProgress {
  /** Index into plan.steps of the step being worked on. */
  step: number;
  /** True once every task of that step was applied. */
  applied: boolean;
  /** When that step was applied (ms since the epoch): the start of its health timeout. */
  appliedAt?: number;
}

export interface Waiting {
  ref: ObjectRef;
  health: Health;
}

export type SyncDecision =
  | { type: "apply"; step: SyncStep }
  | { type: "wait"; step: SyncStep; waitingFor: Waiting[]; message: string }
  | { type: "advance"; step: SyncStep }
  | { type: "fail"; step: SyncStep; ref: ObjectRef; message: string }
  | { type: "complete" };

export interface DecideInput {
  plan: SyncPlan;
  progress: SyncProgress;
  /** Health of a task's live object (Missing when the watch cache has not seen it yet). */
  healthOf: (task: SyncTask) => Health;
  now: number;
  /** How long a step may take to become healthy. */
  timeoutMs: number;
  /**
   * Something will be pruned after the sync: the prune is the implicit last wave (Argo CD's PruneLast), so
   * the last step is waited on like any other.
   */
  pruneAfter?: boolean;
}

/** A step's objects are done when Healthy; Suspended counts as done (a paused rollout is what the user asked for). */
function isDone(health: Health): boolean {
  return health.status === "Healthy" || health.status === "Suspended";
}

/**
 * What of a step must be healthy before the sync goes on. The objects of a step gate the next one (and a
 * prune after the last step); after the last step only its hooks are waited for (as in Argo CD: the sync is done once the last wave is applied,
 * and the Application's health follows its objects from then on, Progressing → Healthy or Degraded).
 */
function gatedTasks(plan: SyncPlan, index: number, pruneAfter: boolean): SyncTask[] {
  const step = plan.steps[index];
  if (!step) return [];
  return index === plan.steps.length - 1 && !pruneAfter ? step.tasks.filter((t) => t.hook) : step.tasks;
}

/**
 * One step of a sync, as a pure decision: apply the current step, wait for it, move to the next, fail,
 * or complete. The caller carries out the decision, records the new progress and calls again on a timer
 * or a watch event. A Degraded object fails the step at once; otherwise the step fails when timeoutMs
 * passed since it was applied.
 */
export function decideSyncStep(input: DecideInput): SyncDecision {
  const { plan, progress } = input;
  const step = plan.steps[progress.step];
  if (!step) return { type: "complete" };
  if (!progress.applied) return { type: "apply", step };

  const gated = gatedTasks(plan, progress.step, input.pruneAfter ?? false);
  const waitingFor: Waiting[] = [];
  for (const task of gated) {
    const health = input.healthOf(task);
    if (health.status === "Degraded") {
      return { type: "fail", step, ref: task.ref, message: `${describeRef(task.ref)} is Degraded: ${health.message}` };
    }
    if (!isDone(health)) waitingFor.push({ ref: task.ref, health });
  }
  if (waitingFor.length === 0) return { type: "advance", step };

  const elapsed = input.now - (progress.appliedAt ?? input.now);
  const [first] = waitingFor;
  if (first && elapsed >= input.timeoutMs) {
    const what = `${describeRef(first.ref)} (${first.health.status}${first.health.message ? `: ${first.health.message}` : ""})`;
    return {
      type: "fail",
      step,
      ref: first.ref,
      message: `timed out after ${Math.round(input.timeoutMs / 1000)}s in ${step.phase} wave ${step.wave} waiting for ${what}`,
    };
  }
  const healthy = gated.length - waitingFor.length;
  return {
    type: "wait",
    step,
    waitingFor,
    message: `${step.phase} wave ${step.wave}: ${healthy} of ${gated.length} healthy; waiting for ${waitingFor.map((w) => describeRef(w.ref)).join(", ")}`,
  };
}
