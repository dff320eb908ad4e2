// The scale subresource (autoscaling/v1 Scale) of kinds that declare one: Deployments, ReplicaSets,
// StatefulSets and custom resources with `subresources.scale`.

import type { KubeObject } from "../../api/index.js";
import { cloneJson, isRecord, type JsonRecord } from "../../api/index.js";
import { badRequest } from "../errors.js";
import type { ScalePaths } from "../resources/resource-type.js";

function readPath(obj: unknown, path: string): unknown {
  let node = obj;
  for (const part of path.replace(/^\./, "").split(".")) {
    if (!isRecord(node)) return undefined;
    node = node[part];
  }
  return node;
}

function writePath(obj: JsonRecord, path: string, value: unknown): void {
  const parts = path.replace(/^\./, "").split(".");
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(node[part])) node[part] = {};
    node = node[part] as JsonRecord;
  }
  node[parts[parts.length - 1] ?? ""] = value;
}

function selectorString(obj: KubeObject): string | undefined {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const sel = isRecord(spec.selector) ? spec.selector : undefined;
  if (!sel) return undefined;
  const parts = Object.entries(isRecord(sel.matchLabels) ? sel.matchLabels : {}).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!isRecord(e)) continue;
    const values = Array.isArray(e.values) ? e.values.join(",") : "";
    const op = e.operator === "In" ? "in" : e.operator === "NotIn" ? "notin" : undefined;
    if (op) parts.push(`${String(e.key)} ${op} (${values})`);
    else parts.push(e.operator === "Exists" ? String(e.key) : `!${String(e.key)}`);
  }
  return parts.join(",");
}

export function scaleOf(obj: KubeObject, paths: ScalePaths): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const status: JsonRecord = { replicas: readPath(obj, paths.statusReplicasPath) ?? 0 };
  const selector =
    paths.labelSelectorPath === ".status.selector" ? selectorString(obj) : readPath(obj, paths.labelSelectorPath ?? "");
  if (typeof selector === "string" && selector) status.selector = selector;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: readPath(obj, paths.specReplicasPath) ?? 0 },
    status,
  };
}

/** The object with the replicas a Scale asks for. */
export function withScale(obj: KubeObject, paths: ScalePaths, scale: unknown): KubeObject {
  const replicas = isRecord(scale) && isRecord(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
    throw badRequest("spec.replicas of a Scale must be a non-negative integer");
  const out = cloneJson(obj);
  writePath(out, paths.specReplicasPath, replicas);
  return out;
}
