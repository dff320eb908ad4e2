// The built-in kinds the embedded server serves: the ones bosun and its users' manifests need.

import { eventsV1FromCore, eventsV1ToCore } from "./event-conversion.js";
import { builtinFieldSchema } from "./field-schema.js";
import type { ResourceType, ScalePaths } from "./resource-type.js";

interface Spec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  status?: boolean;
  scale?: boolean;
  generation?: boolean;
}

const SCALE: ScalePaths = {
  specReplicasPath: ".spec.replicas",
  statusReplicasPath: ".status.replicas",
  labelSelectorPath: ".status.selector",
};

const SPECS: readonly Spec[] = [
  {
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    status: true,
  },
  {
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
    namespaced: true,
    shortNames: ["cm"],
    generation: false,
  },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true, generation: false },
  {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    namespaced: true,
    shortNames: ["svc"],
    status: true,
  },
  {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    namespaced: true,
    shortNames: ["sa"],
    generation: false,
  },
  { group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, shortNames: ["po"], status: true },
  {
    group: "",
    version: "v1",
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
    namespaced: true,
    shortNames: ["pvc"],
    status: true,
  },
  {
    group: "",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
    generation: false,
  },
  {
    group: "",
    version: "v1",
    kind: "Endpoints",
    plural: "endpoints",
    namespaced: true,
    shortNames: ["ep"],
    generation: false,
  },
  { group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false, shortNames: ["no"], status: true },
  {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
    namespaced: true,
    shortNames: ["deploy"],
    status: true,
    scale: true,
  },
  {
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    plural: "statefulsets",
    namespaced: true,
    shortNames: ["sts"],
    status: true,
    scale: true,
  },
  {
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    plural: "daemonsets",
    namespaced: true,
    shortNames: ["ds"],
    status: true,
  },
  {
    group: "apps",
    version: "v1",
    kind: "ReplicaSet",
    plural: "replicasets",
    namespaced: true,
    shortNames: ["rs"],
    status: true,
    scale: true,
  },
  {
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
    generation: false,
  },
  { group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true, status: true },
  { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true },
  {
    group: "batch",
    version: "v1",
    kind: "CronJob",
    plural: "cronjobs",
    namespaced: true,
    shortNames: ["cj"],
    status: true,
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    plural: "ingresses",
    namespaced: true,
    shortNames: ["ing"],
    status: true,
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    namespaced: true,
    shortNames: ["netpol"],
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "Role",
    plural: "roles",
    namespaced: true,
    generation: false,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "RoleBinding",
    plural: "rolebindings",
    namespaced: true,
    generation: false,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRole",
    plural: "clusterroles",
    namespaced: false,
    generation: false,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRoleBinding",
    plural: "clusterrolebindings",
    namespaced: false,
    generation: false,
  },
  {
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
    namespaced: true,
    shortNames: ["pdb"],
    status: true,
  },
  {
    group: "autoscaling",
    version: "v2",
    kind: "HorizontalPodAutoscaler",
    plural: "horizontalpodautoscalers",
    namespaced: true,
    shortNames: ["hpa"],
    status: true,
  },
  { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true, generation: false },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    namespaced: false,
    shortNames: ["crd", "crds"],
    status: true,
  },
];

function categoriesOf(spec: Spec): string[] {
  if (spec.kind === "CustomResourceDefinition") return ["api-extensions"];
  return spec.group === "apps" || ["Pod", "Service", "Job", "CronJob"].includes(spec.kind) ? ["all"] : [];
}

/** What kube-apiserver writes of an Event that has none of these, in each group's names (Go zero values). */
const EVENT_ZEROS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "": {
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: null,
    reportingComponent: "",
    reportingInstance: "",
  },
  "events.k8s.io": {
    eventTime: null,
    deprecatedSource: {},
    deprecatedFirstTimestamp: null,
    deprecatedLastTimestamp: null,
  },
};

/** events.k8s.io/v1 Events: core Events under other names, stored with them. */
const EVENTS_V1: ResourceType["storedAs"] = {
  group: "",
  plural: "events",
  kind: "Event",
  version: "v1",
  fromStorage: eventsV1FromCore,
  toStorage: eventsV1ToCore,
};

function toResourceType(spec: Spec): ResourceType {
  const type: ResourceType = {
    group: spec.group,
    versions: [spec.version],
    kind: spec.kind,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: categoriesOf(spec),
    status: spec.status ?? false,
    builtin: true,
    generation: spec.generation ?? !["Namespace", "Node", "Service", "PersistentVolumeClaim"].includes(spec.kind),
    schema: builtinFieldSchema(spec.kind),
    printerColumns: [],
  };
  if (spec.scale) type.scale = SCALE;
  if (spec.group === "events.k8s.io") type.storedAs = EVENTS_V1;
  if (spec.kind === "Event") type.alwaysEncoded = EVENT_ZEROS[spec.group];
  return type;
}

export const BUILTIN_KINDS: readonly ResourceType[] = SPECS.map(toResourceType);
