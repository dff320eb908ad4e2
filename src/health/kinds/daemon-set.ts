// apps/DaemonSet: one pod per eligible node. With updateStrategy OnDelete pods are replaced only when
// someone deletes them, so only availability counts; with RollingUpdate every scheduled pod must also be
// at the current template.
import type { Health, KubeObject } from "../../api/index.js";
import { num, str } from "../fields.js";
import { healthy, type KindRule, progressing } from "../rule.js";
import { count } from "../text.js";

export function daemonSetHealth(obj: KubeObject): Health {
  const desired = num(obj, "status", "desiredNumberScheduled") ?? 0;
  const updated = num(obj, "status", "updatedNumberScheduled") ?? 0;
  const available = num(obj, "status", "numberAvailable") ?? 0;
  const onDelete = str(obj, "spec", "updateStrategy", "type") === "OnDelete";

  if (!onDelete && updated < desired)
    return progressing(`Waiting for rollout to finish: ${updated} of ${count(desired, "pod")} updated so far...`);
  if (available < desired) {
    const which = onDelete ? "" : "updated ";
    return progressing(`Waiting for rollout to finish: ${available} of ${desired} ${which}pods are available...`);
  }
  if (onDelete) {
    const stale = desired - Math.min(updated, desired);
    const note =
      stale > 0 ? `; ${count(stale, "pod")} ${stale === 1 ? "runs" : "run"} an older template until deleted` : "";
    return healthy(`${available} of ${count(desired, "pod")} available (updateStrategy OnDelete)${note}`);
  }
  if (desired === 0) return healthy("No node runs a pod of this DaemonSet (0 pods scheduled)");
  return healthy(`Rollout complete: ${available} of ${count(desired, "pod")} updated and available`);
}

export const daemonSetRule: KindRule = {
  group: "apps",
  kind: "DaemonSet",
  tracksGeneration: true,
  check: daemonSetHealth,
};
