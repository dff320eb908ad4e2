// The StatefulSet controller: pods `<name>-0..n-1` with stable names, each with its claims from
// volumeClaimTemplates (`<template>-<name>-<ordinal>`) made before it; created in order and each only once
// the one before is Running and Ready (OrderedReady), or all at once (Parallel); scaled down from the
// highest ordinal; rolling updates replace pods from the highest ordinal down to the partition, one at a
// time. Revisions are `<name>-<template hash>` (no ControllerRevision objects are kept).

import type { KubeObject } from "../../api/index.js";
import { cloneJson, isRecord, type JsonRecord } from "../../api/index.js";
import { arr, num, rec, str, stringMap } from "./fields.js";
import { isPodReady } from "./kubelet.js";
import { controllerReference } from "./owners.js";
import { podFromTemplate } from "./pod-factory.js";
import { availability, isActive } from "./pod-sets.js";
import { desiredReplicas, type StatusResult } from "./replica-set.js";
import { templateHash } from "./template-hash.js";

export const REVISION_LABEL = "controller-revision-hash";

export function updateRevision(sts: KubeObject): string {
  return `${sts.metadata.name ?? ""}-${templateHash(rec(sts, "spec", "template") ?? {})}`;
}

function ordinalOf(sts: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${sts.metadata.name ?? ""}-`;
  const name = pod.metadata.name ?? "";
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

function claimTemplates(sts: KubeObject): JsonRecord[] {
  return arr(sts, "spec", "volumeClaimTemplates").filter(isRecord);
}

export function claimName(sts: KubeObject, template: JsonRecord, ordinal: number): string {
  return `${str(template, "metadata", "name") ?? ""}-${sts.metadata.name ?? ""}-${ordinal}`;
}

function claimFor(sts: KubeObject, template: JsonRecord, ordinal: number): KubeObject {
  const spec = cloneJson(rec(template, "spec") ?? {});
  if (spec.volumeMode === undefined) spec.volumeMode = "Filesystem";
  const metadata: KubeObject["metadata"] = {
    name: claimName(sts, template, ordinal),
    namespace: sts.metadata.namespace,
    labels: { ...stringMap(template, "metadata", "labels"), ...stringMap(sts, "spec", "selector", "matchLabels") },
  };
  const annotations = stringMap(template, "metadata", "annotations");
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (str(sts, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted") === "Delete")
    metadata.ownerReferences = [controllerReference(sts)];
  return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata, spec };
}

function podFor(sts: KubeObject, ordinal: number): KubeObject {
  const name = `${sts.metadata.name ?? ""}-${ordinal}`;
  return podFromTemplate({
    owner: sts,
    template: rec(sts, "spec", "template"),
    name,
    labels: {
      [REVISION_LABEL]: updateRevision(sts),
      "statefulset.kubernetes.io/pod-name": name,
      "apps.kubernetes.io/pod-index": String(ordinal),
    },
    adjustSpec: (spec) => {
      spec.hostname = name;
      const service = str(sts, "spec", "serviceName");
      if (service) spec.subdomain = service;
      const claims = claimTemplates(sts).map((t) => ({
        name: str(t, "metadata", "name") ?? "",
        persistentVolumeClaim: { claimName: claimName(sts, t, ordinal) },
      }));
      if (claims.length === 0) return;
      const names = new Set(claims.map((c) => c.name));
      const volumes = arr(spec, "volumes").filter((v) => !names.has(str(v, "name") ?? ""));
      spec.volumes = [...volumes, ...claims];
    },
  });
}

export interface StatefulSetPlan {
  createClaims: KubeObject[];
  createPods: KubeObject[];
  deletePods: KubeObject[];
}

function runningAndReady(pod: KubeObject): boolean {
  return str(pod, "status", "phase") === "Running" && isPodReady(pod);
}

function podsByOrdinal(sts: KubeObject, pods: readonly KubeObject[]): Map<number, KubeObject> {
  const out = new Map<number, KubeObject>();
  for (const pod of pods) {
    const ordinal = ordinalOf(sts, pod);
    if (ordinal !== undefined) out.set(ordinal, pod);
  }
  return out;
}

/** Missing pods (and claims) of ordinals 0..replicas-1 and failed ones; false when OrderedReady must wait. */
function fillOrdinals(
  sts: KubeObject,
  byOrdinal: Map<number, KubeObject>,
  claimExists: (name: string) => boolean,
  plan: StatefulSetPlan,
): boolean {
  const ordered = (str(sts, "spec", "podManagementPolicy") ?? "OrderedReady") === "OrderedReady";
  for (let i = 0; i < desiredReplicas(sts); i++) {
    const pod = byOrdinal.get(i);
    if (!pod) {
      for (const t of claimTemplates(sts))
        if (!claimExists(claimName(sts, t, i))) plan.createClaims.push(claimFor(sts, t, i));
      plan.createPods.push(podFor(sts, i));
    } else if (!isActive(pod)) {
      if (!pod.metadata.deletionTimestamp) plan.deletePods.push(pod);
    } else if (runningAndReady(pod)) {
      continue;
    }
    if (ordered) return false;
  }
  return true;
}

/** Pods to create (with their missing claims), to replace, and to delete, in the order the controller goes. */
export function planStatefulSet(
  sts: KubeObject,
  pods: readonly KubeObject[],
  claimExists: (name: string) => boolean,
): StatefulSetPlan {
  const plan: StatefulSetPlan = { createClaims: [], createPods: [], deletePods: [] };
  const replicas = desiredReplicas(sts);
  const byOrdinal = podsByOrdinal(sts, pods);
  if (!fillOrdinals(sts, byOrdinal, claimExists, plan)) return plan;
  const ordered = (str(sts, "spec", "podManagementPolicy") ?? "OrderedReady") === "OrderedReady";
  const condemned = [...byOrdinal.entries()].filter(([i]) => i >= replicas).sort(([a], [b]) => b - a);
  if (condemned.length > 0) {
    const victims = ordered ? condemned.slice(0, 1) : condemned;
    plan.deletePods.push(...victims.map(([, p]) => p).filter((p) => !p.metadata.deletionTimestamp));
    return plan;
  }
  if (plan.createPods.length > 0 || plan.deletePods.length > 0) return plan;
  const stale = rollingUpdateVictim(sts, byOrdinal, replicas);
  if (stale) plan.deletePods.push(stale);
  return plan;
}

/** The highest-ordinal pod at or above the partition not at the update revision, once all are ready. */
function rollingUpdateVictim(sts: KubeObject, byOrdinal: Map<number, KubeObject>, replicas: number) {
  if ((str(sts, "spec", "updateStrategy", "type") ?? "RollingUpdate") !== "RollingUpdate") return undefined;
  for (let i = 0; i < replicas; i++) {
    const pod = byOrdinal.get(i);
    if (!pod || !runningAndReady(pod)) return undefined;
  }
  const partition = num(sts, "spec", "updateStrategy", "rollingUpdate", "partition") ?? 0;
  const revision = updateRevision(sts);
  for (let i = replicas - 1; i >= partition; i--) {
    const pod = byOrdinal.get(i);
    if (pod && pod.metadata.labels?.[REVISION_LABEL] !== revision) return pod;
  }
  return undefined;
}

/** The status the StatefulSet controller writes. */
export function statefulSetStatus(sts: KubeObject, pods: readonly KubeObject[], now: number): StatusResult {
  const active = pods.filter((p) => isActive(p) && ordinalOf(sts, p) !== undefined);
  const update = updateRevision(sts);
  const previous = str(sts, "status", "currentRevision") ?? update;
  const at = (rev: string) => active.filter((p) => p.metadata.labels?.[REVISION_LABEL] === rev).length;
  const avail = availability(active, num(sts, "spec", "minReadySeconds") ?? 0, now);
  const replicas = desiredReplicas(sts);
  const updated = at(update);
  const rolledOut = updated === replicas && avail.ready === replicas && active.length === replicas;
  const current = rolledOut ? update : previous;
  const status: JsonRecord = {};
  if (sts.metadata.generation !== undefined) status.observedGeneration = sts.metadata.generation;
  status.replicas = active.length;
  if (avail.ready > 0) status.readyReplicas = avail.ready;
  const currentReplicas = at(current);
  if (currentReplicas > 0) status.currentReplicas = currentReplicas;
  if (updated > 0) status.updatedReplicas = updated;
  status.currentRevision = current;
  status.updateRevision = update;
  status.collisionCount = num(sts, "status", "collisionCount") ?? 0;
  status.availableReplicas = avail.available;
  return avail.wakeAt === undefined ? { status } : { status, wakeAt: avail.wakeAt };
}
