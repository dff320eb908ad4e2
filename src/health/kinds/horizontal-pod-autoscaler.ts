// autoscaling/HorizontalPodAutoscaler. autoscaling/v2 keeps the controller's conditions in status.conditions;
// an object read as autoscaling/v1 carries the same conditions as JSON in an annotation.
//
//   AbleToScale=False                      → Degraded  (it cannot read or update the target's scale)
//   ScalingActive=False, ScalingDisabled   → Suspended (the target was scaled to 0 replicas; the autoscaler
//                                                       stays off until someone scales it up again)
//   ScalingActive=False, any other reason  → Degraded  (metrics cannot be read, invalid selector, …)
//   no conditions yet                      → Progressing (the controller has not evaluated it yet)
//   otherwise                              → Healthy
import type { Health, KubeObject } from "../../api/index.js";
import { type Condition, conditionsOf, findCondition, num, parseConditions, str } from "../fields.js";
import { degraded, healthy, type KindRule, progressing, suspended } from "../rule.js";
import { describeCondition } from "../text.js";

export const V1_CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions";

function autoscalerConditions(obj: KubeObject): Condition[] {
  const fromStatus = conditionsOf(obj);
  if (fromStatus.length > 0) return fromStatus;
  const annotation = str(obj, "metadata", "annotations", V1_CONDITIONS_ANNOTATION);
  if (annotation === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(annotation);
    return Array.isArray(parsed) ? parseConditions(parsed) : [];
  } catch {
    return [];
  }
}

export function horizontalPodAutoscalerHealth(obj: KubeObject): Health {
  const conditions = autoscalerConditions(obj);
  const able = findCondition(conditions, "AbleToScale");
  if (able?.status === "False") return degraded(`Cannot scale the target: ${describeCondition(able)}`);
  const active = findCondition(conditions, "ScalingActive");
  if (active?.status === "False") {
    if (active.reason === "ScalingDisabled") return suspended(`Autoscaling is off: ${describeCondition(active)}`);
    return degraded(`Autoscaling is not working: ${describeCondition(active)}`);
  }
  if (conditions.length === 0) return progressing("Waiting for the autoscaler's first evaluation (no conditions yet)");

  const current = num(obj, "status", "currentReplicas") ?? 0;
  const desired = num(obj, "status", "desiredReplicas") ?? 0;
  const limited = findCondition(conditions, "ScalingLimited");
  const limit = limited?.status === "True" ? `; ${describeCondition(limited)}` : "";
  return healthy(`${current} current, ${desired} desired replicas${limit}`);
}

export const horizontalPodAutoscalerRule: KindRule = {
  group: "autoscaling",
  kind: "HorizontalPodAutoscaler",
  tracksGeneration: false,
  check: horizontalPodAutoscalerHealth,
};
