// Pods as workload controllers create them from a pod template: the template's labels, annotations and
// spec, the controller's ownerReference, a name (or a generateName for the server to complete).

import type { KubeObject } from "../../api/index.js";
import { cloneJson, type JsonRecord } from "../../api/index.js";
import { rec, stringMap } from "./fields.js";
import { controllerReference } from "./owners.js";

export interface PodRequest {
  owner: KubeObject;
  template: unknown;
  /** A fixed name (StatefulSet pods) … */
  name?: string;
  /** … or a prefix the server completes with 5 random characters. */
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Changes to the spec after it is copied (hostname, volumes, affinity). */
  adjustSpec?: (spec: JsonRecord) => void;
}

export function podFromTemplate(req: PodRequest): KubeObject {
  const labels = { ...stringMap(req.template, "metadata", "labels"), ...req.labels };
  const annotations = { ...stringMap(req.template, "metadata", "annotations"), ...req.annotations };
  const metadata: KubeObject["metadata"] = {
    namespace: req.owner.metadata.namespace,
    labels,
    ownerReferences: [controllerReference(req.owner)],
  };
  if (req.name) metadata.name = req.name;
  else metadata.generateName = req.generateName ?? `${req.owner.metadata.name ?? "pod"}-`;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const spec = cloneJson(rec(req.template, "spec") ?? {});
  req.adjustSpec?.(spec);
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}
