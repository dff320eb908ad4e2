// Namespaced or cluster-scoped, without a cluster: discovery when the caller has it, else the built-in
// cluster-scoped kinds, else a CRD in the same render, else namespaced.
import { groupOf, type KubeObject } from "../api/index.js";
import type { IsNamespaced } from "./types.js";

/** Built-in cluster-scoped kinds, as `group/Kind` ("" group for the core API). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "/ComponentStatus",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/VolumeAttachment",
  "storage.k8s.io/VolumeAttributesClass",
  "scheduling.k8s.io/PriorityClass",
  "networking.k8s.io/IngressClass",
  "networking.k8s.io/IPAddress",
  "networking.k8s.io/ServiceCIDR",
  "node.k8s.io/RuntimeClass",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "admissionregistration.k8s.io/MutatingAdmissionPolicy",
  "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
  "certificates.k8s.io/CertificateSigningRequest",
  "certificates.k8s.io/ClusterTrustBundle",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "resource.k8s.io/DeviceClass",
  "resource.k8s.io/ResourceSlice",
  "authentication.k8s.io/TokenReview",
  "authentication.k8s.io/SelfSubjectReview",
  "authorization.k8s.io/SubjectAccessReview",
  "authorization.k8s.io/SelfSubjectAccessReview",
  "authorization.k8s.io/SelfSubjectRulesReview",
  "internal.apiserver.k8s.io/StorageVersion",
  "storagemigration.k8s.io/StorageVersionMigration",
  "policy/PodSecurityPolicy",
]);

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Scopes declared by CustomResourceDefinitions among the objects: `group/Kind` → namespaced. */
export function crdScopes(objects: readonly KubeObject[]): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== "CustomResourceDefinition" || groupOf(o.apiVersion) !== "apiextensions.k8s.io") continue;
    const spec = o.spec;
    const group = field(spec, "group");
    const kind = field(field(spec, "names"), "kind");
    const scope = field(spec, "scope");
    if (typeof group !== "string" || typeof kind !== "string") continue;
    if (scope === "Cluster" || scope === "Namespaced") scopes.set(`${group}/${kind}`, scope === "Namespaced");
  }
  return scopes;
}

/** The scope of every kind among `objects`, deciding as described at the top of this file. */
export function scopeOf(options: {
  isNamespaced?: IsNamespaced;
  objects: readonly KubeObject[];
}): (apiVersion: string, kind: string) => boolean {
  const crds = crdScopes(options.objects);
  return (apiVersion, kind) => {
    const known = options.isNamespaced?.(apiVersion, kind);
    if (known !== undefined) return known;
    const key = `${groupOf(apiVersion)}/${kind}`;
    if (CLUSTER_SCOPED_KINDS.has(key)) return false;
    return crds.get(key) ?? true;
  };
}
