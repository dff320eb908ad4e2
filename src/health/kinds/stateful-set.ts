// apps/StatefulSet. What "rolled out" means depends on spec.updateStrategy:
//   OnDelete       pods are replaced only when someone deletes them, so a StatefulSet is healthy once its
//                  pods are ready, whatever revision they run;
//   RollingUpdate  with partition P, only the pods at ordinal >= P are updated; the rollout is complete
//                  when those replicas - P pods are at the update revision (the others keep the current one);
//                  without a partition, when currentRevision has caught up with updateRevision.
import type { Health, KubeObject } from "../../api/index.js";
import { num, str } from "../fields.js";
import { healthy, type KindRule, progressing } from "../rule.js";
import { count } from "../text.js";

interface Counts {
  desired: number;
  ready: number;
  updated: number;
}

function readiness(obj: KubeObject, c: Counts): Health | undefined {
  if (c.ready < c.desired)
    return progressing(`Waiting for pods to be ready: ${c.ready} of ${count(c.desired, "pod")} ready...`);
  // With minReadySeconds a pod counts as available only after it has been ready that long.
  const minReady = num(obj, "spec", "minReadySeconds") ?? 0;
  const available = num(obj, "status", "availableReplicas");
  if (minReady > 0 && available !== undefined && available < c.desired)
    return progressing(
      `Waiting for pods to be available (ready for ${minReady}s): ${available} of ${count(c.desired, "pod")} available...`,
    );
  return undefined;
}

export function statefulSetHealth(obj: KubeObject): Health {
  const c: Counts = {
    desired: num(obj, "spec", "replicas") ?? 1,
    ready: num(obj, "status", "readyReplicas") ?? 0,
    updated: num(obj, "status", "updatedReplicas") ?? 0,
  };
  const notReady = readiness(obj, c);
  if (notReady) return notReady;

  const current = str(obj, "status", "currentRevision");
  const update = str(obj, "status", "updateRevision");
  if (str(obj, "spec", "updateStrategy", "type") === "OnDelete") {
    const stale = update !== undefined && current !== update ? `; pods are updated to ${update} only when deleted` : "";
    return healthy(`${c.ready} of ${count(c.desired, "pod")} ready (updateStrategy OnDelete)${stale}`);
  }

  const partition = num(obj, "spec", "updateStrategy", "rollingUpdate", "partition") ?? 0;
  const rolling = update !== undefined && current !== update;
  if (rolling && partition > 0) {
    const toUpdate = Math.max(0, c.desired - partition);
    if (c.updated < toUpdate)
      return progressing(
        `Waiting for partitioned rollout to finish: ${c.updated} of ${count(toUpdate, "pod")} at ordinal ${partition} or above updated...`,
      );
    return healthy(
      `Partitioned rollout complete: ${count(c.updated, "pod")} at ordinal ${partition} or above updated; ${count(Math.min(partition, c.desired), "pod")} below keep the current revision`,
    );
  }
  if (rolling)
    return progressing(
      `Waiting for rolling update to finish: ${c.updated} of ${count(c.desired, "pod")} at revision ${update}...`,
    );
  return healthy(`Rollout complete: ${c.ready} of ${count(c.desired, "pod")} ready at revision ${current ?? "(none)"}`);
}

export const statefulSetRule: KindRule = {
  group: "apps",
  kind: "StatefulSet",
  tracksGeneration: true,
  check: statefulSetHealth,
};
