// The few facts a resource tree shows beside an object, as `kubectl get` would: a Pod's phase, readiness,
// restarts and images; a workload's ready replicas; a claim's phase and size. Pure.
import { groupOf, isRecord, type KubeObject } from "../api/index.js";

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

const num = (value: unknown, ...path: string[]): number | undefined => {
  const v = at(value, ...path);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
};
const str = (value: unknown, ...path: string[]): string | undefined => {
  const v = at(value, ...path);
  return typeof v === "string" && v !== "" ? v : undefined;
};
const items = (value: unknown, ...path: string[]): unknown[] => {
  const v = at(value, ...path);
  return Array.isArray(v) ? v : [];
};

const present = (value: string | undefined): string[] => (value === undefined ? [] : [value]);

/** At most this many images are named (a Pod with many sidecars says "+N"). */
const MAX_IMAGES = 2;

function images(podSpec: unknown): string[] {
  const all = [...new Set(items(podSpec, "containers").flatMap((c) => str(c, "image") ?? []))];
  return all.length > MAX_IMAGES ? [...all.slice(0, MAX_IMAGES), `+${all.length - MAX_IMAGES} more`] : all;
}

function podInfo(pod: KubeObject): string[] {
  const statuses = items(pod, "status", "containerStatuses");
  const containers = items(pod, "spec", "containers").length;
  const ready = statuses.filter((s) => at(s, "ready") === true).length;
  const restarts = statuses.reduce<number>((n, s) => n + (num(s, "restartCount") ?? 0), 0);
  const waiting = statuses.map((s) => str(s, "state", "waiting", "reason")).find((r) => r !== undefined);
  return [
    waiting ?? str(pod, "status", "reason") ?? str(pod, "status", "phase") ?? "Pending",
    `${ready}/${containers} ready`,
    ...(restarts > 0 ? [`${restarts} restart${restarts === 1 ? "" : "s"}`] : []),
    ...images(at(pod, "spec")),
  ];
}

/** "ready/desired replicas" of a workload whose status counts ready replicas. */
function replicas(obj: KubeObject, desired: number | undefined): string[] {
  return [`${num(obj, "status", "readyReplicas") ?? 0}/${desired ?? 1} ready`];
}

const RULES: Record<string, (obj: KubeObject) => string[]> = {
  "/Pod": podInfo,
  "apps/Deployment": (d) => [...replicas(d, num(d, "spec", "replicas")), ...images(at(d, "spec", "template", "spec"))],
  "apps/StatefulSet": (s) => [...replicas(s, num(s, "spec", "replicas")), ...images(at(s, "spec", "template", "spec"))],
  "apps/ReplicaSet": (rs) => {
    const revision = rs.metadata.annotations?.["deployment.kubernetes.io/revision"];
    return [...replicas(rs, num(rs, "spec", "replicas")), ...(revision ? [`revision ${revision}`] : [])];
  },
  "apps/DaemonSet": (ds) => [
    `${num(ds, "status", "numberReady") ?? 0}/${num(ds, "status", "desiredNumberScheduled") ?? 0} ready`,
  ],
  "batch/Job": (job) => [
    `${num(job, "status", "succeeded") ?? 0}/${num(job, "spec", "completions") ?? 1} succeeded`,
    ...(num(job, "status", "active") ? [`${num(job, "status", "active")} active`] : []),
  ],
  "batch/CronJob": (cj) => [
    str(cj, "spec", "schedule") ?? "",
    ...(at(cj, "spec", "suspend") === true ? ["suspended"] : []),
  ],
  "/PersistentVolumeClaim": (pvc) => [
    str(pvc, "status", "phase") ?? "Pending",
    ...present(str(pvc, "status", "capacity", "storage") ?? str(pvc, "spec", "resources", "requests", "storage")),
  ],
  "/Service": (svc) => [str(svc, "spec", "type") ?? "ClusterIP", ...present(str(svc, "spec", "clusterIP"))],
  "discovery.k8s.io/EndpointSlice": (slice) => {
    const endpoints = items(slice, "endpoints");
    const ready = endpoints.filter((e) => at(e, "conditions", "ready") !== false).length;
    return [`${ready}/${endpoints.length} endpoints ready`];
  },
};

/** What to show beside obj; [] for kinds without facts worth a glance. */
export function infoOf(obj: KubeObject): string[] {
  return (RULES[`${groupOf(obj.apiVersion)}/${obj.kind}`]?.(obj) ?? []).filter((s) => s !== "");
}
