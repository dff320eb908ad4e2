// Facts about a set of pods that every workload controller needs: which are active, ready, available,
// and which to delete first when there are too many.

import type { KubeObject } from "../../api/index.js";
import { arr, isDeleting, str, timeOf } from "./fields.js";
import { isPodReady, restartCount } from "./kubelet.js";

export function isActive(pod: KubeObject): boolean {
  const phase = str(pod, "status", "phase");
  return !isDeleting(pod) && phase !== "Succeeded" && phase !== "Failed";
}

export function readySince(pod: KubeObject): number | undefined {
  if (!isPodReady(pod)) return undefined;
  const ready = arr(pod, "status", "conditions").find((c) => str(c, "type") === "Ready");
  return timeOf(str(ready, "lastTransitionTime")) ?? 0;
}

export interface Availability {
  ready: number;
  available: number;
  /** When (ms) a ready pod becomes available, if one is still waiting out minReadySeconds. */
  wakeAt?: number;
}

/** Ready pods, and those ready for at least minReadySeconds (available). */
export function availability(pods: readonly KubeObject[], minReadySeconds: number, now: number): Availability {
  let ready = 0;
  let available = 0;
  let wakeAt: number | undefined;
  for (const pod of pods) {
    const since = readySince(pod);
    if (since === undefined) continue;
    ready++;
    const due = since + minReadySeconds * 1000;
    if (minReadySeconds <= 0 || due <= now) available++;
    else wakeAt = Math.min(wakeAt ?? due, due);
  }
  return wakeAt === undefined ? { ready, available } : { ready, available, wakeAt };
}

const PHASE_ORDER: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** The kube-controller-manager's order of deletion: unscheduled, pending, unready, recently ready, restarted, newest. */
function deleteFirst(a: KubeObject, b: KubeObject): number {
  const scheduled = (p: KubeObject) => (str(p, "spec", "nodeName") ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (p: KubeObject) => PHASE_ORDER[str(p, "status", "phase") ?? "Pending"] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: KubeObject) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const readyAt = (p: KubeObject) => readySince(p) ?? 0;
  if (readyAt(a) !== readyAt(b)) return readyAt(b) - readyAt(a);
  if (restartCount(a) !== restartCount(b)) return restartCount(b) - restartCount(a);
  const created = (p: KubeObject) => timeOf(p.metadata.creationTimestamp) ?? 0;
  if (created(a) !== created(b)) return created(b) - created(a);
  return (b.metadata.name ?? "").localeCompare(a.metadata.name ?? "");
}

/** The `count` pods to delete first. */
export function podsToDelete(pods: readonly KubeObject[], count: number): KubeObject[] {
  return [...pods].sort(deleteFirst).slice(0, Math.max(0, count));
}
