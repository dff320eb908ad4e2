// The controller-manager side of the simulation: each workload controller's plan carried out through the
// writer, then the status written from what the cache holds afterwards.

import type { KubeObject } from "../../api/index.js";
import { planAutoscaler } from "./autoscaler.js";
import { delayUntil, type SimContext } from "./context.js";
import { daemonSetChanges, daemonSetStatus } from "./daemon-set.js";
import { findNewReplicaSet, planRollout, REVISION, revisionOf } from "./deployment-rollout.js";
import { deploymentStatus } from "./deployment-status.js";
import { type EventRecord, eventObject, jobEvents, SOURCES, scalingEvent } from "./events.js";
import { isDeleting } from "./fields.js";
import { planJob } from "./job.js";
import { type PodChanges, replicaSetChanges, replicaSetStatus } from "./replica-set.js";
import { planStatefulSet, statefulSetStatus } from "./stateful-set.js";
import { CONTROLLER_MANAGER } from "./writer.js";

function live(
  ctx: SimContext,
  kind: "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job",
  ns: string,
  name: string,
) {
  const obj = ctx.cache.get(kind, ns, name);
  return obj && !isDeleting(obj) ? obj : undefined;
}

export function record(ctx: SimContext, records: readonly EventRecord[]): void {
  for (const r of records) ctx.writer.event(eventObject(r, ctx.stamp(), ctx.now()));
}

type PodOwner = "replicaSet" | "daemonSet" | "job" | "statefulSet";

/** The controller's Event for a pod it created or deleted, in its own words. */
function podEvent(owner: KubeObject, style: PodOwner, verb: "create" | "delete", pod: string): EventRecord {
  const reason = verb === "create" ? "SuccessfulCreate" : "SuccessfulDelete";
  const message =
    style === "statefulSet"
      ? `${verb} Pod ${pod} in StatefulSet ${owner.metadata.name} successful`
      : `${verb === "create" ? "Created" : "Deleted"} pod: ${pod}`;
  return { involved: owner, type: "Normal", reason, message, source: SOURCES[style] };
}

function applyPodChanges(ctx: SimContext, changes: PodChanges, owner: KubeObject, style: PodOwner): void {
  for (const pod of changes.delete) {
    ctx.writer.delete("Pod", pod);
    record(ctx, [podEvent(owner, style, "delete", pod.metadata.name ?? "")]);
  }
  for (const pod of changes.create) {
    const created = ctx.writer.create("Pod", pod, CONTROLLER_MANAGER);
    record(ctx, [podEvent(owner, style, "create", created.metadata.name ?? "")]);
  }
}

export function reconcileReplicaSet(ctx: SimContext, namespace: string, name: string): number | undefined {
  const rs = live(ctx, "ReplicaSet", namespace, name);
  if (!rs) return undefined;
  applyPodChanges(ctx, replicaSetChanges(rs, ctx.cache.ownedBy(rs.metadata.uid, "Pod")), rs, "replicaSet");
  const result = replicaSetStatus(rs, ctx.cache.ownedBy(rs.metadata.uid, "Pod"), ctx.now());
  ctx.writer.status("ReplicaSet", rs, result.status, CONTROLLER_MANAGER);
  return delayUntil(ctx, result.wakeAt);
}

function ownedReplicaSets(ctx: SimContext, d: KubeObject): KubeObject[] {
  return ctx.cache.ownedBy(d.metadata.uid, "ReplicaSet").filter((rs) => !isDeleting(rs));
}

export function reconcileDeployment(ctx: SimContext, namespace: string, name: string): number | undefined {
  const d = live(ctx, "Deployment", namespace, name);
  if (!d) return undefined;
  const plan = planRollout(d, ownedReplicaSets(ctx, d));
  if (plan.create) {
    const created = ctx.writer.create("ReplicaSet", plan.create, CONTROLLER_MANAGER);
    const replicas = Number((created.spec as Record<string, unknown> | undefined)?.replicas ?? 0);
    if (replicas > 0) record(ctx, [scalingEvent(d, created.metadata.name ?? "", 0, replicas)]);
  }
  for (const write of plan.scale) {
    const rs = ctx.cache.get("ReplicaSet", namespace, write.name);
    if (!rs) continue;
    const metadata = { ...rs.metadata, annotations: { ...rs.metadata.annotations, ...write.annotations } };
    const before = Number((rs.spec as Record<string, unknown> | undefined)?.replicas ?? 0);
    const spec = { ...(rs.spec as Record<string, unknown>), replicas: write.replicas };
    ctx.writer.update("ReplicaSet", rs, { ...rs, metadata, spec }, CONTROLLER_MANAGER);
    if (before !== write.replicas) record(ctx, [scalingEvent(d, write.name, before, write.replicas)]);
  }
  for (const old of plan.delete) {
    const rs = ctx.cache.get("ReplicaSet", namespace, old);
    if (rs) ctx.writer.delete("ReplicaSet", rs);
  }
  const replicaSets = ownedReplicaSets(ctx, d);
  const newReplicaSet = findNewReplicaSet(d, replicaSets);
  const result = deploymentStatus({
    deployment: d,
    replicaSets,
    newReplicaSet,
    created: plan.create !== undefined,
    now: ctx.now(),
    nowStamp: ctx.stamp(),
  });
  const revision = newReplicaSet ? String(revisionOf(newReplicaSet)) : undefined;
  const annotations = revision && revision !== "0" ? { [REVISION]: revision } : undefined;
  ctx.writer.status("Deployment", d, result.status, CONTROLLER_MANAGER, annotations);
  return delayUntil(ctx, result.wakeAt);
}

export function reconcileStatefulSet(ctx: SimContext, namespace: string, name: string): number | undefined {
  const sts = live(ctx, "StatefulSet", namespace, name);
  if (!sts) return undefined;
  const plan = planStatefulSet(sts, ctx.cache.ownedBy(sts.metadata.uid, "Pod"), (claim) =>
    Boolean(ctx.cache.get("PersistentVolumeClaim", namespace, claim)),
  );
  for (const claim of plan.createClaims) {
    ctx.writer.create("PersistentVolumeClaim", claim, CONTROLLER_MANAGER);
    const pod = `${name}-${/-(\d+)$/.exec(claim.metadata.name ?? "")?.[1] ?? "0"}`;
    const message = `create Claim ${claim.metadata.name} Pod ${pod} in StatefulSet ${name} success`;
    record(ctx, [{ involved: sts, type: "Normal", reason: "SuccessfulCreate", message, source: SOURCES.statefulSet }]);
  }
  applyPodChanges(ctx, { create: plan.createPods, delete: plan.deletePods }, sts, "statefulSet");
  const result = statefulSetStatus(sts, ctx.cache.ownedBy(sts.metadata.uid, "Pod"), ctx.now());
  ctx.writer.status("StatefulSet", sts, result.status, CONTROLLER_MANAGER);
  return delayUntil(ctx, result.wakeAt);
}

export function reconcileDaemonSet(ctx: SimContext, namespace: string, name: string): number | undefined {
  const ds = live(ctx, "DaemonSet", namespace, name);
  if (!ds) return undefined;
  const node = ctx.cache.get("Node", "", ctx.settings.nodeName);
  applyPodChanges(ctx, daemonSetChanges(ds, ctx.cache.ownedBy(ds.metadata.uid, "Pod"), node), ds, "daemonSet");
  const result = daemonSetStatus(ds, ctx.cache.ownedBy(ds.metadata.uid, "Pod"), node, ctx.now());
  ctx.writer.status("DaemonSet", ds, result.status, CONTROLLER_MANAGER);
  return delayUntil(ctx, result.wakeAt);
}

export function reconcileJob(ctx: SimContext, namespace: string, name: string): number | undefined {
  const job = live(ctx, "Job", namespace, name);
  if (!job) return undefined;
  const plan = planJob({
    job,
    pods: ctx.cache.ownedBy(job.metadata.uid, "Pod"),
    now: ctx.now(),
    nowStamp: ctx.stamp(),
    settings: ctx.settings,
  });
  applyPodChanges(ctx, plan, job, "job");
  if (plan.deleteJob) {
    ctx.writer.delete("Job", job);
    return undefined;
  }
  const events = jobEvents(job, plan.status);
  ctx.writer.status("Job", job, plan.status, CONTROLLER_MANAGER);
  record(ctx, events);
  return delayUntil(ctx, plan.wakeAt);
}

const SCALABLE = new Set(["Deployment", "StatefulSet", "ReplicaSet"]);

export function reconcileAutoscaler(ctx: SimContext, namespace: string, name: string): number | undefined {
  const hpa = ctx.cache.get("HorizontalPodAutoscaler", namespace, name);
  if (!hpa || isDeleting(hpa)) return undefined;
  const ref = ((hpa.spec as Record<string, unknown> | undefined)?.scaleTargetRef ?? {}) as Record<string, unknown>;
  const kind = String(ref.kind ?? "");
  const workload = SCALABLE.has(kind)
    ? ctx.cache.get(kind as "Deployment" | "StatefulSet" | "ReplicaSet", namespace, String(ref.name ?? ""))
    : undefined;
  const replicas = workload ? Number((workload.spec as Record<string, unknown> | undefined)?.replicas ?? 1) : undefined;
  const plan = planAutoscaler({ hpa, currentReplicas: replicas, now: ctx.now(), nowStamp: ctx.stamp() });
  if (workload && plan.scaleTo !== undefined) {
    ctx.writer.scale(kind as "Deployment" | "StatefulSet" | "ReplicaSet", workload, plan.scaleTo, CONTROLLER_MANAGER);
    const direction = plan.scaleTo > (replicas ?? 0) ? "above" : "below";
    const message = `New size: ${plan.scaleTo}; reason: cpu resource utilization (percentage of request) ${direction} target`;
    record(ctx, [{ involved: hpa, type: "Normal", reason: "SuccessfulRescale", message, source: SOURCES.autoscaler }]);
  }
  ctx.writer.status("HorizontalPodAutoscaler", hpa, plan.status, CONTROLLER_MANAGER);
  // The controller looks at every HPA again every 15 s (--horizontal-pod-autoscaler-sync-period).
  return 15_000;
}
