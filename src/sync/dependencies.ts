// Dependencies the waves do not say: a Namespace must exist before what lives in it, a CRD before its
// custom resources. A Namespace or CRD moves to the phase and wave of its first dependent (gitops-engine's
// adjustDeps); the executor then has a custom resource wait for its CRD to be served.
import { groupOf, type KubeObject, type SyncPhase } from "../api/index.js";

/** The order phases run in. */
export const PHASE_ORDER: Record<SyncPhase, number> = { PreSync: 0, Sync: 1, PostSync: 2, SyncFail: 3 };

/** The part of a sync task dependencies are worked out on. */
export interface Placed {
  object: KubeObject;
  phase: SyncPhase;
  wave: number;
  hook?: unknown;
  /** The name of the CRD of this sync that defines the object's kind (plan.ts sets it). */
  definedBy?: string;
}

const before = (a: Placed, b: Placed) =>
  PHASE_ORDER[a.phase] < PHASE_ORDER[b.phase] || (a.phase === b.phase && a.wave < b.wave);

/** What a task needs to exist first: its Namespace (`ns:NAME`), the CRD of its kind (`crd:NAME`). */
function dependencyOf(task: Placed): string[] {
  const keys: string[] = [];
  if (task.definedBy) keys.push(`crd:${task.definedBy}`);
  if (task.object.metadata.namespace) keys.push(`ns:${task.object.metadata.namespace}`);
  return keys;
}

/** What a task provides to others, in the keys of dependencyOf. */
function providedBy(task: Placed): string | undefined {
  if (task.hook) return undefined; // a hook is made for its phase: it provides nothing to move
  const { kind, apiVersion, metadata } = task.object;
  if (kind === "Namespace" && groupOf(apiVersion) === "") return `ns:${metadata.name}`;
  if (kind === "CustomResourceDefinition" && groupOf(apiVersion) === "apiextensions.k8s.io")
    return `crd:${metadata.name}`;
  return undefined;
}

/**
 * Moves every Namespace and CRD that a task needs earlier than it is placed to that task's phase and wave.
 * Mutates the tasks' phase and wave; the order within a step (kind rank) then puts it first.
 */
export function adjustDependencies<T extends Placed>(tasks: T[]): void {
  const earliest = new Map<string, Placed>();
  for (const task of tasks) {
    for (const key of dependencyOf(task)) {
      const seen = earliest.get(key);
      if (!seen || before(task, seen)) earliest.set(key, task);
    }
  }
  for (const task of tasks) {
    const key = providedBy(task);
    const first = key ? earliest.get(key) : undefined;
    if (first && before(first, task)) {
      task.phase = first.phase;
      task.wave = first.wave;
    }
  }
}
