// Dependencies the waves do not say: a Namespace must exist before what lives in it, a CRD before its
// custom resources. A Namespace or CRD moves to the phase and wave of its first dependent (gitops-engine's
// adjustDeps), and within a step a custom resource waits for its CRD to be Established.
import { groupOf, type KubeObject, type SyncPhase } from "../api/index.js";

/** The part of a sync task dependencies are worked out on. */
export interface Placed {
  object: KubeObject;
  phase: SyncPhase;
  wave: number;
  hook?: unknown;
}

const PHASE_ORDER: Record<SyncPhase, number> = { PreSync: 0, Sync: 1, PostSync: 2, SyncFail: 3 };

const before = (a: Placed, b: Placed) =>
  PHASE_ORDER[a.phase] < PHASE_ORDER[b.phase] || (a.phase === b.phase && a.wave < b.wave);

/** The group/kind a CRD defines ("example.com/Widget"), undefined for anything else. */
export function definedKind(obj: KubeObject): string | undefined {
  if (obj.kind !== "CustomResourceDefinition" || groupOf(obj.apiVersion) !== "apiextensions.k8s.io") return undefined;
  const spec = obj.spec as { group?: string; names?: { kind?: string } } | undefined;
  return spec?.group && spec.names?.kind ? `${spec.group}/${spec.names.kind}` : undefined;
}

export const kindKey = (obj: KubeObject) => `${groupOf(obj.apiVersion)}/${obj.kind}`;

/**
 * What each Namespace and CRD of the sync is needed by: the key of a Namespace (`ns:NAME`) or a defined kind
 * (`kind:GROUP/KIND`) a task depends on.
 */
function dependencyOf(task: Placed): string[] {
  const keys = [`kind:${kindKey(task.object)}`];
  if (task.object.metadata.namespace) keys.push(`ns:${task.object.metadata.namespace}`);
  return keys;
}

function providedBy(task: Placed): string | undefined {
  if (task.hook) return undefined; // a hook is made for its phase: it provides nothing to move
  if (task.object.kind === "Namespace" && groupOf(task.object.apiVersion) === "")
    return `ns:${task.object.metadata.name}`;
  const defined = definedKind(task.object);
  return defined ? `kind:${defined}` : undefined;
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
      task.phase = first.phase === "SyncFail" ? task.phase : first.phase;
      task.wave = first.wave;
    }
  }
}
