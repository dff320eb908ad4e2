// core/Pod. The phase says most of it; a container stuck waiting for a reason that will not fix itself
// (a crash loop, an image that cannot be pulled, a missing ConfigMap key) makes the pod Degraded whatever
// its phase.
//
// Decision (as in Argo CD): a Running pod with restartPolicy OnFailure or Never is Progressing even when
// Ready, because such a pod exists to run to completion; it becomes Healthy when it Succeeds. Pods with
// restartPolicy Always (the default) are Healthy only while Running and Ready.
import type { Health, KubeObject } from "../../api/index.js";
import { conditionsOf, findCondition, list, num, str } from "../fields.js";
import { degraded, healthy, type KindRule, progressing, unknown } from "../rule.js";
import { describeCondition } from "../text.js";

/** Waiting reasons the kubelet writes when a container cannot start and retrying alone will not help. */
const FAILING_WAITING_REASONS: ReadonlySet<string> = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "ErrImageNeverPull",
  "InvalidImageName",
  "ImageInspectError",
  "RegistryUnavailable",
  "SignatureValidationFailed",
  "CreateContainerConfigError",
  "CreateContainerError",
  "PreStartHookError",
  "PostStartHookError",
  "RunContainerError",
]);

const STATUS_LISTS = [
  { field: "initContainerStatuses", label: "Init container" },
  { field: "containerStatuses", label: "Container" },
] as const;

/** The first container (init containers first) waiting for a failing reason, described for a person. */
function failingContainer(obj: KubeObject): string | undefined {
  for (const { field, label } of STATUS_LISTS) {
    for (const status of list(obj, "status", field)) {
      const reason = str(status, "state", "waiting", "reason");
      if (reason === undefined || !FAILING_WAITING_REASONS.has(reason)) continue;
      const message = str(status, "state", "waiting", "message");
      return `${label} "${str(status, "name") ?? "?"}" is in ${reason}${message ? `: ${message}` : ""}`;
    }
  }
  return undefined;
}

/** The first container that terminated with a non-zero exit code, described for a person. */
function failedContainer(obj: KubeObject): string | undefined {
  for (const { field, label } of STATUS_LISTS) {
    for (const status of list(obj, "status", field)) {
      const exitCode = num(status, "state", "terminated", "exitCode");
      if (exitCode === undefined || exitCode === 0) continue;
      const reason = str(status, "state", "terminated", "reason");
      const message = str(status, "state", "terminated", "message");
      const why = [reason, message].filter(Boolean).join(": ");
      return `${label.toLowerCase()} "${str(status, "name") ?? "?"}" exited with code ${exitCode}${why ? ` (${why})` : ""}`;
    }
  }
  return undefined;
}

/** "reason: message" from the pod's own status (eviction, deadline, node lost), or "". */
function podReason(obj: KubeObject): string {
  return [str(obj, "status", "reason"), str(obj, "status", "message")].filter(Boolean).join(": ");
}

function failedHealth(obj: KubeObject): Health {
  const detail = podReason(obj) || failedContainer(obj);
  return degraded(detail ? `Pod failed: ${detail}` : "Pod failed");
}

function pendingHealth(obj: KubeObject): Health {
  const scheduled = findCondition(conditionsOf(obj), "PodScheduled");
  if (scheduled?.status === "False")
    return progressing(`Pending: not scheduled yet: ${describeCondition(scheduled, "no node chosen")}`);
  for (const { field, label } of STATUS_LISTS) {
    for (const status of list(obj, "status", field)) {
      const reason = str(status, "state", "waiting", "reason");
      if (reason) return progressing(`Pending: ${label.toLowerCase()} "${str(status, "name") ?? "?"}" is ${reason}`);
    }
  }
  return progressing("Pending: waiting for the pod to start");
}

function runningHealth(obj: KubeObject): Health {
  const restartPolicy = str(obj, "spec", "restartPolicy") ?? "Always";
  if (restartPolicy !== "Always")
    return progressing(`Running; a pod with restartPolicy ${restartPolicy} is healthy once it has completed`);
  const ready = findCondition(conditionsOf(obj), "Ready");
  if (ready?.status === "True") return healthy("Running and Ready");
  return progressing(`Running but not Ready${ready ? `: ${describeCondition(ready)}` : ""}`);
}

export function podHealth(obj: KubeObject): Health {
  const phase = str(obj, "status", "phase");
  if (phase === "Succeeded") return healthy("Pod completed successfully");
  if (phase === "Failed") return failedHealth(obj);
  const failing = failingContainer(obj);
  if (failing) return degraded(failing);
  switch (phase) {
    case "Pending":
      return pendingHealth(obj);
    case "Running":
      return runningHealth(obj);
    case "Unknown": {
      const said = podReason(obj);
      return unknown(`Pod phase is Unknown: the node stopped reporting on it${said ? ` (${said})` : ""}`);
    }
    case undefined:
      return progressing("Pod has no status yet");
    default:
      return unknown(`Pod phase "${phase}" is not one this check knows`);
  }
}

export const podRule: KindRule = { group: "", kind: "Pod", tracksGeneration: false, check: podHealth };
