import {
  type IgnoreDifference,
  type KubeObject,
  kindRank,
  type ObjectRef,
  refOf,
  type SyncPhase,
} from "../api/index.js";
import {
  AnnotationError,
  compareOptionsOf,
  type HookDeletePolicy,
  hookDeletePoliciesOf,
  hookTypesOf,
  syncOptionSettingsOf,
  syncWaveOf,
} from "./annotations.js";
import { adjustDependencies, PHASE_ORDER } from "./dependencies.js";
import { appSyncOptions, resolveSyncOptions, type SyncOptionSettings, type SyncOptions } from "./options.js";

/** One object to apply in a sync, and where in the sync it goes. */
export interface SyncTask {
  object: KubeObject;
  ref: ObjectRef;
  phase: SyncPhase;
  wave: number;
  /**
   * Set for hooks: Jobs/Pods created for one phase, not part of the inventory, never pruned. `generated`: the
   * hook has only metadata.generateName; the server names it, and `id` (stable across syncs: phase, kind,
   * namespace, prefix and rank among equals) finds it again.
   */
  hook?: { deletePolicies: HookDeletePolicy[]; generated?: { id: string } };
  /** The sync options in force for it: its annotation's over the Application's over the defaults. */
  options: SyncOptions;
  /** The CustomResourceDefinition of this plan that defines the object's kind, when one does. */
  definedBy?: string;
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
  /** The Application's own sync options (what prune and cascade deletion resolve live objects' options against). */
  options: SyncOptionSettings;
  /** The Application's ignoreDifferences (RespectIgnoreDifferences=true keeps those fields as they are live). */
  ignoreDifferences: IgnoreDifference[];
}

/** What of the Application a plan depends on besides the objects (an ApplicationSpec fits). */
export interface PlanSettings {
  syncPolicy?: { syncOptions?: readonly string[] };
  ignoreDifferences?: readonly IgnoreDifference[];
}

/** "apiVersion|kind" of every kind a CustomResourceDefinition among `objects` defines → that CRD's name. */
function definedKinds(objects: readonly KubeObject[]): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const obj of objects) {
    if (obj.kind !== "CustomResourceDefinition" || !obj.apiVersion.startsWith("apiextensions.k8s.io/")) continue;
    const spec = obj.spec as
      | { group?: unknown; names?: { kind?: unknown }; versions?: Array<{ name?: unknown }> }
      | undefined;
    if (typeof spec?.group !== "string" || typeof spec.names?.kind !== "string") continue;
    for (const v of spec.versions ?? [])
      if (typeof v.name === "string") kinds.set(`${spec.group}/${v.name}|${spec.names.kind}`, obj.metadata.name ?? "");
  }
  return kinds;
}

/** "phase/apiVersion/kind/namespace/prefix#n": the n-th hook of that shape in the render (from 0). */
function generatedHookId(phase: SyncPhase, object: KubeObject, seen: Map<string, number>): string {
  const shape = [phase, object.apiVersion, object.kind, object.metadata.namespace ?? "", object.metadata.generateName];
  const key = shape.join("/");
  const n = seen.get(key) ?? 0;
  seen.set(key, n + 1);
  return `${key}#${n}`;
}

/** A hook's task in one phase; one with only generateName is named by its prefix in messages and found by its id. */
function hookTask(
  base: Omit<SyncTask, "phase">,
  phase: SyncPhase,
  deletePolicies: HookDeletePolicy[],
  generatedSeen: Map<string, number>,
): SyncTask {
  if (base.ref.name !== "") return { ...base, phase, hook: { deletePolicies } };
  const generated = { id: generatedHookId(phase, base.object, generatedSeen) };
  const ref = { ...base.ref, name: base.object.metadata.generateName ?? "" };
  return { ...base, ref, phase, hook: { deletePolicies, generated } };
}

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
 * several hook types runs in each of those phases. Unreadable annotations (unknown sync options
 * included) fail the whole plan, naming every object at fault (an AggregateError), so nothing is
 * half-applied. Application-level sync options that are not valid throw (spec checks refuse them first).
 */
export function planSync(desired: readonly KubeObject[], app: PlanSettings = {}): SyncPlan {
  const appOptions = appSyncOptions(app.syncPolicy?.syncOptions);
  const defined = definedKinds(desired);
  const tasks: SyncTask[] = [];
  const errors: Error[] = [];
  const generatedSeen = new Map<string, number>();
  for (const object of desired) {
    try {
      const ref = refOf(object);
      const wave = syncWaveOf(object);
      const options = resolveSyncOptions(appOptions, syncOptionSettingsOf(object));
      compareOptionsOf(object);
      const hookTypes = hookTypesOf(object);
      if (hookTypes.includes("Skip")) continue;
      const crd = defined.get(`${object.apiVersion}|${object.kind}`);
      const base = { object, ref, wave, options, ...(crd ? { definedBy: crd } : {}) };
      if (hookTypes.length === 0) {
        tasks.push({ ...base, phase: "Sync" });
        continue;
      }
      const deletePolicies = hookDeletePoliciesOf(object);
      for (const phase of hookTypes as SyncPhase[]) tasks.push(hookTask(base, phase, deletePolicies, generatedSeen));
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
    options: appOptions,
    ignoreDifferences: [...(app.ignoreDifferences ?? [])],
  };
}
