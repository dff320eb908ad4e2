// The simulated kubelet's decisions for one pod on the simulated node: which stage the pod is in, and
// what status it should report next (now, or at a later time). Pure: the caller says what "now" is and
// since when it has seen the pod in its current stage.

import type { JsonRecord } from "../../api/index.js";
import { ANNOTATIONS, type KubeObject } from "../../api/index.js";
import { arr, isDeleting, num, str } from "./fields.js";
import { crashLoopBackOff, type SimulatorSettings } from "./options.js";
import {
  crashLoopStatus,
  type PodPlace,
  pendingStatus,
  runningStatus,
  SIMULATED_UNREADY,
  terminatedStatus,
} from "./pod-status.js";

/** What `bosun.dev/simulate` on a pod asks for; anything else behaves normally. */
export type SimulateMode = "normal" | "crashloop" | "unready" | "slow";

export function simulateMode(pod: KubeObject): SimulateMode {
  const value = pod.metadata.annotations?.[ANNOTATIONS.simulate];
  return value === "crashloop" || value === "unready" || value === "slow" ? value : "normal";
}

export type PodStage =
  | "terminating"
  | "unscheduled"
  | "elsewhere"
  | "accepted"
  | "creating"
  | "starting"
  | "crashing"
  | "ready"
  | "done";

function hasCrashLoop(pod: KubeObject): boolean {
  return arr(pod, "status", "containerStatuses").some(
    (s) => str(s, "state", "waiting", "reason") === "CrashLoopBackOff",
  );
}

export function isPodReady(pod: KubeObject): boolean {
  return arr(pod, "status", "conditions").some((c) => str(c, "type") === "Ready" && str(c, "status") === "True");
}

export function podStage(pod: KubeObject, nodeName: string): PodStage {
  if (isDeleting(pod)) return "terminating";
  const node = str(pod, "spec", "nodeName");
  if (!node) return "unscheduled";
  if (node !== nodeName) return "elsewhere";
  const phase = str(pod, "status", "phase");
  if (phase === "Succeeded" || phase === "Failed") return "done";
  if (phase === undefined || arr(pod, "status", "containerStatuses").length === 0) return "accepted";
  if (phase === "Pending") return "creating";
  if (hasCrashLoop(pod)) return "crashing";
  return isPodReady(pod) ? "ready" : "starting";
}

/** The most restarts any container of the pod has had. */
export function restartCount(pod: KubeObject): number {
  return Math.max(0, ...arr(pod, "status", "containerStatuses").map((s) => num(s, "restartCount") ?? 0));
}

/** Stage plus what distinguishes one wait from the next within it (a crash loop's restarts). */
export function stageKey(pod: KubeObject, nodeName: string): string {
  const stage = podStage(pod, nodeName);
  return stage === "crashing" ? `${stage}/${restartCount(pod)}` : stage;
}

export interface KubeletInput {
  /** Milliseconds since the epoch. */
  now: number;
  /** Since when (ms) the pod has been in the stage `stageKey` names. */
  since: number;
  place: PodPlace;
  settings: SimulatorSettings;
}

export interface KubeletStep {
  /** The status to report now, if any. */
  status?: JsonRecord;
  /** When (ms) to look at the pod again. */
  wakeAt?: number;
}

/**
 * Pods that exist to finish: restartPolicy OnFailure or Never, and any pod of a Job (the embedded defaults
 * give a Job's template restartPolicy Always when it has none, which a real API server would refuse).
 */
function runsToCompletion(pod: KubeObject): boolean {
  if ((str(pod, "spec", "restartPolicy") ?? "Always") !== "Always") return true;
  return (pod.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.kind === "Job");
}

/** The first run: ready, slow to be ready, never ready, crashing, or (restartPolicy Never) failed. */
function started(pod: KubeObject, input: KubeletInput): JsonRecord {
  switch (simulateMode(pod)) {
    case "crashloop":
      if (str(pod, "spec", "restartPolicy") === "Never") return terminatedStatus(pod, input.place, false);
      return crashLoopStatus(pod, input.place, 1, crashLoopBackOff(input.settings, 1));
    case "unready":
      return runningStatus(pod, input.place, { ready: false, unreadyMessage: SIMULATED_UNREADY });
    case "slow":
      return runningStatus(pod, input.place, { ready: false });
    default:
      return runningStatus(pod, input.place, { ready: true });
  }
}

function after(input: KubeletInput, delayMs: number, then: () => JsonRecord): KubeletStep {
  const due = input.since + delayMs;
  return input.now >= due ? { status: then() } : { wakeAt: due };
}

/** What the kubelet does next for a pod bound to its node. */
export function kubeletStep(pod: KubeObject, nodeName: string, input: KubeletInput): KubeletStep {
  const { settings } = input;
  switch (podStage(pod, nodeName)) {
    case "accepted":
      return { status: pendingStatus(pod, input.place) };
    case "creating":
      return after(input, settings.podReadyDelayMs, () => started(pod, input));
    case "starting": {
      const mode = simulateMode(pod);
      if (mode === "unready") return {};
      const delay = mode === "slow" ? settings.slowPodReadyDelayMs : settings.podReadyDelayMs;
      return after(input, delay, () => runningStatus(pod, input.place, { ready: true }));
    }
    case "crashing": {
      const restarts = restartCount(pod);
      return after(input, crashLoopBackOff(settings, restarts), () =>
        crashLoopStatus(pod, input.place, restarts + 1, crashLoopBackOff(settings, restarts + 1)),
      );
    }
    case "ready":
      if (!runsToCompletion(pod)) return {};
      return after(input, settings.jobDurationMs, () => terminatedStatus(pod, input.place, true));
    default:
      return {};
  }
}
