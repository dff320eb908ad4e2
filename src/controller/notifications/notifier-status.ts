// A Notifier's status: Ready says whether it can deliver and whether the last delivery got through;
// lastDelivery, lastFailure and the counters say what happened. Pure.
import type { NotifierCondition, NotifierDelivery, NotifierStatus } from "../../api/index.js";

/** Why a Notifier cannot deliver, as Ready=False says it. */
export interface NotifierProblem {
  reason: "InvalidSpec" | "SecretNotFound";
  message: string;
}

function withReady(
  conditions: readonly NotifierCondition[] | undefined,
  next: Omit<NotifierCondition, "type" | "lastTransitionTime">,
  now: string,
): NotifierCondition[] {
  const previous = conditions?.find((c) => c.type === "Ready");
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime : now;
  return [...(conditions ?? []).filter((c) => c.type !== "Ready"), { type: "Ready", ...next, lastTransitionTime }];
}

/** Ready reasons that say something about the spec, which a look at a fixed spec clears. */
const SPEC_REASONS = new Set(["InvalidSpec", "SecretNotFound"]);

/**
 * The status after a look at the spec (generation): Ready=False with the problem, or Ready=True when the
 * spec is new or was the problem (a delivery's result otherwise stands).
 */
export function statusForSpec(
  status: NotifierStatus | undefined,
  generation: number | undefined,
  problem: NotifierProblem | undefined,
  now: string,
): NotifierStatus {
  const ready = status?.conditions?.find((c) => c.type === "Ready");
  const base: NotifierStatus = { ...status, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
  if (problem) return { ...base, conditions: withReady(status?.conditions, { status: "False", ...problem }, now) };
  const changed = generation !== undefined && status?.observedGeneration !== generation;
  if (ready && !changed && !SPEC_REASONS.has(ready.reason)) return base;
  return {
    ...base,
    conditions: withReady(
      status?.conditions,
      { status: "True", reason: "Valid", message: "the spec is valid; nothing delivered yet" },
      now,
    ),
  };
}

/** The status after a delivery ended. */
export function statusAfterDelivery(status: NotifierStatus | undefined, d: NotifierDelivery): NotifierStatus {
  const base: NotifierStatus = { ...status, lastDelivery: d };
  const what = `${d.event} of ${d.application}`;
  switch (d.result) {
    case "Delivered":
      return {
        ...base,
        delivered: (status?.delivered ?? 0) + 1,
        conditions: withReady(
          status?.conditions,
          { status: "True", reason: "Delivered", message: `delivered ${what}` },
          d.time,
        ),
      };
    case "Failed":
      return {
        ...base,
        lastFailure: d,
        failed: (status?.failed ?? 0) + 1,
        conditions: withReady(
          status?.conditions,
          {
            status: "False",
            reason: "DeliveryFailed",
            message: `${what} was not delivered after ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}: ${d.message ?? "failed"}`,
          },
          d.time,
        ),
      };
    case "Interrupted":
      return { ...base, lastFailure: d, interrupted: (status?.interrupted ?? 0) + 1 };
  }
}
