import { groupOf, type KubeObject } from "./object.js";

/**
 * The order users expect objects to be applied in: what others depend on first (Namespaces, CRDs,
 * identities and permissions, configuration, storage, Services), then workloads, then the rest.
 * Custom resources come last, after their CRDs; deletion runs in reverse.
 */
const KIND_ORDER: readonly string[] = [
  "Namespace",
  "CustomResourceDefinition",
  "ResourceQuota",
  "LimitRange",
  "PriorityClass",
  "NetworkPolicy",
  "PodDisruptionBudget",
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Secret",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "Service",
  "Endpoints",
  "EndpointSlice",
  "DaemonSet",
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];

/** Built-in API groups: a kind in one of these is never a custom resource. */
const BUILTIN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "admissionregistration.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "certificates.k8s.io",
  "node.k8s.io",
  "events.k8s.io",
]);

const UNKNOWN_BUILTIN_RANK = KIND_ORDER.length;
const CUSTOM_RESOURCE_RANK = KIND_ORDER.length + 1;

/** Lower applies earlier. Built-in kinds by the table; other built-ins after them; custom resources last. */
export function kindRank(apiVersion: string, kind: string): number {
  const group = groupOf(apiVersion);
  if (!BUILTIN_GROUPS.has(group)) return CUSTOM_RESOURCE_RANK;
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? UNKNOWN_BUILTIN_RANK : i;
}

function compareForApply(a: KubeObject, b: KubeObject): number {
  // Objects come from users' files: apiVersion or kind may be missing; they still sort (and fail later).
  const [av, bv, ak, bk] = [a.apiVersion ?? "", b.apiVersion ?? "", a.kind ?? "", b.kind ?? ""];
  return (
    kindRank(av, ak) - kindRank(bv, bk) ||
    ak.localeCompare(bk) ||
    (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
    (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "")
  );
}

/** A new array in apply order. Stable and deterministic: kind rank, kind, namespace, name. */
export function orderForApply<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort(compareForApply);
}

/** A new array in delete order: the reverse of apply order. */
export function orderForDelete<T extends KubeObject>(objects: readonly T[]): T[] {
  return orderForApply(objects).reverse();
}
