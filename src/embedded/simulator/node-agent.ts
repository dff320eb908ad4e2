// The node side of the simulation: the Node object, the scheduler binding pods to it, and the kubelet
// moving each pod through its stages.

import type { KubeObject } from "../../api/index.js";
import type { SimContext } from "./context.js";
import { kubeletEvents, SOURCES } from "./events.js";
import { isDeleting } from "./fields.js";
import { kubeletStep, podStage, stageKey } from "./kubelet.js";
import { NODE_IP, nodeIsReady, nodeObject, nodeStatus, podIPFor } from "./node.js";
import { unschedulableStatus } from "./pod-status.js";
import { fitsNode, markedUnschedulable } from "./scheduler.js";
import { record } from "./workloads.js";
import { KUBELET, SCHEDULER } from "./writer.js";

const RETRY_MS = 1000;

/** Registers the node (as its kubelet would) and keeps it Ready. */
export function reconcileNode(ctx: SimContext, _namespace: string, name: string): number | undefined {
  if (name !== ctx.settings.nodeName) return undefined;
  let node = ctx.cache.get("Node", "", name);
  if (node && isDeleting(node)) return undefined;
  if (!node) node = ctx.writer.create("Node", nodeObject(name), KUBELET);
  if (!nodeIsReady(node)) ctx.writer.status("Node", node, nodeStatus(name, ctx.stamp()), KUBELET);
  return undefined;
}

function schedule(ctx: SimContext, pod: KubeObject): number | undefined {
  const node = ctx.cache.get("Node", "", ctx.settings.nodeName);
  if (!node || !nodeIsReady(node)) return RETRY_MS;
  if (fitsNode(pod, node)) {
    const spec = { ...(pod.spec as Record<string, unknown>), nodeName: ctx.settings.nodeName };
    ctx.writer.update("Pod", pod, { ...pod, spec }, SCHEDULER);
    const message = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${ctx.settings.nodeName}`;
    record(ctx, [{ involved: pod, type: "Normal", reason: "Scheduled", message, source: SOURCES.scheduler }]);
  } else if (!markedUnschedulable(pod)) {
    ctx.writer.status("Pod", pod, { ...(pod.status as object), ...unschedulableStatus(pod, ctx.stamp()) }, SCHEDULER);
  }
  return undefined;
}

/** Schedules an unbound pod; runs a pod bound to the simulated node through its stages. */
export function reconcilePod(ctx: SimContext, namespace: string, name: string): number | undefined {
  const pod = ctx.cache.get("Pod", namespace, name);
  if (!pod) return undefined;
  const uid = pod.metadata.uid ?? "";
  const nodeName = ctx.settings.nodeName;
  const stage = podStage(pod, nodeName);
  if (stage === "unscheduled") return schedule(ctx, pod);
  if (stage === "elsewhere" || stage === "terminating" || stage === "done") {
    ctx.stages.delete(uid);
    return undefined;
  }
  const key = stageKey(pod, nodeName);
  let seen = ctx.stages.get(uid);
  if (!seen || seen.key !== key) {
    seen = { key, since: ctx.elapsed() };
    ctx.stages.set(uid, seen);
  }
  const now = ctx.elapsed();
  const step = kubeletStep(pod, nodeName, {
    now,
    since: seen.since,
    place: { now: ctx.stamp(), hostIP: NODE_IP, podIP: podIPFor(uid) },
    settings: ctx.settings,
  });
  if (step.status) {
    const events = kubeletEvents(pod, step.status, nodeName);
    if (ctx.writer.status("Pod", pod, step.status, KUBELET)) record(ctx, events);
  }
  return step.wakeAt === undefined ? undefined : Math.max(0, step.wakeAt - now);
}
