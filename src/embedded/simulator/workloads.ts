// The controller-manager side of the simulation: each workload controller's plan carried out through the
// writer, then the status written from what the cache holds afterwards.

import type { KubeObject } from "../../api/index.js";
import { delayUntil, type SimContext } from "./context.js";
import { daemonSetChanges, daemonSetStatus } from "./daemon-set.js";
import { findNewReplicaSet, planRollout, REVISION, revisionOf } from "./deployment-rollout.js";
import { deploymentStatus } from "./deployment-status.js";
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

function applyPodChanges(ctx: SimContext, changes: PodChanges): void {
  for (const pod of changes.delete) ctx.writer.delete("Pod", pod);
  for (const pod of changes.create) ctx.writer.create("Pod", pod, CONTROLLER_MANAGER);
}

export function reconcileReplicaSet(ctx: SimContext, namespace: string, name: string): number | undefined {
  const rs = live(ctx, "ReplicaSet", namespace, name);
  if (!rs) return undefined;
  applyPodChanges(ctx, replicaSetChanges(rs, ctx.cache.ownedBy(rs.metadata.uid, "Pod")));
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
  if (plan.create) ctx.writer.create("ReplicaSet", plan.create, CONTROLLER_MANAGER);
  for (const write of plan.scale) {
    const rs = ctx.cache.get("ReplicaSet", namespace, write.name);
    if (!rs) continue;
    const metadata = { ...rs.metadata, annotations: { ...rs.metadata.annotations, ...write.annotations } };
    const spec = { ...(rs.spec as Record<string, unknown>), replicas: write.replicas };
    ctx.writer.update("ReplicaSet", rs, { ...rs, metadata, spec }, CONTROLLER_MANAGER);
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
  for (const claim of plan.createClaims) ctx.writer.create("PersistentVolumeClaim", claim, CONTROLLER_MANAGER);
  applyPodChanges(ctx, { create: plan.createPods, delete: plan.deletePods });
  const result = statefulSetStatus(sts, ctx.cache.ownedBy(sts.metadata.uid, "Pod"), ctx.now());
  ctx.writer.status("StatefulSet", sts, result.status, CONTROLLER_MANAGER);
  return delayUntil(ctx, result.wakeAt);
}

export function reconcileDaemonSet(ctx: SimContext, namespace: string, name: string): number | undefined {
  const ds = live(ctx, "DaemonSet", namespace, name);
  if (!ds) return undefined;
  const node = ctx.cache.get("Node", "", ctx.settings.nodeName);
  applyPodChanges(ctx, daemonSetChanges(ds, ctx.cache.ownedBy(ds.metadata.uid, "Pod"), node));
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
  applyPodChanges(ctx, plan);
  if (plan.deleteJob) {
    ctx.writer.delete("Job", job);
    return undefined;
  }
  ctx.writer.status("Job", job, plan.status, CONTROLLER_MANAGER);
  return delayUntil(ctx, plan.wakeAt);
}
