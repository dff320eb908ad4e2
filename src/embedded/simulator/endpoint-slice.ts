// What kube-controller-manager's EndpointSlice controller keeps for a Service with a selector: one slice of
// the addresses of the Pods it selects (ready or not, as conditions say), with the Service's ports. Pure.
import { type JsonRecord, jsonEqual, type KubeObject } from "../../api/index.js";
import { arr, bool, num, str, stringMap } from "./fields.js";
import { controllerReference } from "./owners.js";
import { stableNumber } from "./template-hash.js";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
const MANAGED_BY = "endpointslice-controller.k8s.io";
const SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";

/** The Service's selector when it has one (no selector, or ExternalName: it has no managed slice). */
export function serviceSelector(svc: KubeObject): Record<string, string> | undefined {
  if (str(svc, "spec", "type") === "ExternalName") return undefined;
  const selector = stringMap(svc, "spec", "selector");
  return Object.keys(selector).length > 0 ? selector : undefined;
}

export function selects(selector: Record<string, string>, pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** `<service>-<5 characters>`, as generateName gives it, but the same for the same Service every time. */
export function sliceName(svc: KubeObject): string {
  let n = stableNumber(`${svc.metadata.namespace}/${svc.metadata.name}/${svc.metadata.uid}`);
  let suffix = "";
  for (let i = 0; i < 5; i++) {
    suffix += SUFFIX_CHARS[n % SUFFIX_CHARS.length];
    n = Math.floor(n / SUFFIX_CHARS.length);
  }
  return `${svc.metadata.name}-${suffix}`;
}

function ready(pod: KubeObject): boolean {
  return arr(pod, "status", "conditions").some((c) => str(c, "type") === "Ready" && str(c, "status") === "True");
}

/** A named target port is the port of the first container port of that name in the Pod. */
function targetPort(port: unknown, pods: readonly KubeObject[]): number | undefined {
  const target = (port as JsonRecord | undefined)?.targetPort;
  if (typeof target === "number") return target;
  if (typeof target !== "string") return num(port, "port");
  for (const pod of pods)
    for (const container of arr(pod, "spec", "containers"))
      for (const p of arr(container, "ports")) if (str(p, "name") === target) return num(p, "containerPort");
  return undefined;
}

function endpointOf(pod: KubeObject): JsonRecord {
  const isReady = ready(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const nodeName = str(pod, "spec", "nodeName");
  return {
    addresses: [str(pod, "status", "podIP")],
    conditions: { ready: isReady && !terminating, serving: isReady, terminating },
    ...(nodeName ? { nodeName } : {}),
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

/** The slice the Service should have given the Pods of its namespace; undefined when it should have none. */
export function desiredSlice(svc: KubeObject, podsInNamespace: readonly KubeObject[]): KubeObject | undefined {
  const selector = serviceSelector(svc);
  if (!selector || !svc.metadata.uid) return undefined;
  const pods = podsInNamespace
    .filter((p) => selects(selector, p) && str(p, "status", "podIP") && !bool(p, "spec", "hostNetwork"))
    .sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  const ports = arr(svc, "spec", "ports").map((p) => ({
    name: str(p, "name") ?? "",
    port: targetPort(p, pods),
    protocol: str(p, "protocol") ?? "TCP",
  }));
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: sliceName(svc),
      namespace: svc.metadata.namespace,
      labels: { ...svc.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY, [SERVICE_NAME_LABEL]: svc.metadata.name ?? "" },
      ownerReferences: [controllerReference(svc)],
    },
    addressType: "IPv4",
    ...(pods.length > 0 ? { endpoints: pods.map(endpointOf) } : {}),
    ports,
  } as KubeObject;
}

/** Whether the live slice already says what the desired one does (labels, owner, endpoints, ports). */
export function sliceCurrent(live: KubeObject, desired: KubeObject): boolean {
  const part = (o: KubeObject) => [
    o.metadata.labels,
    o.metadata.ownerReferences,
    (o as JsonRecord).addressType,
    (o as JsonRecord).endpoints ?? [],
    (o as JsonRecord).ports ?? [],
  ];
  return jsonEqual(part(live), part(desired));
}
