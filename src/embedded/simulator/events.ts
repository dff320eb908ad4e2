// The Events the real controllers, scheduler and kubelet record, as the simulator's counterparts record them:
// ScalingReplicaSet, SuccessfulCreate/SuccessfulDelete, Completed, Scheduled, Pulled/Created/Started and
// BackOff, in the core/v1 form `kubectl get events` and `kubectl describe` show. Pure: what to record.

import type { JsonRecord, KubeObject } from "../../api/index.js";

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecord {
  involved: KubeObject;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  source: EventSource;
}

export const SOURCES = {
  deployment: { component: "deployment-controller" },
  replicaSet: { component: "replicaset-controller" },
  statefulSet: { component: "statefulset-controller" },
  daemonSet: { component: "daemonset-controller" },
  job: { component: "job-controller" },
  scheduler: { component: "default-scheduler" },
  autoscaler: { component: "horizontal-pod-autoscaler" },
} as const satisfies Record<string, EventSource>;

let sequence = 0n;

/** The Event object: named as client-go names them (`<object>.<hex nanoseconds>`), in the object's namespace. */
export function eventObject(record: EventRecord, stamp: string, nowMs: number): KubeObject {
  const { involved } = record;
  sequence = (sequence + 1n) % 1_000_000n;
  const nanos = BigInt(nowMs) * 1_000_000n + sequence;
  const name = involved.metadata.name ?? "";
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${nanos.toString(16)}`, namespace: involved.metadata.namespace || "default" },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name,
      ...(involved.metadata.namespace ? { namespace: involved.metadata.namespace } : {}),
      ...(involved.metadata.uid ? { uid: involved.metadata.uid } : {}),
      ...(involved.metadata.resourceVersion ? { resourceVersion: involved.metadata.resourceVersion } : {}),
    },
    reason: record.reason,
    message: record.message,
    source: record.source as unknown as JsonRecord,
    firstTimestamp: stamp,
    lastTimestamp: stamp,
    count: 1,
    type: record.type,
    eventTime: null,
    reportingComponent: record.source.component,
    reportingInstance: record.source.host ?? "",
  };
}

function containerStates(pod: KubeObject): Map<string, JsonRecord> {
  const statuses = ((pod.status as JsonRecord | undefined)?.containerStatuses as JsonRecord[] | undefined) ?? [];
  return new Map(statuses.map((s) => [String(s.name), s]));
}

function imageOf(pod: KubeObject, container: string): string {
  const containers = ((pod.spec as JsonRecord | undefined)?.containers as JsonRecord[] | undefined) ?? [];
  return String(containers.find((c) => c.name === container)?.image ?? "");
}

const isRunning = (s: JsonRecord | undefined) => Boolean((s?.state as JsonRecord | undefined)?.running);
const waitingReason = (s: JsonRecord | undefined) =>
  ((s?.state as JsonRecord | undefined)?.waiting as JsonRecord | undefined)?.reason;

/** The kubelet's Events for a pod whose status goes from `before` to `after`: containers started or backing off. */
export function kubeletEvents(pod: KubeObject, after: JsonRecord, host: string): EventRecord[] {
  const source = { component: "kubelet", host };
  const was = containerStates(pod);
  const now = containerStates({ ...pod, status: after });
  const out: EventRecord[] = [];
  const podName = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  for (const [name, state] of now) {
    const before = was.get(name);
    const restarted = Number(state.restartCount ?? 0) > Number(before?.restartCount ?? 0);
    if (isRunning(state) && (!isRunning(before) || restarted)) {
      const image = imageOf(pod, name);
      out.push(
        {
          involved: pod,
          type: "Normal",
          reason: "Pulled",
          message: `Container image "${image}" already present on machine`,
          source,
        },
        { involved: pod, type: "Normal", reason: "Created", message: `Created container: ${name}`, source },
        { involved: pod, type: "Normal", reason: "Started", message: `Started container ${name}`, source },
      );
    }
    if (waitingReason(state) === "CrashLoopBackOff" && waitingReason(before) !== "CrashLoopBackOff")
      out.push({
        involved: pod,
        type: "Warning",
        reason: "BackOff",
        message: `Back-off restarting failed container ${name} in pod ${podName}`,
        source,
      });
  }
  return out;
}

/** The deployment controller's Event for a ReplicaSet scaled from `from` to `to` replicas. */
export function scalingEvent(deployment: KubeObject, replicaSet: string, from: number, to: number): EventRecord {
  const direction = to > from ? "up" : "down";
  return {
    involved: deployment,
    type: "Normal",
    reason: "ScalingReplicaSet",
    message: `Scaled ${direction} replica set ${replicaSet} from ${from} to ${to}`,
    source: SOURCES.deployment,
  };
}

const hasCondition = (status: unknown, type: string) =>
  ((status as JsonRecord | undefined)?.conditions as JsonRecord[] | undefined)?.some(
    (c) => c.type === type && c.status === "True",
  ) ?? false;

/** The job controller's Event when a Job's status first says Complete (or Failed). */
export function jobEvents(job: KubeObject, after: JsonRecord): EventRecord[] {
  if (hasCondition(after, "Complete") && !hasCondition(job.status, "Complete"))
    return [{ involved: job, type: "Normal", reason: "Completed", message: "Job completed", source: SOURCES.job }];
  if (hasCondition(after, "Failed") && !hasCondition(job.status, "Failed")) {
    const reason = (after.conditions as JsonRecord[]).find((c) => c.type === "Failed")?.reason;
    const message =
      reason === "DeadlineExceeded"
        ? "Job was active longer than specified deadline"
        : "Job has reached the specified backoff limit";
    return [
      {
        involved: job,
        type: "Warning",
        reason: String(reason ?? "BackoffLimitExceeded"),
        message,
        source: SOURCES.job,
      },
    ];
  }
  return [];
}
