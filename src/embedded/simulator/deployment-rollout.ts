// The Deployment controller's rollout decisions: which ReplicaSet is the new one (its template is the
// Deployment's), creating it, and how far to scale the new one up and the old ones down for the strategy
// (RollingUpdate within maxSurge/maxUnavailable, or Recreate), plus the old ReplicaSets beyond
// revisionHistoryLimit. Pure: ReplicaSets in, writes out.

import type { KubeObject } from "../../api/index.js";
import { cloneJson, type JsonRecord, jsonEqual } from "../../api/index.js";
import { bool, num, rec, scaledValue, str, stringMap, timeOf } from "./fields.js";
import { controllerReference } from "./owners.js";
import { desiredReplicas } from "./replica-set.js";
import { templateHash } from "./template-hash.js";

export const POD_TEMPLATE_HASH = "pod-template-hash";
export const REVISION = "deployment.kubernetes.io/revision";
const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
/** Deployment annotations the controller does not copy onto its ReplicaSets. */
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  "deprecated.deployment.rollback.to",
]);

export function revisionOf(obj: KubeObject): number {
  const n = Number(obj.metadata.annotations?.[REVISION] ?? "0");
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function isRollingUpdate(d: KubeObject): boolean {
  return (str(d, "spec", "strategy", "type") ?? "RollingUpdate") === "RollingUpdate";
}

export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

/** maxSurge and maxUnavailable resolved against spec.replicas (both zero is read as maxUnavailable 1). */
export function fenceposts(d: KubeObject): Fenceposts {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return { maxSurge: 0, maxUnavailable: 0 };
  const ru = rec(d, "spec", "strategy", "rollingUpdate");
  const surge = scaledValue(ru?.maxSurge ?? "25%", desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable ?? "25%", desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: desired === 0 ? 0 : Math.min(unavailable, desired) };
}

function templateWithoutHash(rs: KubeObject): unknown {
  const template = cloneJson(rec(rs, "spec", "template") ?? {});
  const labels = rec(template, "metadata", "labels");
  if (labels) delete labels[POD_TEMPLATE_HASH];
  return template;
}

/** The ReplicaSet whose template is the Deployment's (ignoring the hash label), oldest first. */
export function findNewReplicaSet(d: KubeObject, replicaSets: readonly KubeObject[]): KubeObject | undefined {
  const template = rec(d, "spec", "template") ?? {};
  return byAge(replicaSets).find((rs) => jsonEqual(templateWithoutHash(rs), template));
}

function byAge(replicaSets: readonly KubeObject[]): KubeObject[] {
  const created = (rs: KubeObject) => timeOf(rs.metadata.creationTimestamp) ?? 0;
  return [...replicaSets].sort(
    (a, b) => created(a) - created(b) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
  );
}

export interface ReplicaSetWrite {
  name: string;
  replicas: number;
  /** Annotations to set on it (merged over its own). */
  annotations: Record<string, string>;
}

export interface RolloutPlan {
  /** A new ReplicaSet to create. */
  create?: KubeObject;
  /** Replica counts (and annotations) for existing ReplicaSets. */
  scale: ReplicaSetWrite[];
  /** Old ReplicaSets beyond revisionHistoryLimit. */
  delete: string[];
}

function replicasAnnotations(d: KubeObject): Record<string, string> {
  const desired = desiredReplicas(d);
  return { [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(desired + fenceposts(d).maxSurge) };
}

function newReplicaSet(d: KubeObject, replicas: number, revision: number): KubeObject {
  const hash = templateHash(rec(d, "spec", "template") ?? {});
  const template = cloneJson(rec(d, "spec", "template") ?? {});
  const meta = rec(template, "metadata") ?? {};
  template.metadata = meta;
  const labels = { ...stringMap(meta, "labels"), [POD_TEMPLATE_HASH]: hash };
  meta.labels = labels;
  const copied = Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)));
  const selector = cloneJson(rec(d, "spec", "selector") ?? {});
  selector.matchLabels = { ...stringMap(selector, "matchLabels"), [POD_TEMPLATE_HASH]: hash };
  const spec: JsonRecord = { replicas, selector, template };
  const minReady = num(d, "spec", "minReadySeconds");
  if (minReady !== undefined) spec.minReadySeconds = minReady;
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name ?? ""}-${hash}`,
      namespace: d.metadata.namespace,
      labels,
      annotations: { ...copied, ...replicasAnnotations(d), [REVISION]: String(revision) },
      ownerReferences: [controllerReference(d)],
    },
    spec,
  };
}

/** Spec replicas of each ReplicaSet as the plan goes (writes are applied to it as they are decided). */
class Counts {
  private readonly replicas = new Map<string, number>();
  readonly writes = new Map<string, ReplicaSetWrite>();
  constructor(
    private readonly d: KubeObject,
    replicaSets: readonly KubeObject[],
  ) {
    for (const rs of replicaSets) this.replicas.set(rs.metadata.name ?? "", desiredReplicas(rs));
  }
  of(rs: KubeObject | undefined): number {
    return rs ? (this.replicas.get(rs.metadata.name ?? "") ?? 0) : 0;
  }
  sum(list: readonly KubeObject[]): number {
    return list.reduce((n, rs) => n + this.of(rs), 0);
  }
  set(rs: KubeObject, replicas: number, extra: Record<string, string> = {}): void {
    const name = rs.metadata.name ?? "";
    this.replicas.set(name, replicas);
    const annotations = { ...this.writes.get(name)?.annotations, ...replicasAnnotations(this.d), ...extra };
    this.writes.set(name, { name, replicas, annotations });
  }
}

function available(rs: KubeObject): number {
  return num(rs, "status", "availableReplicas") ?? 0;
}

/** How many replicas the new ReplicaSet may have now, within maxSurge. */
function newReplicasTarget(d: KubeObject, counts: Counts, all: readonly KubeObject[], newRS: KubeObject | undefined) {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const current = counts.of(newRS);
  if (current >= desired) return desired;
  const maxTotal = desired + fenceposts(d).maxSurge;
  const total = counts.sum(all);
  if (total >= maxTotal) return current;
  return current + Math.min(maxTotal - total, desired - current);
}

/** Old ReplicaSets scaled down as far as maxUnavailable allows: unhealthy replicas first, then oldest first. */
function scaleDownOld(d: KubeObject, counts: Counts, old: readonly KubeObject[], newRS: KubeObject): boolean {
  if (counts.sum(old) === 0) return false;
  const all = [...old, newRS];
  const minAvailable = desiredReplicas(d) - fenceposts(d).maxUnavailable;
  const newUnavailable = counts.of(newRS) - available(newRS);
  let budget = counts.sum(all) - minAvailable - newUnavailable;
  if (budget <= 0) return false;
  let changed = false;
  for (const rs of byAge(old)) {
    const unhealthy = counts.of(rs) - available(rs);
    if (budget <= 0 || counts.of(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(budget, unhealthy);
    counts.set(rs, counts.of(rs) - down);
    budget -= down;
    changed = true;
  }
  let surplus = all.reduce((n, rs) => n + Math.min(available(rs), counts.of(rs)), 0) - minAvailable;
  for (const rs of byAge(old)) {
    if (surplus <= 0) break;
    if (counts.of(rs) === 0) continue;
    const down = Math.min(counts.of(rs), surplus);
    counts.set(rs, counts.of(rs) - down);
    surplus -= down;
    changed = true;
  }
  return changed;
}

function rollingUpdate(d: KubeObject, counts: Counts, old: readonly KubeObject[], newRS: KubeObject): void {
  const target = newReplicasTarget(d, counts, [...old, newRS], newRS);
  if (target !== counts.of(newRS)) {
    counts.set(newRS, target);
    return;
  }
  scaleDownOld(d, counts, old, newRS);
}

/** Recreate: every old pod gone before the new ReplicaSet scales up. */
function recreate(d: KubeObject, counts: Counts, old: readonly KubeObject[], newRS: KubeObject | undefined): boolean {
  let scaledDown = false;
  for (const rs of old)
    if (counts.of(rs) > 0) {
      counts.set(rs, 0);
      scaledDown = true;
    }
  const oldPods = old.reduce((n, rs) => n + (num(rs, "status", "replicas") ?? 0), 0);
  if (scaledDown || oldPods > 0) return false;
  if (newRS && counts.of(newRS) !== desiredReplicas(d)) counts.set(newRS, desiredReplicas(d));
  return true;
}

/** Paused: no rollout; a lone active ReplicaSet still follows spec.replicas (proportional scaling is not simulated). */
function pausedScale(d: KubeObject, counts: Counts, all: readonly KubeObject[], newRS: KubeObject | undefined): void {
  const active = all.filter((rs) => counts.of(rs) > 0);
  const target = active.length === 1 ? active[0] : active.length === 0 ? newRS : undefined;
  if (target && counts.of(target) !== desiredReplicas(d)) counts.set(target, desiredReplicas(d));
}

function isComplete(d: KubeObject): boolean {
  const desired = desiredReplicas(d);
  const s = (f: string) => num(d, "status", f) ?? 0;
  return (
    s("updatedReplicas") === desired &&
    s("replicas") === desired &&
    s("availableReplicas") === desired &&
    (num(d, "status", "observedGeneration") ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** Old, scaled-down ReplicaSets beyond revisionHistoryLimit, lowest revision first. */
function historyToDelete(d: KubeObject, old: readonly KubeObject[]): string[] {
  const limit = num(d, "spec", "revisionHistoryLimit") ?? 10;
  const excess = old.length - limit;
  if (excess <= 0) return [];
  const idle = (rs: KubeObject) =>
    desiredReplicas(rs) === 0 &&
    (num(rs, "status", "replicas") ?? 0) === 0 &&
    (num(rs, "status", "observedGeneration") ?? 0) >= (rs.metadata.generation ?? 0);
  return [...old]
    .sort((a, b) => revisionOf(a) - revisionOf(b))
    .filter(idle)
    .slice(0, excess)
    .map((rs) => rs.metadata.name ?? "");
}

/** What the Deployment controller writes to ReplicaSets in one pass. `replicaSets` are the ones it controls. */
export function planRollout(d: KubeObject, replicaSets: readonly KubeObject[]): RolloutPlan {
  const existing = findNewReplicaSet(d, replicaSets);
  const old = replicaSets.filter((rs) => rs !== existing);
  const counts = new Counts(d, replicaSets);
  const maxOldRevision = Math.max(0, ...old.map(revisionOf));
  const plan: RolloutPlan = { scale: [], delete: [] };
  if (bool(d, "spec", "paused") === true) {
    pausedScale(d, counts, replicaSets, existing);
    plan.scale = [...counts.writes.values()];
    return plan;
  }
  if (existing && revisionOf(existing) <= maxOldRevision)
    counts.set(existing, counts.of(existing), { [REVISION]: String(maxOldRevision + 1) });
  let newRS = existing;
  if (!isRollingUpdate(d)) {
    const oldGone = recreate(d, counts, old, existing);
    if (!existing && oldGone) plan.create = newReplicaSet(d, desiredReplicas(d), maxOldRevision + 1);
  } else {
    if (!newRS) {
      const created = newReplicaSet(d, 0, maxOldRevision + 1);
      const replicas = newReplicasTarget(d, counts, old, undefined);
      (created.spec as JsonRecord).replicas = replicas;
      plan.create = created;
      newRS = { ...created, spec: { ...(created.spec as JsonRecord), replicas } };
      counts.set(newRS, replicas);
      counts.writes.delete(newRS.metadata.name ?? "");
    }
    rollingUpdate(d, counts, old, newRS);
  }
  if (isComplete(d)) plan.delete = historyToDelete(d, old);
  plan.scale = [...counts.writes.values()].filter((w) => w.name !== plan.create?.metadata.name);
  return plan;
}
