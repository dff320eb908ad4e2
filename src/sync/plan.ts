import { type KubeObject, kindRank, type ObjectRef, refOf, type SyncPhase } from "../api/index.js";
import {
  AnnotationError,
  type HookDeletePolicy,
  hookDeletePoliciesOf,
  hookTypesOf,
  syncOptionsOf,
  syncWaveOf,
} from "./annotations.js";
import { adjustDependencies } from "./dependencies.js";

/** One object to apply in a sync, and where in the sync it goes. */
export interface SyncTask {
  object: KubeObject;
  ref: ObjectRef;
  phase: SyncPhase;
  wave: number;
  /** Set for hooks: Jobs/Pods created for one phase, not part of the inventory, never pruned. */
  hook?: { deletePolicies: HookDeletePolicy[] };
  /** Per-object options from `bosun.dev/sync-options` (Prune=false, Replace=true, …). */
  options: Record<string, string>;
}

/** Every task of one phase and wave: applied together, then waited on until healthy. */
export interface SyncStep {
  phase: SyncPhase;
  wave: number;
  tasks: SyncTask[];
}

export interface SyncPlan {
  /** In execution order: PreSync, Sync, PostSync; waves ascending in each. */
  steps: SyncStep[];
  /** SyncFail hooks: run only when the sync failed. */
  onFail: SyncTask[];
  /** The objects that are not hooks: what the inventory will hold after the sync. */
  resources: SyncTask[];
}

const PHASE_ORDER: Record<SyncPhase, number> = { PreSync: 0, Sync: 1, PostSync: 2, SyncFail: 3 };

function compareTasks(a: SyncTask, b: SyncTask): number {
  return (
    PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] ||
    a.wave - b.wave ||
    kindRank(a.object.apiVersion, a.object.kind) - kindRank(b.object.apiVersion, b.object.kind) ||
    a.ref.kind.localeCompare(b.ref.kind) ||
    a.ref.namespace.localeCompare(b.ref.namespace) ||
    a.ref.name.localeCompare(b.ref.name)
  );
}

/**
 * Orders desired objects into a sync: phase, then wave, then kind, then name; a Namespace or CRD goes no
 * later than the first object that needs it (dependencies.ts). An object annotated with
 * several hook types runs in each of those phases. Unreadable annotations fail the whole plan, naming
 * every object at fault (an AggregateError), so nothing is half-applied.
 */
export function planSync(desired: readonly KubeObject[]): SyncPlan {
  const tasks: SyncTask[] = [];
  const errors: Error[] = [];
  for (const object of desired) {
    try {
      const ref = refOf(object);
      const wave = syncWaveOf(object);
      const options = syncOptionsOf(object);
      const hookTypes = hookTypesOf(object);
      if (hookTypes.includes("Skip")) continue;
      if (hookTypes.length === 0) {
        tasks.push({ object, ref, phase: "Sync", wave, options });
        continue;
      }
      const deletePolicies = hookDeletePoliciesOf(object);
      for (const phase of hookTypes as SyncPhase[])
        tasks.push({ object, ref, phase, wave, options, hook: { deletePolicies } });
    } catch (err) {
      if (!(err instanceof AnnotationError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join("; "));
  adjustDependencies(tasks);
  tasks.sort(compareTasks);
  const steps: SyncStep[] = [];
  for (const task of tasks) {
    if (task.phase === "SyncFail") continue;
    const last = steps.at(-1);
    if (last && last.phase === task.phase && last.wave === task.wave) last.tasks.push(task);
    else steps.push({ phase: task.phase, wave: task.wave, tasks: [task] });
  }
  return {
    steps,
    onFail: tasks.filter((t) => t.phase === "SyncFail"),
    resources: tasks.filter((t) => !t.hook),
  };
}
