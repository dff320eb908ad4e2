// The DaemonSet controller on a one-node cluster: one pod on the node when the node is Ready and the pod
// template's nodeSelector/affinity allow it; rolling updates replace it (maxUnavailable 1), OnDelete waits
// for someone to delete it. Pods are labelled with the template hash (`controller-revision-hash`) and
// `pod-template-generation`, pinned to the node by node affinity, and tolerate what the real controller
// makes them tolerate.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { num, rec, str } from "./fields.js";
import { nodeIsReady } from "./node.js";
import { podFromTemplate } from "./pod-factory.js";
import { availability, isActive, podsToDelete } from "./pod-sets.js";
import type { PodChanges, StatusResult } from "./replica-set.js";
import { fitsNode } from "./scheduler.js";
import { templateHash } from "./template-hash.js";

const REVISION_LABEL = "controller-revision-hash";

export function daemonSetRevision(ds: KubeObject): string {
  return templateHash(rec(ds, "spec", "template") ?? {});
}

const TOLERATIONS = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

function pinToNode(spec: JsonRecord, nodeName: string): void {
  const affinity = rec(spec, "affinity") ?? {};
  const nodeAffinity = rec(affinity, "nodeAffinity") ?? {};
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }],
  };
  spec.affinity = { ...affinity, nodeAffinity };
  const own = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const keys = new Set(own.map((t) => str(t, "key")));
  spec.tolerations = [...own, ...TOLERATIONS.filter((t) => !keys.has(t.key))];
}

function daemonPod(ds: KubeObject, node: KubeObject): KubeObject {
  return podFromTemplate({
    owner: ds,
    template: rec(ds, "spec", "template"),
    generateName: `${ds.metadata.name ?? ""}-`,
    labels: {
      [REVISION_LABEL]: daemonSetRevision(ds),
      "pod-template-generation": String(ds.metadata.generation ?? 1),
    },
    adjustSpec: (spec) => pinToNode(spec, node.metadata.name ?? ""),
  });
}

/** Whether the DaemonSet wants a pod on the node. */
export function wantsNode(ds: KubeObject, node: KubeObject | undefined): node is KubeObject {
  if (!node || !nodeIsReady(node)) return false;
  const spec = rec(ds, "spec", "template", "spec") ?? {};
  return fitsNode({ apiVersion: "v1", kind: "Pod", metadata: {}, spec }, node);
}

function isUpdated(ds: KubeObject, pod: KubeObject): boolean {
  return pod.metadata.labels?.[REVISION_LABEL] === daemonSetRevision(ds);
}

/** The pod to create, or the pods to delete (extras, or an outdated one under RollingUpdate). */
export function daemonSetChanges(
  ds: KubeObject,
  pods: readonly KubeObject[],
  node: KubeObject | undefined,
): PodChanges {
  const active = pods.filter(isActive);
  if (!wantsNode(ds, node)) return { create: [], delete: active };
  if (active.length === 0) return { create: [daemonPod(ds, node)], delete: [] };
  if (active.length > 1) {
    const keep = active.find((p) => isUpdated(ds, p)) ?? active[0];
    return { create: [], delete: active.filter((p) => p !== keep) };
  }
  const rolling = (str(ds, "spec", "updateStrategy", "type") ?? "RollingUpdate") === "RollingUpdate";
  if (rolling && !isUpdated(ds, active[0] as KubeObject)) return { create: [], delete: podsToDelete(active, 1) };
  return { create: [], delete: [] };
}

/** The status the DaemonSet controller writes. */
export function daemonSetStatus(
  ds: KubeObject,
  pods: readonly KubeObject[],
  node: KubeObject | undefined,
  now: number,
): StatusResult {
  const active = pods.filter(isActive);
  const desired = wantsNode(ds, node) ? 1 : 0;
  const scheduled = active.filter((p) => str(p, "spec", "nodeName") === node?.metadata.name);
  const avail = availability(scheduled, num(ds, "spec", "minReadySeconds") ?? 0, now);
  const status: JsonRecord = {
    currentNumberScheduled: Math.min(scheduled.length, desired),
    numberMisscheduled: desired === 0 ? scheduled.length : 0,
    desiredNumberScheduled: desired,
    numberReady: avail.ready,
  };
  if (ds.metadata.generation !== undefined) status.observedGeneration = ds.metadata.generation;
  const updated = scheduled.filter((p) => isUpdated(ds, p)).length;
  if (updated > 0) status.updatedNumberScheduled = updated;
  if (avail.available > 0) status.numberAvailable = avail.available;
  const unavailable = desired - Math.min(desired, avail.available);
  if (unavailable > 0) status.numberUnavailable = unavailable;
  return avail.wakeAt === undefined ? { status } : { status, wakeAt: avail.wakeAt };
}
