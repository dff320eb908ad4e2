// apps/ReplicaSet (usually owned by a Deployment, sometimes applied on its own).
import type { Health, KubeObject } from "../../api/index.js";
import { conditionsOf, findCondition, num } from "../fields.js";
import { degraded, healthy, type KindRule, progressing } from "../rule.js";
import { count, describeCondition } from "../text.js";

export function replicaSetHealth(obj: KubeObject): Health {
  const failure = findCondition(conditionsOf(obj), "ReplicaFailure");
  if (failure?.status === "True")
    return degraded(`Cannot create pods: ${describeCondition(failure, "ReplicaFailure")}`);

  const desired = num(obj, "spec", "replicas") ?? 1;
  const available = num(obj, "status", "availableReplicas") ?? 0;
  if (available < desired)
    return progressing(`Waiting for pods to become available: ${available} of ${count(desired, "replica")}...`);
  if (desired === 0) return healthy("Scaled to 0 replicas");
  return healthy(`${available} of ${count(desired, "replica")} available`);
}

export const replicaSetRule: KindRule = {
  group: "apps",
  kind: "ReplicaSet",
  tracksGeneration: true,
  check: replicaSetHealth,
};
