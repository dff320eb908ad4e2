// apps/Deployment, judged the way `kubectl rollout status` and Argo CD judge a rollout.
import type { Health, KubeObject } from "../../api/index.js";
import { bool, conditionsOf, findCondition, num } from "../fields.js";
import { degraded, healthy, type KindRule, progressing, suspended } from "../rule.js";
import { count, isAre } from "../text.js";

export function deploymentHealth(obj: KubeObject): Health {
  if (bool(obj, "spec", "paused") === true)
    return suspended("Deployment is paused: no rollout happens until spec.paused is removed");

  const progress = findCondition(conditionsOf(obj), "Progressing");
  if (progress?.reason === "ProgressDeadlineExceeded") {
    const deadline = num(obj, "spec", "progressDeadlineSeconds") ?? 600;
    const said = progress.message ? `: ${progress.message}` : "";
    return degraded(`Rollout made no progress for ${deadline}s (ProgressDeadlineExceeded)${said}`);
  }

  const desired = num(obj, "spec", "replicas") ?? 1;
  const replicas = num(obj, "status", "replicas") ?? 0;
  const updated = num(obj, "status", "updatedReplicas") ?? 0;
  const available = num(obj, "status", "availableReplicas") ?? 0;
  if (updated < desired)
    return progressing(`Waiting for rollout to finish: ${updated} of ${count(desired, "replica")} updated so far...`);
  if (replicas > updated) {
    const old = replicas - updated;
    return progressing(
      `Waiting for rollout to finish: ${count(old, "old replica")} ${isAre(old)} pending termination...`,
    );
  }
  if (available < updated)
    return progressing(`Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`);
  if (desired === 0) return healthy("Scaled to 0 replicas");
  return healthy(`Rollout complete: ${available} of ${count(desired, "replica")} updated and available`);
}

export const deploymentRule: KindRule = {
  group: "apps",
  kind: "Deployment",
  tracksGeneration: true,
  check: deploymentHealth,
};
