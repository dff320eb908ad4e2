// The ReplicaSet controller: as many active pods as spec.replicas, and the status counting them.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { num, rec, stringMap } from "./fields.js";
import { podFromTemplate } from "./pod-factory.js";
import { availability, isActive, podsToDelete } from "./pod-sets.js";

export interface PodChanges {
  create: KubeObject[];
  delete: KubeObject[];
}

export function desiredReplicas(obj: KubeObject): number {
  return Math.max(0, num(obj, "spec", "replicas") ?? 1);
}

/** Pods to create (from the template) or delete (worst first) to reach spec.replicas. */
export function replicaSetChanges(rs: KubeObject, pods: readonly KubeObject[]): PodChanges {
  const active = pods.filter(isActive);
  const diff = desiredReplicas(rs) - active.length;
  if (diff > 0) {
    const template = rec(rs, "spec", "template");
    const create = Array.from({ length: diff }, () =>
      podFromTemplate({ owner: rs, template, generateName: `${rs.metadata.name ?? ""}-` }),
    );
    return { create, delete: [] };
  }
  return { create: [], delete: podsToDelete(active, -diff) };
}

export interface StatusResult {
  status: JsonRecord;
  /** When (ms) the status will change by itself (a pod waiting out minReadySeconds). */
  wakeAt?: number;
}

/** The status the ReplicaSet controller writes for these pods (zero counts left out, as it serialises). */
export function replicaSetStatus(rs: KubeObject, pods: readonly KubeObject[], now: number): StatusResult {
  const active = pods.filter(isActive);
  const templateLabels = stringMap(rs, "spec", "template", "metadata", "labels");
  const fullyLabeled = active.filter((p) =>
    Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v),
  ).length;
  const avail = availability(active, num(rs, "spec", "minReadySeconds") ?? 0, now);
  const status: JsonRecord = { replicas: active.length };
  if (fullyLabeled > 0) status.fullyLabeledReplicas = fullyLabeled;
  if (avail.ready > 0) status.readyReplicas = avail.ready;
  if (avail.available > 0) status.availableReplicas = avail.available;
  if (rs.metadata.generation !== undefined) status.observedGeneration = rs.metadata.generation;
  return avail.wakeAt === undefined ? { status } : { status, wakeAt: avail.wakeAt };
}
