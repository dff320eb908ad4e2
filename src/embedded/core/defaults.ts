// Defaults the API server fills in for the built-in kinds, so objects read back as they do from a real
// cluster (and bosun's diff sees the same normalised shape on both).

import { isRecord, type JsonRecord, recordAt } from "../../api/index.js";

function setDefault(obj: JsonRecord, field: string, value: unknown): void {
  if (obj[field] === undefined) obj[field] = value;
}

function defaultImagePullPolicy(image: unknown): string {
  if (typeof image !== "string") return "IfNotPresent";
  if (image.includes("@")) return "IfNotPresent";
  const lastPart = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastPart.includes(":") ? lastPart.slice(lastPart.indexOf(":") + 1) : "";
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultPorts(ports: unknown): void {
  if (!Array.isArray(ports)) return;
  for (const p of ports) if (isRecord(p)) setDefault(p, "protocol", "TCP");
}

function defaultContainers(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isRecord(c)) continue;
    setDefault(c, "imagePullPolicy", defaultImagePullPolicy(c.image));
    setDefault(c, "terminationMessagePath", "/dev/termination-log");
    setDefault(c, "terminationMessagePolicy", "File");
    setDefault(c, "resources", {});
    defaultPorts(c.ports);
  }
}

export function defaultPodSpec(spec: JsonRecord | undefined): void {
  if (!spec) return;
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "schedulerName", "default-scheduler");
}

function templateSpec(spec: JsonRecord | undefined): JsonRecord | undefined {
  return recordAt(recordAt(spec, "template"), "spec");
}

function defaultDeployment(spec: JsonRecord): void {
  setDefault(spec, "replicas", 1);
  setDefault(spec, "progressDeadlineSeconds", 600);
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "strategy", {});
  const strategy = recordAt(spec, "strategy");
  if (strategy) {
    setDefault(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      setDefault(strategy, "rollingUpdate", {});
      const ru = recordAt(strategy, "rollingUpdate");
      if (ru) {
        setDefault(ru, "maxUnavailable", "25%");
        setDefault(ru, "maxSurge", "25%");
      }
    }
  }
}

function defaultStatefulSet(spec: JsonRecord): void {
  setDefault(spec, "replicas", 1);
  setDefault(spec, "podManagementPolicy", "OrderedReady");
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "updateStrategy", { type: "RollingUpdate", rollingUpdate: { partition: 0 } });
  setDefault(spec, "persistentVolumeClaimRetentionPolicy", { whenDeleted: "Retain", whenScaled: "Retain" });
}

function defaultDaemonSet(spec: JsonRecord): void {
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "updateStrategy", { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
}

function defaultJob(spec: JsonRecord): void {
  setDefault(spec, "parallelism", 1);
  setDefault(spec, "completions", 1);
  setDefault(spec, "backoffLimit", 6);
  setDefault(spec, "completionMode", "NonIndexed");
  setDefault(spec, "suspend", false);
  setDefault(spec, "podReplacementPolicy", "TerminatingOrFailed");
}

function defaultService(spec: JsonRecord): void {
  setDefault(spec, "type", "ClusterIP");
  setDefault(spec, "sessionAffinity", "None");
  setDefault(spec, "internalTrafficPolicy", "Cluster");
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isRecord(p)) continue;
      setDefault(p, "protocol", "TCP");
      setDefault(p, "targetPort", p.port);
    }
  }
}

function defaultSecret(obj: JsonRecord): void {
  setDefault(obj, "type", "Opaque");
  const stringData = recordAt(obj, "stringData");
  if (!stringData) return;
  const data: JsonRecord = { ...(recordAt(obj, "data") ?? {}) };
  for (const [k, v] of Object.entries(stringData))
    if (typeof v === "string") data[k] = Buffer.from(v).toString("base64");
  obj.data = data;
  delete obj.stringData;
}

function defaultNamespace(obj: JsonRecord): void {
  const metadata = recordAt(obj, "metadata");
  if (metadata && typeof metadata.name === "string") {
    metadata.labels = { ...(recordAt(metadata, "labels") ?? {}), "kubernetes.io/metadata.name": metadata.name };
  }
  setDefault(obj, "spec", {});
  const spec = recordAt(obj, "spec");
  if (spec) setDefault(spec, "finalizers", ["kubernetes"]);
  setDefault(obj, "status", {});
  const status = recordAt(obj, "status");
  if (status) setDefault(status, "phase", "Active");
}

const WORKLOAD_DEFAULTS: Readonly<Record<string, (spec: JsonRecord) => void>> = {
  "apps/Deployment": defaultDeployment,
  "apps/StatefulSet": defaultStatefulSet,
  "apps/DaemonSet": defaultDaemonSet,
  "apps/ReplicaSet": (spec) => setDefault(spec, "replicas", 1),
  "batch/Job": defaultJob,
};

/** autoscaling/v2: at least one replica, and 80% CPU when no metric is named. */
function defaultAutoscaler(spec: JsonRecord): void {
  setDefault(spec, "minReplicas", 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0)
    spec.metrics = [
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
    ];
}

/** Fills in defaults in place. `group/kind` of a built-in kind; other kinds are left as they are. */
export function applyDefaults(group: string, kind: string, obj: JsonRecord): void {
  const spec = recordAt(obj, "spec");
  if (group === "autoscaling" && kind === "HorizontalPodAutoscaler" && spec) {
    defaultAutoscaler(spec);
    return;
  }
  const workload = WORKLOAD_DEFAULTS[`${group}/${kind}`];
  if (workload && spec) {
    workload(spec);
    defaultPodSpec(templateSpec(spec));
    return;
  }
  if (group === "batch" && kind === "CronJob" && spec) {
    setDefault(spec, "concurrencyPolicy", "Allow");
    setDefault(spec, "suspend", false);
    setDefault(spec, "successfulJobsHistoryLimit", 3);
    setDefault(spec, "failedJobsHistoryLimit", 1);
    const jobSpec = recordAt(recordAt(spec, "jobTemplate"), "spec");
    if (jobSpec) defaultPodSpec(templateSpec(jobSpec));
    return;
  }
  if (group !== "") return;
  if (kind === "Pod") defaultPodSpec(spec);
  else if (kind === "Service" && spec) defaultService(spec);
  else if (kind === "Secret") defaultSecret(obj);
  else if (kind === "Namespace") defaultNamespace(obj);
}
