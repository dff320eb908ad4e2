// Pod statuses as the kubelet reports them (and, for the `bosun.dev/simulate` failures, exactly as the
// test cluster's kwok stages in test/harness/kwok/bosun-simulate-stages.yaml write them).

import type { KubeObject } from "../../api/index.js";
import { isRecord, type JsonRecord } from "../../api/index.js";
import { conditionList, type NewCondition, orderedConditions } from "./conditions.js";
import { arr, rec, str } from "./fields.js";

/** Where a pod runs and when; the same for every status a pod goes through. */
export interface PodPlace {
  now: string;
  hostIP: string;
  podIP: string;
}

interface Container {
  name: string;
  image: string;
  /** A sidecar: an init container with restartPolicy Always keeps running. */
  sidecar: boolean;
}

function containers(pod: KubeObject, field: "containers" | "initContainers"): Container[] {
  return arr(pod, "spec", field)
    .filter(isRecord)
    .map((c) => ({ name: str(c, "name") ?? "", image: str(c, "image") ?? "", sidecar: c.restartPolicy === "Always" }));
}

function namesOf(list: Container[]): string {
  return `[${list.map((c) => c.name).join(" ")}]`;
}

function hasResources(c: unknown, kind: "requests" | "limits"): boolean {
  return Object.keys(rec(c, "resources", kind) ?? {}).length > 0;
}

function guaranteed(c: unknown): boolean {
  const limits = rec(c, "resources", "limits") ?? {};
  const requests = rec(c, "resources", "requests") ?? limits;
  return ["cpu", "memory"].every((r) => limits[r] !== undefined && requests[r] === limits[r]);
}

/** The pod's QoS class from its containers' requests and limits. */
export function qosClass(pod: KubeObject): string {
  const all = [...arr(pod, "spec", "containers"), ...arr(pod, "spec", "initContainers")];
  if (all.every((c) => !hasResources(c, "requests") && !hasResources(c, "limits"))) return "BestEffort";
  return all.every(guaranteed) ? "Guaranteed" : "Burstable";
}

function startTimeOf(pod: KubeObject, now: string): string {
  return str(pod, "status", "startTime") ?? now;
}

function placed(pod: KubeObject, place: PodPlace, withPodIP: boolean): JsonRecord {
  const out: JsonRecord = { hostIP: place.hostIP, hostIPs: [{ ip: place.hostIP }] };
  if (withPodIP) {
    const ip = pod.spec && (pod.spec as JsonRecord).hostNetwork === true ? place.hostIP : place.podIP;
    out.podIP = ip;
    out.podIPs = [{ ip }];
  }
  out.qosClass = qosClass(pod);
  out.startTime = startTimeOf(pod, place.now);
  return out;
}

function conditions(pod: KubeObject, wanted: NewCondition[], now: string): JsonRecord[] {
  return orderedConditions(conditionList(pod.status), wanted, now);
}

const SCHEDULED: NewCondition = { type: "PodScheduled", status: "True" };

function startedAtOf(pod: KubeObject, field: string, name: string, now: string): string {
  const old = arr(pod, "status", field).find((s) => isRecord(s) && s.name === name);
  return str(old, "state", "running", "startedAt") ?? now;
}

function completedInit(pod: KubeObject, c: Container, now: string): JsonRecord {
  if (c.sidecar)
    return {
      image: c.image,
      name: c.name,
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: startedAtOf(pod, "initContainerStatuses", c.name, now) } },
    };
  return {
    image: c.image,
    name: c.name,
    ready: true,
    restartCount: 0,
    started: false,
    state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } },
  };
}

function withInitStatuses(pod: KubeObject, status: JsonRecord, make: (c: Container) => JsonRecord): JsonRecord {
  const init = containers(pod, "initContainers");
  if (init.length > 0) status.initContainerStatuses = init.map(make);
  return status;
}

/** Accepted by the kubelet, containers being created. */
export function pendingStatus(pod: KubeObject, place: PodPlace): JsonRecord {
  const main = containers(pod, "containers");
  const init = containers(pod, "initContainers");
  const unready = `containers with unready status: ${namesOf(main)}`;
  const initialized: NewCondition =
    init.length > 0
      ? {
          type: "Initialized",
          status: "False",
          reason: "ContainersNotInitialized",
          message: `containers with incomplete status: ${namesOf(init)}`,
        }
      : { type: "Initialized", status: "True" };
  const waiting = init.length > 0 ? "PodInitializing" : "ContainerCreating";
  const status: JsonRecord = {
    phase: "Pending",
    conditions: conditions(
      pod,
      [
        initialized,
        { type: "Ready", status: "False", reason: "ContainersNotReady", message: unready },
        { type: "ContainersReady", status: "False", reason: "ContainersNotReady", message: unready },
        SCHEDULED,
      ],
      place.now,
    ),
    containerStatuses: main.map((c) => ({
      image: c.image,
      name: c.name,
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: waiting } },
    })),
    ...placed(pod, place, false),
  };
  return withInitStatuses(pod, status, (c) => ({
    image: c.image,
    name: c.name,
    ready: false,
    restartCount: 0,
    started: false,
    state: { waiting: { reason: "PodInitializing" } },
  }));
}

export interface RunningOptions {
  ready: boolean;
  /** The Ready condition's reason and message when not ready; default the kubelet's own. */
  unreadyMessage?: string;
}

/** Running; ready or not (a readiness probe that has not passed yet, or never will). */
export function runningStatus(pod: KubeObject, place: PodPlace, options: RunningOptions): JsonRecord {
  const main = containers(pod, "containers");
  const message = options.unreadyMessage ?? `containers with unready status: ${namesOf(main)}`;
  const readiness: NewCondition[] = options.ready
    ? [
        { type: "Ready", status: "True" },
        { type: "ContainersReady", status: "True" },
      ]
    : [
        { type: "Ready", status: "False", reason: "ContainersNotReady", message },
        { type: "ContainersReady", status: "False", reason: "ContainersNotReady" },
      ];
  const status: JsonRecord = {
    phase: "Running",
    conditions: conditions(pod, [{ type: "Initialized", status: "True" }, ...readiness, SCHEDULED], place.now),
    containerStatuses: main.map((c) => ({
      image: c.image,
      name: c.name,
      ready: options.ready,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: startedAtOf(pod, "containerStatuses", c.name, place.now) } },
    })),
    ...placed(pod, place, true),
  };
  return withInitStatuses(pod, status, (c) => completedInit(pod, c, place.now));
}

export const SIMULATED_UNREADY = "containers with unready status (simulated by bosun.dev/simulate: unready)";
const SIMULATED_CRASHLOOP = "containers with unready status (simulated by bosun.dev/simulate: crashloop)";

/** Go's time.Duration printing for whole seconds and minutes: "10s", "1m20s", "5m0s". */
export function formatBackOff(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** A container that keeps crashing: CrashLoopBackOff after `restarts` restarts (the kwok crashloop stage). */
export function crashLoopStatus(pod: KubeObject, place: PodPlace, restarts: number, backOffMs: number): JsonRecord {
  const main = containers(pod, "containers");
  const status: JsonRecord = {
    phase: "Running",
    conditions: conditions(
      pod,
      [
        { type: "Initialized", status: "True" },
        { type: "Ready", status: "False", reason: "ContainersNotReady", message: SIMULATED_CRASHLOOP },
        { type: "ContainersReady", status: "False", reason: "ContainersNotReady" },
        SCHEDULED,
      ],
      place.now,
    ),
    containerStatuses: main.map((c) => ({
      image: c.image,
      name: c.name,
      ready: false,
      started: false,
      restartCount: restarts,
      lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: place.now, finishedAt: place.now } },
      state: {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off ${formatBackOff(backOffMs)} restarting failed container=${c.name} (simulated by bosun.dev/simulate: crashloop)`,
        },
      },
    })),
    ...placed(pod, place, true),
  };
  return withInitStatuses(pod, status, (c) => completedInit(pod, c, place.now));
}

/** Ran to completion: Succeeded with exit code 0, or Failed with exit code 1. */
export function terminatedStatus(pod: KubeObject, place: PodPlace, succeeded: boolean): JsonRecord {
  const main = containers(pod, "containers");
  const reason = succeeded ? "PodCompleted" : "PodFailed";
  const status: JsonRecord = {
    phase: succeeded ? "Succeeded" : "Failed",
    conditions: conditions(
      pod,
      [
        { type: "Initialized", status: "True", reason: "PodCompleted" },
        { type: "Ready", status: "False", reason },
        { type: "ContainersReady", status: "False", reason },
        SCHEDULED,
      ],
      place.now,
    ),
    containerStatuses: main.map((c) => ({
      image: c.image,
      name: c.name,
      ready: false,
      restartCount: 0,
      started: false,
      state: {
        terminated: {
          exitCode: succeeded ? 0 : 1,
          reason: succeeded ? "Completed" : "Error",
          startedAt: startedAtOf(pod, "containerStatuses", c.name, place.now),
          finishedAt: place.now,
        },
      },
    })),
    ...placed(pod, place, true),
  };
  return withInitStatuses(pod, status, (c) => completedInit(pod, c, place.now));
}

export const UNSCHEDULABLE_MESSAGE =
  "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

/** What the scheduler writes on a pod no node can take. */
export function unschedulableStatus(pod: KubeObject, now: string): JsonRecord {
  return {
    phase: "Pending",
    conditions: conditions(
      pod,
      [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: UNSCHEDULABLE_MESSAGE }],
      now,
    ),
  };
}
