// The simulated scheduler: binds a pod to the one node when the pod's nodeSelector and required node
// affinity allow it (labels with In/NotIn/Exists/DoesNotExist, metadata.name fields), else reports it
// Unschedulable. Taints, resources and pod affinity are not simulated.

import type { KubeObject } from "../../api/index.js";
import { isRecord } from "../../api/index.js";
import { arr, str, stringMap } from "./fields.js";

function matchesExpression(expr: unknown, value: string | undefined): boolean {
  const values = arr(expr, "values").filter((v): v is string => typeof v === "string");
  switch (str(expr, "operator")) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    default:
      return false;
  }
}

function matchesTerm(term: unknown, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const byLabel = arr(term, "matchExpressions").every((e) => matchesExpression(e, labels[str(e, "key") ?? ""]));
  const byField = arr(term, "matchFields").every(
    (e) => str(e, "key") === "metadata.name" && matchesExpression(e, node.metadata.name),
  );
  return byLabel && byField;
}

/** Whether the pod may run on the node. */
export function fitsNode(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = stringMap(pod, "spec", "nodeSelector");
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) return false;
  const terms = arr(
    pod,
    "spec",
    "affinity",
    "nodeAffinity",
    "requiredDuringSchedulingIgnoredDuringExecution",
    "nodeSelectorTerms",
  ).filter(isRecord);
  return terms.length === 0 || terms.some((t) => matchesTerm(t, node));
}

/** Whether the pod has been reported Unschedulable already. */
export function markedUnschedulable(pod: KubeObject): boolean {
  return arr(pod, "status", "conditions").some(
    (c) => str(c, "type") === "PodScheduled" && str(c, "reason") === "Unschedulable",
  );
}
